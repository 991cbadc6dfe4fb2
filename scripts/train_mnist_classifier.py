"""Trains the MNIST classifier whose features keras_gan uses for MNIST FID/KID/PRD.

    python scripts/train_mnist_classifier.py --manual_dir=../shared/data/mnist

Writes keras_gan/metrics/mnist_classifier.weights.h5 (the file the package
ships) unless --output says otherwise, and prints the test accuracy.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

_DATA_DIR = flags.DEFINE_string("data_dir", None, "TFDS data directory.")
_MANUAL_DIR = flags.DEFINE_string("manual_dir", None, "Folder of MNIST's four IDX files.")
_EPOCHS = flags.DEFINE_integer("epochs", 10, "Training epochs.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of weights and data order.")
_OUTPUT = flags.DEFINE_string("output", None, "Weights file (default: the packaged one).")


def main(argv):
    del argv
    import keras
    import numpy as np

    from keras_gan.data import load_tfds_images
    from keras_gan.data.pipeline import to_array
    from keras_gan.metrics import mnist_classifier as module

    keras.utils.set_random_seed(_SEED.value)
    try:
        splits = {
            name: load_tfds_images(
                "mnist", split=name, data_dir=_DATA_DIR.value, manual_dir=_MANUAL_DIR.value
            )
            for name in ("train", "test")
        }
    except ValueError as error:
        print(f"{sys.argv[0]}: error: {error}", file=sys.stderr)
        sys.exit(1)
    (x_train, y_train), (x_test, y_test) = (
        (to_array(s), np.concatenate([y.numpy() for _, y in s.batch(10000)]))
        for s in splits.values()
    )
    classifier = module.mnist_classifier()
    classifier.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(x_train, y_train, batch_size=128, epochs=_EPOCHS.value, verbose=2)
    _, accuracy = classifier.evaluate(x_test, y_test, verbose=0)
    output = _OUTPUT.value or str(module.WEIGHTS)
    # An uncompiled copy: the packaged file holds the weights, not Adam's slots.
    shipped = module.mnist_classifier()
    shipped.set_weights(classifier.get_weights())
    shipped.save_weights(output)
    print(f"test accuracy {accuracy:.4f}; wrote {output}")


if __name__ == "__main__":
    app.run(main)
