"""Data sets: synthetic mixtures with known densities, and TFDS images."""

from keras_gan.data.synthetic import gaussian_1d
from keras_gan.data.synthetic import ring
from keras_gan.data.synthetic import ring_modes
from keras_gan.data.tfds_images import load_tfds_images

__all__ = ["gaussian_1d", "load_tfds_images", "ring", "ring_modes"]
