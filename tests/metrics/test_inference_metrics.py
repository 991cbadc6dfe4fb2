"""Encoder metrics: reconstruction error, label agreement and 1-NN accuracy of E(x)."""

import keras
import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.export import export_generator
from keras_gan.metrics.evaluate import evaluate
from keras_gan.metrics.inference_metrics import label_agreement
from keras_gan.metrics.inference_metrics import nearest_neighbour_accuracy
from keras_gan.metrics.inference_metrics import reconstruction_error


def test_nearest_neighbour_accuracy_labels_each_query_by_its_closest_reference():
    reference = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    queries = np.array([[1.0, 1.0], [9.0, 2.0], [2.0, 8.0], [6.0, 0.0]])
    # Nearest: 0, 1, 2, 1; the last query's label says 0, so 3 of 4 are right.
    accuracy = nearest_neighbour_accuracy(reference, [0, 1, 2], queries, [0, 1, 2, 0], chunk=3)
    assert accuracy == pytest.approx(0.75)


def test_reconstruction_error_is_zero_for_a_perfect_reconstruction_and_not_by_chance():
    images = np.random.default_rng(0).uniform(size=(50, 4, 4, 1))
    exact = reconstruction_error(images, images)
    assert exact["reconstruction_mse"] == 0.0
    # Uniform pixels: E[(u - u')^2] = 1/6 for an unrelated image.
    assert exact["reconstruction_mse_baseline"] == pytest.approx(1 / 6, rel=0.15)
    with pytest.raises(ValueError, match=r"match `images` one to one. Received: shapes"):
        reconstruction_error(images, images[:10])


def test_label_agreement_counts_reconstructions_given_their_image_s_label():
    classifier = keras.Sequential([keras.Input((2,)), keras.layers.Identity()])
    reconstructions = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]], "float32")
    agreement = label_agreement(classifier, reconstructions, [0, 1, 0])
    assert agreement == {"reconstruction_label_agreement": pytest.approx(2 / 3)}


@pytest.fixture(scope="module")
def identity_codec(tmp_path_factory):
    """A 'GAN' whose z is the image itself: G reshapes, E flattens; so E(x) are the pixels."""
    folder = tmp_path_factory.mktemp("identity")
    generator = keras.Sequential([keras.Input((784,)), keras.layers.Reshape((28, 28, 1))])
    discriminator = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]
    )
    gan = GAN(generator, discriminator, seed=0)
    gan.compile()
    gan.save(folder / "gan.keras")
    encoder = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten()])
    encoder.save(folder / "encoder.keras")
    export = export_generator(gan, folder / "serving", encoder=encoder, max_samples=1024)
    return folder / "gan.keras", folder / "encoder.keras", export


def test_1nn_on_codes_that_are_the_pixels_gives_mnist_s_known_pixel_1nn_accuracy(
    identity_codec, mnist_data_dir
):
    # The known answer: 1-NN with Euclidean distance on MNIST's pixels errs on
    # 3.09% of the test set (LeCun et al.'s table), 96.91% right.
    keras_file, encoder, _ = identity_codec
    results = evaluate(
        keras_file,
        "mnist",
        metrics=("reconstruction", "nn_accuracy"),
        data_dir=mnist_data_dir,
        encoder=encoder,
    )
    assert results["nn_accuracy"] == pytest.approx(0.9691, abs=0.0005)
    assert results["reconstruction_mse"] == 0.0
    assert results["reconstruction_mse_baseline"] > 0.1
    # G(E(x)) = x: the agreement is the shipped classifier's accuracy on the test set.
    assert 0.98 < results["reconstruction_label_agreement"] < 0.99


def test_an_export_s_encode_signature_scores_as_its_keras_files(identity_codec, mnist_data_dir):
    keras_file, encoder, export = identity_codec
    options = dict(
        metrics=("reconstruction", "nn_accuracy"),
        data_dir=mnist_data_dir,
        test_split="test[:1000]",
        reference_split="train[:5000]",
    )
    served = evaluate(export, "mnist", **options)
    saved = evaluate(keras_file, "mnist", encoder=encoder, **options)
    # Same scores; only what was scored differs (the paths, and the step a SavedModel lacks).
    assert served.pop("model") == str(export) and saved.pop("model") == str(keras_file)
    assert "step" not in served and saved.pop("step") >= 0
    assert served == pytest.approx(saved)


def test_encoder_metrics_refuse_a_generator_without_an_encoder(
    tiny_mnist_generator, mnist_data_dir
):
    keras_file, export = tiny_mnist_generator
    for model in (keras_file, export):
        with pytest.raises(ValueError, match=r"measure an encoder; this generator has none"):
            evaluate(model, "mnist", metrics=("nn_accuracy",), data_dir=mnist_data_dir)
