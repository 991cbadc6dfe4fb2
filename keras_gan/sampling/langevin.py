"""Discriminator-driven latent sampling (DDLS, Che et al. 2020): Langevin dynamics in z."""

import math

import numpy as np
import tensorflow as tf

from keras_gan.sampling.base import CHUNK
from keras_gan.sampling.base import LatentSampler
from keras_gan.sampling.base import check_positive
from keras_gan.sampling.base import discriminator_logits
from keras_gan.sampling.base import fold
from keras_gan.sampling.base import generator_outputs
from keras_gan.sampling.base import register
from keras_gan.sampling.base import seed_of


def log_prior(distribution, z):
    """log p0(z) up to a constant: -|z|^2 / 2 for the normal, 0 inside the uniform's box."""
    if distribution == "normal":
        return -0.5 * tf.reduce_sum(tf.square(z), axis=-1)
    return tf.zeros(tf.shape(z)[:1])


def langevin_steps(gan, z, seed, labels, steps, step_size, calibration):
    """z after `steps` Langevin steps on E(z) = -log p0(z) - l(G(z)), one chunk.

    TensorFlow ops only (`steps` may be a tensor), so `LangevinSampling` runs
    it eagerly and an export's `generate_refined` signature runs it in its
    graph: the same z, seed and steps give the same result in both. Step k
    draws its noise from `fold(seed, k)`.
    """
    scale, offset = calibration
    limit = math.sqrt(3.0) if gan.latent_distribution == "uniform" else None

    def step(k, z):
        with tf.GradientTape() as tape:
            tape.watch(z)
            x = generator_outputs(gan, z, labels)
            logits = scale * discriminator_logits(gan, x, labels) + offset
            energy = tf.reduce_sum(-log_prior(gan.latent_distribution, z) - logits)
        gradient = tape.gradient(energy, z)
        noise = tf.random.stateless_normal(tf.shape(z), fold(seed, k))
        z = z - 0.5 * step_size * gradient + math.sqrt(step_size) * noise
        if limit is not None:
            z = tf.clip_by_value(z, -limit, limit)
        return k + 1, z

    _, z = tf.while_loop(lambda k, z: k < steps, step, (tf.constant(0), z))
    return z


@register("langevin")
class LangevinSampling(LatentSampler):
    """z moved by Langevin dynamics on E(z) = -log p0(z) - l(G(z)), then G(z).

    l is D's (calibrated) logit. With an optimal D, exp(-E) is the latent
    density whose image under G is p_data, so the chain samples the data
    distribution as steps grow and step sizes shrink. Each step:
    z <- z - step_size / 2 * grad E(z) + sqrt(step_size) * noise. With a
    uniform latent distribution, z is kept inside its box by clipping.

    Args:
        steps: Langevin steps (each one G and one D call, forward and back).
        step_size: > 0.
        calibration: `(scale, offset)` applied to D's logit.
    """

    uses_discriminator = True

    def __init__(self, steps=50, step_size=0.01, calibration=(1.0, 0.0)):
        self.steps = check_positive("steps", steps, integer=True, minimum=0)
        self.step_size = check_positive("step_size", step_size)
        self.calibration = tuple(float(c) for c in calibration)

    def get_config(self):
        return {
            "steps": self.steps,
            "step_size": self.step_size,
            "calibration": list(self.calibration),
        }

    def latent(self, gan, num_samples, seed, labels=None):
        """The latent batch after `steps` Langevin steps, CHUNK samples at a time."""
        seed = seed_of(seed)
        z = gan.sample_latent(num_samples, seed=seed)
        chunks = []
        bar = self._progress(num_samples, "sample")
        for start in range(0, num_samples, CHUNK):
            part = z[start : start + CHUNK]
            part_labels = None if labels is None else np.asarray(labels)[start : start + CHUNK]
            chunks.append(
                langevin_steps(
                    gan,
                    part,
                    fold(seed, start),
                    part_labels,
                    self.steps,
                    self.step_size,
                    self.calibration,
                ).numpy()
            )
            if bar is not None:
                bar.update(min(num_samples, start + CHUNK))
        return np.concatenate(chunks)

    def generate(self, gan, num_samples, seed, labels=None):
        z = self.latent(gan, num_samples, seed, labels)
        self.cost = {
            "generator_calls_per_sample": 1.0 + 2.0 * self.steps,  # forward and backward
            "discriminator_calls_per_sample": 2.0 * self.steps,
        }
        return generator_outputs(gan, z, labels).numpy()
