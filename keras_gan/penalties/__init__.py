"""Regularisers of the discriminator, passed as `GAN.compile(penalties=[...])`, and of
the generator, passed as `GAN.compile(generator_penalties=[...])`."""

from keras_gan.penalties.gradient_penalties import R1
from keras_gan.penalties.gradient_penalties import R2
from keras_gan.penalties.gradient_penalties import GradientPenalty
from keras_gan.penalties.gradient_penalties import gradient_penalty
from keras_gan.penalties.gradient_penalties import input_gradient_norms_squared
from keras_gan.penalties.gradient_penalties import r1_penalty
from keras_gan.penalties.path_length import GeneratorPenalty
from keras_gan.penalties.path_length import PathLength
from keras_gan.penalties.path_length import path_lengths
from keras_gan.penalties.penalty import Penalty
from keras_gan.penalties.penalty import get

__all__ = [
    "GeneratorPenalty",
    "GradientPenalty",
    "PathLength",
    "Penalty",
    "R1",
    "R2",
    "get",
    "gradient_penalty",
    "input_gradient_norms_squared",
    "path_lengths",
    "r1_penalty",
]
