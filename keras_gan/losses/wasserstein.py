"""The Wasserstein game: D is a critic whose score difference estimates W1."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def wasserstein_discriminator_loss(real_logits, fake_logits):
    """E[D(G(z))] - E[D(x)]: the critic widens the gap between the two scores."""
    return ops.mean(fake_logits) - ops.mean(real_logits)


def wasserstein_generator_loss(fake_logits):
    """-E[D(G(z))]: G raises the critic's score of its samples."""
    return -ops.mean(fake_logits)


@register("wasserstein")
class Wasserstein(GANLoss):
    """The critic's score gap estimates the Wasserstein-1 distance.

    Only when the critic is (about) 1-Lipschitz: pair it with a gradient
    penalty (`keras_gan.penalties.GradientPenalty`) or spectral normalisation.
    The logits are scores here; sigmoid(logit) is no probability.

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017, arXiv:1701.07875;
        Gulrajani et al., "Improved Training of Wasserstein GANs", NIPS 2017,
        arXiv:1704.00028, Algorithm 1.
    """

    def generator_loss(self, fake_logits):
        return wasserstein_generator_loss(fake_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return wasserstein_discriminator_loss(real_logits, fake_logits)
