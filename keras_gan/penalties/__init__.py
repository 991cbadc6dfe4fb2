"""Regularisers of the discriminator, passed as `GAN.compile(penalties=[...])`."""

from keras_gan.penalties.gradient_penalties import R1
from keras_gan.penalties.gradient_penalties import R2
from keras_gan.penalties.gradient_penalties import GradientPenalty
from keras_gan.penalties.gradient_penalties import gradient_penalty
from keras_gan.penalties.gradient_penalties import input_gradient_norms_squared
from keras_gan.penalties.gradient_penalties import r1_penalty
from keras_gan.penalties.penalty import Penalty
from keras_gan.penalties.penalty import get

__all__ = [
    "GradientPenalty",
    "Penalty",
    "R1",
    "R2",
    "get",
    "gradient_penalty",
    "input_gradient_norms_squared",
    "r1_penalty",
]
