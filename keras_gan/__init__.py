"""keras_gan: generative adversarial networks in TensorFlow / Keras 3."""

import os

if os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true"):
    raise ImportError(
        "keras_gan needs Keras 3, but TF_USE_LEGACY_KERAS is set, which makes tf.keras "
        "Keras 2. Unset it before importing TensorFlow."
    )

_backend = os.environ.get("KERAS_BACKEND", "tensorflow")
if _backend != "tensorflow":
    # Checked before importing Keras, which may fail on its own for a
    # backend that is not installed and hide the reason.
    raise ImportError(
        "keras_gan needs Keras 3 with the TensorFlow backend. "
        f"Received: backend {_backend!r} (set KERAS_BACKEND=tensorflow)"
    )

import keras  # noqa: E402

if int(keras.__version__.split(".")[0]) < 3 or keras.backend.backend() != "tensorflow":
    raise ImportError(
        "keras_gan needs Keras 3 with the TensorFlow backend. Received: keras "
        f"{keras.__version__}, backend {keras.backend.backend()!r} (set KERAS_BACKEND=tensorflow)"
    )

from keras_gan import data  # noqa: E402
from keras_gan import distribute  # noqa: E402
from keras_gan import export  # noqa: E402
from keras_gan import inference  # noqa: E402
from keras_gan import latent_codes  # noqa: E402, F401
from keras_gan import layers  # noqa: E402
from keras_gan import losses  # noqa: E402
from keras_gan import metrics  # noqa: E402
from keras_gan import models  # noqa: E402
from keras_gan import optimizers  # noqa: E402
from keras_gan import penalties  # noqa: E402
from keras_gan.models.gan import GAN  # noqa: E402
from keras_gan.version import __version__  # noqa: E402


def __getattr__(name):
    # The training package (absl flags, matplotlib, tensorflow-datasets), the
    # callbacks and the plots load on first use, so `import keras_gan` stays
    # light and leaves a notebook's plotting alone.
    if name in ("callbacks", "plots", "train"):
        import importlib

        return importlib.import_module(f"keras_gan.{name}")
    raise AttributeError(f"module 'keras_gan' has no attribute {name!r}")


__all__ = [
    "GAN",
    "__version__",
    "callbacks",
    "data",
    "distribute",
    "export",
    "inference",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "penalties",
    "plots",
    "train",
]
