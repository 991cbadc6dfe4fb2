"""The truncation trick (Brock et al. 2019): z kept inside a threshold by resampling."""

import math

import numpy as np

from keras_gan.sampling.base import LatentSampler
from keras_gan.sampling.base import check_positive
from keras_gan.sampling.base import fold
from keras_gan.sampling.base import generator_outputs
from keras_gan.sampling.base import register
from keras_gan.sampling.base import seed_of

MAX_REDRAWS = 10000


@register("truncation")
class Truncation(LatentSampler):
    """Draws z from the latent distribution truncated to |z_i| <= threshold, then G(z).

    Each coordinate outside the threshold is drawn again (from the draw's own
    seed) until it falls inside, as BigGAN does: the result is the latent
    distribution conditioned on the box, not rescaled into it. Smaller
    thresholds trade variety (recall) for typical samples (precision).
    With a threshold at or beyond the distribution's support (infinity;
    sqrt(3) for `"uniform"`) nothing is redrawn, and the samples equal
    `GAN.generate(n, seed)` to the bit.

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
        z = gan.sample_latent(num_samples, seed=seed).numpy()
        limit = self.threshold
        if gan.latent_distribution == "uniform" and limit >= math.sqrt(3.0):
            return z
        for draw in range(1, MAX_REDRAWS + 1):
            outside = np.abs(z) > limit
            if not outside.any():
                return z
            again = gan.sample_latent(num_samples, seed=fold(seed, draw)).numpy()
            z = np.where(outside, again, z)
        raise ValueError(
            f"After {MAX_REDRAWS} redraws some of z is still outside the threshold; it is too "
            f"small to reach by resampling. Received: threshold={self.threshold}"
        )

    def generate(self, gan, num_samples, seed, labels=None):
        z = self.latent(gan, num_samples, seed)
        self.cost = {"generator_calls_per_sample": 1.0, "discriminator_calls_per_sample": 0.0}
        # One call on the whole batch, as `GAN.generate` makes it.
        return generator_outputs(gan, z, labels).numpy()
