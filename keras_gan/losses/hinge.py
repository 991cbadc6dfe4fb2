"""The hinge game of geometric GAN and SN-GAN."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def hinge_discriminator_loss(real_logits, fake_logits):
    """E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))], D's raw logits as scores."""
    return ops.mean(ops.relu(1.0 - real_logits)) + ops.mean(ops.relu(1.0 + fake_logits))


def hinge_generator_loss(fake_logits):
    """-E[D(G(z))]: G raises D's score of its samples."""
    return -ops.mean(fake_logits)


@register("hinge")
class Hinge(GANLoss):
    """D is a margin classifier on its logits; G raises the score of its samples.

    Reference:
        Lim & Ye, "Geometric GAN", 2017, arXiv:1705.02894; Miyato et al.,
        "Spectral Normalization for Generative Adversarial Networks", ICLR
        2018, arXiv:1802.05957, Eq. (16)-(17).
    """

    def generator_loss(self, fake_logits):
        return hinge_generator_loss(fake_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return hinge_discriminator_loss(real_logits, fake_logits)
