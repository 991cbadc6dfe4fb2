"""Layers used by the package's models."""

from keras_gan.layers.maxout import Maxout

__all__ = ["Maxout"]
