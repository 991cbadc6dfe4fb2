"""The relativistic standard game (RSGAN), RelGAN's loss: D judges each data sample
against the sample paired with it."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def relativistic_discriminator_loss(real_logits, fake_logits):
    """-E[log s(C(x_i) - C(G(z_i)))], s the sigmoid, over pairs i of the batch.

    The i-th data and the i-th generated sample are a pair: both batches must
    have the same shape (under `tf.distribute`, each replica pairs its own
    shares, which needs no communication).
    """
    return ops.mean(ops.softplus(fake_logits - real_logits))


def relativistic_generator_loss(fake_logits, real_logits):
    """-E[log s(C(G(z_i)) - C(x_i))]: the discriminator loss with the roles swapped."""
    return relativistic_discriminator_loss(fake_logits, real_logits)


@register("relativistic")
class Relativistic(GANLoss):
    """D estimates the probability that a data sample is more realistic than a
    generated one, pair by pair; G the reverse (RSGAN). RelGAN's text GAN uses
    it (`--gan-type RSGAN` in its code: `sigmoid_cross_entropy(real - fake, 1)`).

    G's loss reads D's logits on a real minibatch (the step's last one), so
    `needs_real_logits` is True.

    Reference:
        Jolicoeur-Martineau, "The relativistic discriminator: a key element
        missing from standard GAN", ICLR 2019, arXiv:1807.00734, Eq. (7)-(8).
    """

    needs_real_logits = True

    def generator_loss(self, fake_logits, real_logits):
        return relativistic_generator_loss(fake_logits, real_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return relativistic_discriminator_loss(real_logits, fake_logits)

    def inverse_loss(self, real_logits, fake_logits):
        # The generator's loss already swaps the roles of both sides.
        return relativistic_generator_loss(fake_logits, real_logits)
