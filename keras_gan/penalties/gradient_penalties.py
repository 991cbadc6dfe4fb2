"""Penalties on the gradient of D with respect to its input: WGAN-GP, R1 and R2.

The plain functions take `critic`, a function from samples to D's logits, and
return the mean over the batch; the `Penalty` classes weight them.
"""

import keras
import tensorflow as tf
from keras import ops

from keras_gan.distribute import replica_share
from keras_gan.penalties.penalty import Penalty


def input_gradient_norms_squared(critic, samples):
    """||grad_x D(x)||^2 for each sample of the batch, shape `(batch,)`.

    The inner tape records `samples`; an outer tape (D's update) differentiates
    through it, which is what makes these penalties train D.

    Under `mixed_float16` D's backward runs in float16, where small input
    gradients (which R1 drives towards 0) underflow. A critic that carries
    `gradient_scale` (the GAN's does: its D optimizer's loss scale) gets the
    inner backward run on the scaled sum and unscaled in float32, as the
    LossScaleOptimizer does for the outer one; an overflow makes D's gradients
    non-finite, so that optimizer skips the step and lowers the scale.
    """
    samples = tf.convert_to_tensor(samples)
    scale = getattr(critic, "gradient_scale", None)
    with tf.GradientTape() as tape:
        tape.watch(samples)
        # Each logit depends on its own sample only, so the gradient of the
        # sum is each sample's own gradient.
        total = ops.sum(critic(samples))
        if scale is not None:
            total = total * ops.cast(scale, total.dtype)
    gradients = tape.gradient(total, samples)
    if gradients.dtype in (tf.float16, tf.bfloat16):
        gradients = ops.cast(gradients, "float32")  # squares would overflow or round
    if scale is not None:
        gradients = gradients / ops.cast(scale, gradients.dtype)
    return ops.sum(ops.reshape(ops.square(gradients), (ops.shape(gradients)[0], -1)), axis=1)


def gradient_penalty(critic, real, fake, seed, target=1.0):
    """E[(||grad D(x_hat)|| - target)^2] on random interpolates of data and samples.

    x_hat = eps x + (1 - eps) G(z), eps ~ U[0, 1] per sample, drawn from `seed`.
    """
    shape = (ops.shape(real)[0],) + (1,) * (len(real.shape) - 1)
    epsilon = ops.cast(_replica_share_of_uniform(shape, seed), real.dtype)
    interpolates = epsilon * real + (1.0 - epsilon) * ops.cast(fake, real.dtype)
    # sqrt is not differentiable at 0: a tiny floor keeps the gradient finite.
    norms = ops.sqrt(input_gradient_norms_squared(critic, interpolates) + 1e-12)
    return ops.mean(ops.square(norms - target))


def _replica_share_of_uniform(shape, seed):
    """U[0, 1) of `shape`: this replica's slice of one draw for the global batch.

    So the interpolates, and the run, are the same on 1 or N replicas.
    """
    return replica_share(
        lambda rows: tf.random.stateless_uniform((rows, *shape[1:]), seed), shape[0]
    )


def r1_penalty(critic, real):
    """E[||grad D(x)||^2] on data (before the gamma / 2 weight)."""
    return ops.mean(input_gradient_norms_squared(critic, real))


@keras.saving.register_keras_serializable(package="keras_gan")
class GradientPenalty(Penalty):
    """WGAN-GP: `weight` E[(||grad D(x_hat)|| - target)^2] on interpolates.

    Made for the Wasserstein critic (`loss="wasserstein"`), useful with others.

    Args:
        weight: the paper's lambda (10).
        target: the gradient norm aimed at (1: a 1-Lipschitz critic).
        every: lazy regularisation, see `Penalty`.

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NIPS 2017,
        arXiv:1704.00028, Algorithm 1.
    """

    def __init__(self, weight=10.0, target=1.0, every=1):
        super().__init__(every=every)
        self.weight = _non_negative("weight", weight)
        self.target = float(target)

    def __call__(self, critic, real, fake, seed):
        return self.weight * gradient_penalty(critic, real, fake, seed, self.target)

    def get_config(self):
        return {"weight": self.weight, "target": self.target, **super().get_config()}


@keras.saving.register_keras_serializable(package="keras_gan")
class R1(Penalty):
    """R1: `gamma / 2` E[||grad D(x)||^2] on data; D's gradient vanishes on the data.

    Args:
        gamma: the paper's gamma (10 for CelebA-HQ; smaller for small data).
        every: lazy regularisation, see `Penalty` (16 in StyleGAN2).

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018, arXiv:1801.04406, Eq. (9); lazy: Karras et al.,
        "Analyzing and Improving the Image Quality of StyleGAN", CVPR 2020.
    """

    on = "real"

    def __init__(self, gamma=10.0, every=1):
        super().__init__(every=every)
        self.gamma = _non_negative("gamma", gamma)

    def __call__(self, critic, real, fake, seed):
        samples = real if self.on == "real" else fake
        return 0.5 * self.gamma * r1_penalty(critic, samples)

    def get_config(self):
        return {"gamma": self.gamma, **super().get_config()}


@keras.saving.register_keras_serializable(package="keras_gan")
class R2(R1):
    """R2: R1's penalty on the generator's samples instead of data.

    Reference:
        Mescheder et al., ICML 2018, arXiv:1801.04406, Eq. (10).
    """

    on = "fake"


def _non_negative(name, value):
    value = float(value)
    if not value >= 0.0 or value == float("inf"):
        raise ValueError(f"`{name}` must be a finite number >= 0. Received: {name}={value}")
    return value
