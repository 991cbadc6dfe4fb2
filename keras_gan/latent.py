"""The latent noise of a GAN: one definition for training, `generate` and the export."""

import math

import tensorflow as tf

DISTRIBUTIONS = ("uniform", "normal")


def check_distribution(distribution):
    """Returns `distribution`, or raises naming it if it is not one of `DISTRIBUTIONS`
    (or a structured code object with `sample(batch_size, seed)` and `latent_dim`,
    such as `keras_gan.latent_codes.InfoGANCodes`)."""
    if is_structured(distribution):
        return distribution
    if distribution not in DISTRIBUTIONS:
        raise ValueError(
            f"Unknown `latent_distribution`: expected one of {list(DISTRIBUTIONS)}. "
            f"Received: latent_distribution={distribution!r}"
        )
    return distribution


def is_structured(distribution):
    """True for a latent object (InfoGAN's codes), False for a named distribution."""
    return not isinstance(distribution, str) and hasattr(distribution, "sample")


def sample(distribution, batch_size, latent_dim, seed):
    """Draws a `(batch_size, latent_dim)` float32 batch with stateless random ops.

    The same seed gives the same noise in every process, in eager code, in a
    `tf.function` and in an exported SavedModel (with the same `jit_compile`
    setting: XLA draws other numbers for a seed than TensorFlow's CPU kernels).

    Args:
        distribution: `"uniform"` on [-sqrt(3), sqrt(3)] (unit variance, the
            paper's code) or `"normal"` (standard normal).
        batch_size: int or scalar integer tensor.
        latent_dim: int.
        seed: shape-`(2,)` integer seed tensor.
    """
    if is_structured(distribution):
        if distribution.latent_dim != int(latent_dim):
            raise ValueError(
                f"The codes give z of size {distribution.latent_dim}. Received: "
                f"latent_dim={latent_dim}"
            )
        return distribution.sample(batch_size, seed)
    shape = tf.stack([tf.cast(batch_size, tf.int32), int(latent_dim)])
    if distribution == "uniform":
        limit = math.sqrt(3.0)
        return tf.random.stateless_uniform(shape, seed, minval=-limit, maxval=limit)
    return tf.random.stateless_normal(shape, seed)


def seed_tensor(seed):
    """An int (or int64 scalar tensor) seed as the shape-(2,) seed stateless ops take."""
    return tf.stack([tf.cast(seed, tf.int64), tf.constant(0, tf.int64)])
