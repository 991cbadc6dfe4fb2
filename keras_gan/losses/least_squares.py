"""The least-squares game of LSGAN."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def least_squares_discriminator_loss(real_logits, fake_logits):
    """(E[(D(x) - 1)^2] + E[D(G(z))^2]) / 2, on D's raw outputs (a = 0, b = 1)."""
    return 0.5 * (ops.mean(ops.square(real_logits - 1.0)) + ops.mean(ops.square(fake_logits)))


def least_squares_generator_loss(fake_logits):
    """E[(D(G(z)) - 1)^2] / 2 (c = 1)."""
    return 0.5 * ops.mean(ops.square(fake_logits - 1.0))


@register("least_squares")
class LeastSquares(GANLoss):
    """D regresses its raw output to 1 on data and 0 on samples; G pulls it to 1.

    The 0-1-1 coding of the paper's Eq. (9); penalises samples far from the
    decision boundary even when they are classified right.

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV
        2017, arXiv:1611.04076, Eq. (2) and (9).
    """

    def generator_loss(self, fake_logits):
        return least_squares_generator_loss(fake_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return least_squares_discriminator_loss(real_logits, fake_logits)

    def inverse_loss(self, real_logits, fake_logits):
        # The encoder pulls D's output on data to the samples' target, 0.
        return least_squares_generator_loss(fake_logits) + 0.5 * ops.mean(ops.square(real_logits))
