"""The non-saturating game: the paper's practical choice for the generator."""

from keras_gan.losses import gan_losses
from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


@register("non_saturating")
class NonSaturating(GANLoss):
    """G maximises log D(G(z)); D minimises the binary cross-entropy.

    Same fixed point as the minimax game, strong generator gradients early.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NIPS 2014,
        arXiv:1406.2661, Section 3.
    """

    def generator_loss(self, fake_logits):
        return gan_losses.non_saturating_generator_loss(fake_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return gan_losses.non_saturating_discriminator_loss(real_logits, fake_logits)
