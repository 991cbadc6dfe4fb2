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
from keras_gan.losses.minimax import Minimax
from keras_gan.losses.non_saturating import NonSaturating

__all__ = [
    "GANLoss",
    "Minimax",
    "NonSaturating",
    "discriminator_loss",
    "get",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "names",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
    "register",
]
