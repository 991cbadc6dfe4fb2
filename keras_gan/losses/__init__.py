"""Adversarial losses: `GANLoss` pairs chosen by name in `GAN.compile`, and the
plain functions of logits behind them."""

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import get
from keras_gan.losses.gan_loss import names
from keras_gan.losses.gan_loss import register
from keras_gan.losses.gan_losses import discriminator_loss
from keras_gan.losses.gan_losses import minimax_discriminator_loss
from keras_gan.losses.gan_losses import minimax_generator_loss
from keras_gan.losses.gan_losses import non_saturating_discriminator_loss
from keras_gan.losses.gan_losses import non_saturating_generator_loss
from keras_gan.losses.hinge import Hinge
from keras_gan.losses.hinge import hinge_discriminator_loss
from keras_gan.losses.hinge import hinge_generator_loss
from keras_gan.losses.least_squares import LeastSquares
from keras_gan.losses.least_squares import least_squares_discriminator_loss
from keras_gan.losses.least_squares import least_squares_generator_loss
from keras_gan.losses.minimax import Minimax
from keras_gan.losses.non_saturating import NonSaturating
from keras_gan.losses.relativistic import Relativistic
from keras_gan.losses.relativistic import relativistic_discriminator_loss
from keras_gan.losses.relativistic import relativistic_generator_loss
from keras_gan.losses.relativistic_average import RelativisticAverage
from keras_gan.losses.relativistic_average import relativistic_average_discriminator_loss
from keras_gan.losses.relativistic_average import relativistic_average_generator_loss
from keras_gan.losses.wasserstein import Wasserstein
from keras_gan.losses.wasserstein import wasserstein_discriminator_loss
from keras_gan.losses.wasserstein import wasserstein_generator_loss

__all__ = [
    "GANLoss",
    "Hinge",
    "LeastSquares",
    "Minimax",
    "NonSaturating",
    "Relativistic",
    "RelativisticAverage",
    "Wasserstein",
    "discriminator_loss",
    "get",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "least_squares_discriminator_loss",
    "least_squares_generator_loss",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "names",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
    "register",
    "relativistic_average_discriminator_loss",
    "relativistic_discriminator_loss",
    "relativistic_generator_loss",
    "relativistic_average_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]
