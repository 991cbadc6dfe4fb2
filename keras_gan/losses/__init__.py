"""Adversarial losses in generator/discriminator pairs, from logits."""

from keras_gan.losses.gan_losses import discriminator_loss
from keras_gan.losses.gan_losses import get
from keras_gan.losses.gan_losses import minimax_discriminator_loss
from keras_gan.losses.gan_losses import minimax_generator_loss
from keras_gan.losses.gan_losses import names
from keras_gan.losses.gan_losses import non_saturating_discriminator_loss
from keras_gan.losses.gan_losses import non_saturating_generator_loss

__all__ = [
    "discriminator_loss",
    "get",
    "minimax_discriminator_loss",
    "minimax_generator_loss",
    "names",
    "non_saturating_discriminator_loss",
    "non_saturating_generator_loss",
]
