"""A small MNIST classifier shipped with the package: features for FID/KID/precision-recall.

FID's usual Inception network needs downloaded weights and 299x299 RGB input;
for MNIST the package carries its own classifier (trained by
`scripts/train_mnist_classifier.py`, weights in this folder), so MNIST
distances work offline and are comparable between runs of this package
(not with numbers computed on other feature extractors).
"""

import pathlib

import keras

WEIGHTS = pathlib.Path(__file__).with_name("mnist_classifier.weights.h5")
FEATURE_LAYER = "features"


def mnist_classifier():
    """The classifier's architecture, untrained: 28x28x1 in [0, 1] -> 10 logits."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(128, 3, padding="same", activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(128, activation="relu", name=FEATURE_LAYER),
            keras.layers.Dense(10, name="logits"),
        ],
        name="mnist_classifier",
    )


def mnist_feature_extractor(weights=WEIGHTS):
    """The trained classifier up to its 128-unit `features` layer.

    Raises:
        ValueError: if the weights file is missing.
    """
    classifier = trained_mnist_classifier(weights)
    return keras.Model(classifier.inputs[0], classifier.get_layer(FEATURE_LAYER).output)


def trained_mnist_classifier(weights=WEIGHTS):
    """The shipped, trained classifier: 28x28x1 images in [0, 1] -> 10 digit logits.

    It scores about 99% on the MNIST test images; `class_accuracy` uses it.

    Raises:
        ValueError: if the weights file is missing.
    """
    if not pathlib.Path(weights).is_file():
        raise ValueError(
            "The MNIST classifier's weights are missing; train them with "
            f"scripts/train_mnist_classifier.py. Received: weights={str(weights)!r}"
        )
    classifier = mnist_classifier()
    classifier.load_weights(weights)
    return classifier
