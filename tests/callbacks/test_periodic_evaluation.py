"""PeriodicEvaluation: which samples its quick FID scores."""

import keras
import numpy as np

from keras_gan import GAN
from keras_gan.callbacks import PeriodicEvaluation
from keras_gan.callbacks import periodic_evaluation

NUM_CLASSES = 10


def labels_drawn_as_images():
    """A conditional GAN whose sample of class c is a 28x28 image filled with c / 10."""
    z = keras.Input((4,))
    labels = keras.Input((), dtype="int32")
    images = keras.layers.Lambda(
        lambda c: (
            keras.ops.ones((1, 28, 28, 1))
            * keras.ops.reshape(keras.ops.cast(c, "float32") / NUM_CLASSES, (-1, 1, 1, 1))
        )
    )(labels)
    generator = keras.Model([z, labels], images)
    x = keras.Input((28, 28, 1))
    d_labels = keras.Input((), dtype="int32")
    logits = keras.layers.Dense(1)(keras.layers.Flatten()(x))
    discriminator = keras.Model([x, d_labels], logits)
    return GAN(generator, discriminator, num_classes=NUM_CLASSES, seed=0)


def scored_classes(monkeypatch, validation):
    scored = []

    def recording(extractor, images, *args, **kwargs):
        scored.append(images)
        return real_extract(extractor, images, *args, **kwargs)

    real_extract = periodic_evaluation.extract_features
    monkeypatch.setattr(periodic_evaluation, "extract_features", recording)
    data = np.random.default_rng(0).uniform(size=(100, 28, 28, 1)).astype("float32")
    callback = PeriodicEvaluation(1, "mnist", data, seed=0, validation=validation)
    callback.set_model(labels_drawn_as_images())
    logs = {}
    callback.on_epoch_end(0, logs)
    assert logs["eval_fid"] > 0
    generated = scored[-1]
    assert len(generated) == periodic_evaluation.SAMPLES
    return np.rint(generated[:, 0, 0, 0] * NUM_CLASSES).astype(int)


def test_the_quick_fid_of_a_conditional_gan_scores_every_class_equally(monkeypatch):
    # With validation data the callback draws 10,000 samples (for the Parzen
    # estimate) in class order, and scores 2,000 of them with FID.
    validation = np.random.default_rng(1).uniform(size=(20, 28, 28, 1)).astype("float32")
    counts = np.bincount(scored_classes(monkeypatch, validation), minlength=NUM_CLASSES)
    np.testing.assert_array_equal(counts, [200] * NUM_CLASSES)


def test_without_validation_data_the_scored_classes_are_balanced_too(monkeypatch):
    counts = np.bincount(scored_classes(monkeypatch, None), minlength=NUM_CLASSES)
    np.testing.assert_array_equal(counts, [200] * NUM_CLASSES)
