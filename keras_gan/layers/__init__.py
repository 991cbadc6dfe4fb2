"""Layers used by the package's models."""

from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.conditional_batch_normalization import VectorConditionalBatchNormalization
from keras_gan.layers.diff_augment import DiffAugment
from keras_gan.layers.maxout import Maxout
from keras_gan.layers.maxout import MaxoutConv2D
from keras_gan.layers.mixture_prior import MixturePrior
from keras_gan.layers.mixture_prior import mixture_codes
from keras_gan.layers.self_attention import SelfAttention
from keras_gan.layers.spectral_normalization import SpectralNormalization

__all__ = [
    "ConditionalBatchNormalization",
    "DiffAugment",
    "Maxout",
    "MaxoutConv2D",
    "MixturePrior",
    "SelfAttention",
    "SpectralNormalization",
    "VectorConditionalBatchNormalization",
    "mixture_codes",
]
