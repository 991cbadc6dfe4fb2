"""The relativistic average game (RaGAN): D judges data relative to samples."""

import tensorflow as tf
from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def relativistic_average_discriminator_loss(real_logits, fake_logits):
    """-E[log s(C(x) - E C(G(z)))] - E[log(1 - s(C(G(z)) - E C(x)))], s the sigmoid.

    Under a `tf.distribute` strategy the averages E C(.) are over the global
    batch, so the loss is the same on 1 or N replicas.
    """
    real_margin = real_logits - global_batch_mean(fake_logits)
    fake_margin = fake_logits - global_batch_mean(real_logits)
    return ops.mean(ops.softplus(-real_margin)) + ops.mean(ops.softplus(fake_margin))


def global_batch_mean(values):
    """The mean over the global batch: over all replicas inside `strategy.run`.

    Replicas hold equal shares of the batch (`GAN` requires it), so the mean
    of their means is the global mean. The all-reduce is differentiable, so
    each replica's gradient reaches the logits of the others.
    """
    mean = ops.mean(values)
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return mean
    return context.all_reduce(tf.distribute.ReduceOp.MEAN, mean)


def relativistic_average_generator_loss(fake_logits, real_logits):
    """The discriminator loss with data and samples swapped: G needs D on data too."""
    return relativistic_average_discriminator_loss(fake_logits, real_logits)


@register("relativistic_average")
class RelativisticAverage(GANLoss):
    """D estimates how much more realistic data is than the average sample.

    G's loss also reads D's logits on a real minibatch (the step's last one),
    so `needs_real_logits` is True.

    Reference:
        Jolicoeur-Martineau, "The relativistic discriminator: a key element
        missing from standard GAN", ICLR 2019, arXiv:1807.00734, Eq. (11)-(12).
    """

    needs_real_logits = True

    def generator_loss(self, fake_logits, real_logits):
        return relativistic_average_generator_loss(fake_logits, real_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return relativistic_average_discriminator_loss(real_logits, fake_logits)

    def inverse_loss(self, real_logits, fake_logits):
        # The generator's loss already swaps the roles of both sides.
        return relativistic_average_generator_loss(fake_logits, real_logits)
