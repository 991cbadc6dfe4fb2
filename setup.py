"""Packaging for keras_gan."""

import pathlib
import re

import setuptools

HERE = pathlib.Path(__file__).parent
VERSION = re.search(
    r'^__version__ = "([^"]+)"', (HERE / "keras_gan" / "version.py").read_text(), re.M
).group(1)

setuptools.setup(
    name="keras-gan",
    version=VERSION,
    description="Generative adversarial networks in TensorFlow / Keras 3.",
    long_description=(HERE / "README.md").read_text(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.11",
    packages=setuptools.find_packages(include=["keras_gan", "keras_gan.*"]),
    # The MNIST classifier's weights, for FID/KID/precision-recall offline.
    package_data={"keras_gan.metrics": ["mnist_classifier.weights.h5"]},
    install_requires=[
        "tensorflow>=2.21,<2.22",
        # 3.15 is the release the library is tested with; it includes the
        # cross-replica gradient sum that custom train steps rely on.
        "keras>=3.15,<4",
        "tensorflow-datasets>=4.9.10",
        # tensorflow-datasets 4.9.10 imports it without declaring it.
        "importlib_resources",
        "absl-py",
        "numpy",
        "requests",
        "matplotlib",
        # TensorFlow 2.21 no longer brings it; the training script writes TensorBoard logs.
        "tensorboard>=2.21,<2.22",
        # Builds the PredictionLog warmup records TF Serving replays when loading an export.
        "tensorflow-serving-api>=2.21,<2.22",
        # Text GANs: the word tokenizer of Texygen's BLEU; the tests hold keras_gan's
        # BLEU to nltk's own sentence_bleu.
        "nltk>=3.9",
    ],
    entry_points={
        "console_scripts": ["keras-gan-train = keras_gan.train.cli:run"],
    },
    extras_require={
        # pytest-xdist and pytest-rerunfailures: a test that crashes the interpreter
        # (TensorFlow's MultiDeviceIterator bug, docs/upstream/) runs once more.
        "test": [
            "pytest>=8",
            "pytest-xdist>=3.5",
            "pytest-rerunfailures>=14",
            "scipy",
            "ruff==0.17.6",
        ],
    },
    classifiers=[
        "Programming Language :: Python :: 3.11",
        "Topic :: Scientific/Engineering :: Artificial Intelligence",
    ],
)
