"""The minimax game of the paper's value function, Eq. (1)."""

from keras_gan.losses import gan_losses
from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


@register("minimax")
class Minimax(GANLoss):
    """G minimises E[log(1 - D(G(z)))]; D maximises the value function.

    Its generator gradient vanishes when D confidently rejects the samples,
    as early in training.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NIPS 2014,
        arXiv:1406.2661, Eq. (1).
    """

    def generator_loss(self, fake_logits):
        return gan_losses.minimax_generator_loss(fake_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return gan_losses.minimax_discriminator_loss(real_logits, fake_logits)
