"""The truncation trick (Brock et al. 2019): z kept inside a threshold by resampling."""

import math

import tensorflow as tf

from keras_gan import latent as latent_lib
from keras_gan.sampling.base import LatentSampler
from keras_gan.sampling.base import check_positive
from keras_gan.sampling.base import fold
from keras_gan.sampling.base import generator_outputs
from keras_gan.sampling.base import register
from keras_gan.sampling.base import seed_of

MAX_REDRAWS = 10000


def truncated_latent(distribution, num_samples, latent_dim, seed, threshold):
    """`(num_samples, latent_dim)` z from `distribution` truncated to |z_i| <= threshold.

    TensorFlow ops only, so the same function runs eagerly (`Truncation`) and
    inside an exported SavedModel (`generate_truncated`): the same seed gives
    the same z in both. Each coordinate outside the threshold is replaced by
    the same coordinate of draw number 1, 2, ... (each from `fold(seed, k)`)
    until none is left, at most `MAX_REDRAWS` draws; more is an
    InvalidArgument error.

    Args:
        distribution: `"uniform"` or `"normal"` (`keras_gan.latent.sample`).
        num_samples: int or int32 scalar tensor.
        latent_dim: int.
        seed: shape-(2,) int64 seed tensor.
        threshold: float or float32 scalar tensor, > 0 (checked by the caller).
    """
    threshold = tf.cast(threshold, tf.float32)

    def draw(k):
        return latent_lib.sample(distribution, num_samples, latent_dim, fold(seed, k))

    def outside(z):
        return tf.abs(z) > threshold

    def redraw_left(k, z):
        return tf.logical_and(k <= MAX_REDRAWS, tf.reduce_any(outside(z)))

    def redraw(k, z):
        return k + 1, tf.where(outside(z), draw(k), z)

    first = latent_lib.sample(distribution, num_samples, latent_dim, seed)
    _, z = tf.while_loop(redraw_left, redraw, (tf.constant(1), first))
    check = tf.debugging.Assert(
        tf.logical_not(tf.reduce_any(outside(z))),
        [
            f"After {MAX_REDRAWS} redraws some of z is still outside the truncation threshold; "
            "it is too small to reach by resampling. Received: truncation =",
            threshold,
        ],
    )
    with tf.control_dependencies([check]):
        return tf.identity(z)


@register("truncation")
class Truncation(LatentSampler):
    """Draws z from the latent distribution truncated to |z_i| <= threshold, then G(z).

    Each coordinate outside the threshold is drawn again (from the draw's own
    seed) until it falls inside, as BigGAN does: the result is the latent
    distribution conditioned on the box, not rescaled into it. Smaller
    thresholds trade variety (recall) for typical samples (precision).
    With a threshold at or beyond the distribution's support (infinity;
    sqrt(3) for `"uniform"`) nothing is redrawn, and the samples equal
    `GAN.generate(n, seed)` to the bit. An export's `generate_truncated`
    signature draws the same z for the same seed (`truncated_latent`).

    Args:
        threshold: > 0.
    """

    def __init__(self, threshold=1.0):
        self.threshold = check_positive("threshold", threshold)

    def get_config(self):
        return {"threshold": self.threshold}

    def latent(self, gan, num_samples, seed):
        """The truncated latent batch, `(num_samples, latent_dim)` float32."""
        seed = seed_of(seed)
        if gan.latent_distribution == "uniform" and self.threshold >= math.sqrt(3.0):
            return gan.sample_latent(num_samples, seed=seed).numpy()
        try:
            z = truncated_latent(
                gan.latent_distribution, num_samples, gan.latent_dim, seed, self.threshold
            )
        except tf.errors.InvalidArgumentError as error:
            raise ValueError(
                f"After {MAX_REDRAWS} redraws some of z is still outside the threshold; it is "
                f"too small to reach by resampling. Received: threshold={self.threshold}"
            ) from error
        return z.numpy()

    def generate(self, gan, num_samples, seed, labels=None):
        z = self.latent(gan, num_samples, seed)
        self.cost = {"generator_calls_per_sample": 1.0, "discriminator_calls_per_sample": 0.0}
        # One call on the whole batch, as `GAN.generate` makes it.
        return generator_outputs(gan, z, labels).numpy()


@register("w_truncation")
class WTruncation(LatentSampler):
    """StyleGAN's truncation: z as `GAN.generate` draws it, its w pulled towards
    the running mean of w, w_avg + psi (w - w_avg), in the first `cutoff`
    style layers (all if None). psi 1 gives `GAN.generate(n, seed)`'s samples;
    psi 0 one image per class. An export's `generate_w_truncated` signature
    gives the same samples. Needs a generator with a mapping network
    (`StyleGAN2Generator`).

    Args:
        psi: the pull; finite (StyleGAN: 0.5-0.7 for typical samples).
        cutoff: style layers truncated, None: all.

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019, arXiv:1812.04948, Section 3.3.
    """

    def __init__(self, psi=0.7, cutoff=None):
        self.psi = float(psi)
        if not math.isfinite(self.psi):
            raise ValueError(f"`psi` must be a finite number. Received: psi={psi}")
        self.cutoff = None if cutoff is None else int(cutoff)
        if self.cutoff is not None and self.cutoff < 0:
            raise ValueError(f"`cutoff` must be >= 0 or None. Received: cutoff={cutoff}")

    def get_config(self):
        return {"psi": self.psi, "cutoff": self.cutoff}

    def generate(self, gan, num_samples, seed, labels=None):
        generator = gan.sampler
        if not hasattr(generator, "truncate"):
            raise ValueError(
                "The 'w_truncation' sampler pulls w, the output of a mapping network, towards its "
                "mean; this generator has none (StyleGAN2Generator has). Received: a "
                f"{type(generator).__name__}"
            )
        z = gan.sample_latent(num_samples, seed=seed_of(seed))
        inputs = z if labels is None else [z, tf.convert_to_tensor(labels, tf.int32)]
        self.cost = {"generator_calls_per_sample": 1.0, "discriminator_calls_per_sample": 0.0}
        samples = generator(
            inputs, training=False, truncation_psi=self.psi, truncation_cutoff=self.cutoff
        )
        return tf.cast(samples, tf.float32).numpy()
