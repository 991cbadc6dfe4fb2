"""Discriminator optimal transport in z (DOT, Tanaka 2019)."""

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


@register("optimal_transport")
class OptimalTransport(LatentSampler):
    """Each z moved to minimise |z - z0| - l(G(z)) / k, then G(z).

    Tanaka's latent-space DOT: z0 is the drawn noise, l D's logit and k the
    Lipschitz constant of l(G(.)) estimated on pairs of the batch (the
    largest |l(G(z1)) - l(G(z2))| / |z1 - z2|), so a sample moves towards
    where D sees data only as far as the transport cost allows. Minimised by
    `steps` steps of Adam at `learning_rate`, as in the paper.

    Args:
        steps: optimisation steps (each one G and one D call, forward and back).
        learning_rate: Adam's.
    """

    uses_discriminator = True

    def __init__(self, steps=20, learning_rate=0.01):
        self.steps = check_positive("steps", steps, integer=True)
        self.learning_rate = check_positive("learning_rate", learning_rate)

    def get_config(self):
        return {"steps": self.steps, "learning_rate": self.learning_rate}

    def lipschitz(self, gan, z, labels):
        """The largest |l(G(z1)) - l(G(z2))| / |z1 - z2| over pairs of `z`."""
        logits = discriminator_logits(gan, generator_outputs(gan, z, labels), labels).numpy()
        z = np.asarray(z)
        gaps = np.abs(logits[:, None] - logits[None, :])
        distances = np.linalg.norm(z[:, None] - z[None, :], axis=-1)
        np.fill_diagonal(distances, np.inf)
        return float(max((gaps / distances).max(), 1e-12))

    def latent(self, gan, num_samples, seed, labels=None):
        seed = seed_of(seed)
        z = gan.sample_latent(num_samples, seed=seed)
        probe = gan.sample_latent(min(num_samples, 100) + 1, seed=fold(seed, 1))
        probe_labels = None if labels is None else np.asarray(labels)[: len(probe)]
        if probe_labels is not None and len(probe_labels) < len(probe):
            probe = probe[: len(probe_labels)]
        k = self.lipschitz(gan, probe, probe_labels)
        chunks = []
        bar = self._progress(num_samples, "sample")
        for start in range(0, num_samples, CHUNK):
            part = z[start : start + CHUNK]
            part_labels = None if labels is None else np.asarray(labels)[start : start + CHUNK]
            chunks.append(self._run(gan, part, k, part_labels).numpy())
            if bar is not None:
                bar.update(min(num_samples, start + CHUNK))
        return np.concatenate(chunks)

    def _run(self, gan, z0, k, labels):
        z = tf.Variable(z0)
        optimizer = _Adam(self.learning_rate)
        for _ in range(self.steps):
            with tf.GradientTape() as tape:
                x = generator_outputs(gan, z, labels)
                distance = tf.sqrt(tf.reduce_sum(tf.square(z - z0), axis=-1) + 1e-12)
                objective = tf.reduce_sum(distance - discriminator_logits(gan, x, labels) / k)
            optimizer.step(z, tape.gradient(objective, z))
        return tf.convert_to_tensor(z)

    def generate(self, gan, num_samples, seed, labels=None):
        z = self.latent(gan, num_samples, seed, labels)
        self.cost = {
            "generator_calls_per_sample": 1.0 + 2.0 * self.steps,
            "discriminator_calls_per_sample": 2.0 * self.steps,
        }
        return generator_outputs(gan, z, labels).numpy()


class _Adam:
    """Adam on one variable (per-coordinate, as Keras' defaults)."""

    def __init__(self, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate, self.beta_1, self.beta_2, self.epsilon = (
            learning_rate,
            beta_1,
            beta_2,
            epsilon,
        )
        self.m = self.v = None
        self.t = 0

    def step(self, variable, gradient):
        if self.m is None:
            self.m = tf.zeros_like(gradient)
            self.v = tf.zeros_like(gradient)
        self.t += 1
        self.m = self.beta_1 * self.m + (1 - self.beta_1) * gradient
        self.v = self.beta_2 * self.v + (1 - self.beta_2) * tf.square(gradient)
        m_hat = self.m / (1 - self.beta_1**self.t)
        v_hat = self.v / (1 - self.beta_2**self.t)
        variable.assign_sub(self.learning_rate * m_hat / (tf.sqrt(v_hat) + self.epsilon))
