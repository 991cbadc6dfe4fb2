"""Does InfoGAN's code accuracy depend on which batch-norm statistics D's Q head is scored with?

    python benchmarks/infogan_q_statistics.py --manual_dir=../shared/data/mnist \
        RUN/checkpoints/step-N/gan.keras [MORE.keras ...]

`code_accuracy` (scripts/evaluate.py) runs Q in inference mode, with the moving averages that
training left in D's batch norms. Those average D's calls on real and on fake batches (two fake
calls for each real one: D's update and G's), so they could misplace real test images. This
scores each checkpoint's categorical code on MNIST's 10,000 test images three ways:
- `moving`: the statistics as trained (what `code_accuracy` reports);
- `standing_real`: the moving averages replaced by the mean statistics of 100 batches of 128
  real training images (seeded draw; momentum i / (i + 1) for batch i makes the averages a
  cumulative mean); the weights are checked unchanged;
- `test_batches`: each test batch of 500 normalised by its own statistics.
Prints one JSON line per checkpoint. A benchmark, not a test.
"""

import json

import keras
import numpy as np
from absl import app
from absl import flags

import keras_gan  # noqa: F401  (registers the classes the checkpoint names)
from keras_gan.data import load_tfds_images
from keras_gan.latent_codes import best_mapping_accuracy

flags.DEFINE_string("manual_dir", None, "Folder of MNIST's four IDX files (prepared offline).")
flags.DEFINE_string("data_dir", None, "TFDS data directory (default: TFDS's own).")
flags.DEFINE_integer("seed", 0, "Seed of the draw of real training batches.")


def _arrays(split):
    dataset = load_tfds_images("mnist", split, flags.FLAGS.data_dir, flags.FLAGS.manual_dir)
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in dataset.batch(4096)], strict=True)
    return np.concatenate(images), np.concatenate(labels).astype("int64")


def _accuracy(gan, images, labels, training):
    q = [
        np.asarray(gan.discriminator(images[start : start + 500], training=training)[1])
        for start in range(0, len(images), 500)
    ]
    categories = gan.codes.categories_of(np.concatenate(q))
    return best_mapping_accuracy(categories, labels, 10)[0]


def main(argv):
    if len(argv) < 2:
        raise app.UsageError("Give one or more InfoGAN checkpoints (gan.keras).")
    test, test_labels = _arrays("test")
    train, _ = _arrays("train")
    order = np.random.default_rng(flags.FLAGS.seed).permutation(len(train))[: 100 * 128]
    for path in argv[1:]:
        gan = keras.saving.load_model(path, compile=False)
        row = {"checkpoint": path}
        row["moving"] = _accuracy(gan, test, test_labels, training=False)
        row["test_batches"] = _accuracy(gan, test, test_labels, training=True)
        norms = [
            layer
            for layer in gan.discriminator._flatten_layers()
            if isinstance(layer, keras.layers.BatchNormalization)
        ]
        weights = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
        for i, start in enumerate(range(0, len(order), 128)):
            for layer in norms:
                layer.momentum = i / (i + 1)
            gan.discriminator(train[order[start : start + 128]], training=True)
        for before, after in zip(weights, gan.discriminator.trainable_weights, strict=True):
            assert np.array_equal(before, after.numpy())
        row["standing_real"] = _accuracy(gan, test, test_labels, training=False)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    app.run(main)
