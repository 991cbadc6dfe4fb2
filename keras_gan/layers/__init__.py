"""Layers used by the package's models."""

from keras_gan.layers.ada_augment import AdaAugment
from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.conditional_batch_normalization import VectorConditionalBatchNormalization
from keras_gan.layers.diff_augment import DiffAugment
from keras_gan.layers.equalized import EqualizedConv2D
from keras_gan.layers.equalized import EqualizedDense
from keras_gan.layers.maxout import Maxout
from keras_gan.layers.maxout import MaxoutConv2D
from keras_gan.layers.minibatch_std import MinibatchStandardDeviation
from keras_gan.layers.mixture_prior import MixturePrior
from keras_gan.layers.mixture_prior import mixture_codes
from keras_gan.layers.modulated_conv import ModulatedConv2D
from keras_gan.layers.relational_memory import RelationalMemoryCell
from keras_gan.layers.self_attention import SelfAttention
from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.layers.strided_conv import StridedConv2D
from keras_gan.layers.strided_conv import StridedConv2DTranspose

__all__ = [
    "AdaAugment",
    "ConditionalBatchNormalization",
    "DiffAugment",
    "EqualizedConv2D",
    "EqualizedDense",
    "Maxout",
    "MaxoutConv2D",
    "MinibatchStandardDeviation",
    "MixturePrior",
    "ModulatedConv2D",
    "RelationalMemoryCell",
    "SelfAttention",
    "SpectralNormalization",
    "StridedConv2D",
    "StridedConv2DTranspose",
    "VectorConditionalBatchNormalization",
    "mixture_codes",
]
