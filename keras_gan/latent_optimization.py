"""Latent optimisation (LOGAN, Wu et al. 2019): z moved up D by one step before each update.

`GAN.compile(latent_optimization=LatentOptimization(...))`. In every D and G
update of a training step, the step's noise z is replaced by
z' = z + dz, dz a (natural-)gradient step on D(G(z)) with respect to z, and
the losses are taken on G(z'). `generate`, pictures and the export are
unchanged: the step improves the game's updates, not the samples' z.
"""

import math

import keras
import tensorflow as tf

from keras_gan.configurable import Configurable


@keras.saving.register_keras_serializable(package="keras_gan")
class LatentOptimization(Configurable):
    """One step in z up D's logit: natural gradient (LOGAN's NGD) or plain gradient.

    With g = d D(G(z)) / dz per sample:
        natural:  dz = alpha * g / (beta + |g|^2)
        gradient: dz = alpha * g
    z' = z + dz, on a share `rate` of the batch's samples (the rest keep z;
    StudioGAN's `latent_op_rate`), kept inside the uniform latent box by
    clipping. G and D run in training mode for g, as in the step (StudioGAN's
    too), so their batch-norm statistics and spectral norm's power iteration
    advance on this pass as well.

    First-order only: no gradient flows through dz into the networks'
    updates (dz is a constant of the update). LOGAN's analysis and
    StudioGAN's `latent_optimise` (`create_graph=True`) keep that
    second-order term, which relates the method to symplectic gradient
    adjustment; it is not built here.

    Args:
        alpha: step size (LOGAN's BigGAN-deep NGD: 0.9).
        beta: damping of the natural gradient (LOGAN: 5).
        natural: natural gradient (True) or plain gradient ascent.
        rate: the share of each batch whose z is moved, in (0, 1].

    Reference:
        Wu, Donahue, Balduzzi, Simonyan & Lillicrap, "LOGAN: Latent
        Optimisation for Generative Adversarial Networks", 2019,
        arXiv:1912.00953.
    """

    def __init__(self, alpha=0.9, beta=5.0, natural=True, rate=1.0):
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.natural = bool(natural)
        self.rate = float(rate)
        if not (math.isfinite(self.alpha) and self.alpha > 0):
            raise ValueError(f"`alpha` must be a number > 0. Received: alpha={alpha!r}")
        if not (math.isfinite(self.beta) and self.beta > 0):
            raise ValueError(f"`beta` must be a number > 0. Received: beta={beta!r}")
        if not 0 < self.rate <= 1:
            raise ValueError(f"`rate` must be in (0, 1]. Received: rate={rate!r}")

    def get_config(self):
        return {"alpha": self.alpha, "beta": self.beta, "natural": self.natural, "rate": self.rate}

    def step(self, z, logit_of, seed, limit=None):
        """z' for a batch z: `logit_of(z)` gives D(G(z)) per sample, differentiable in z.

        Args:
            z: `(batch, latent_dim)` float32.
            logit_of: z -> `(batch,)` logits.
            seed: shape-(2,) seed of the draw choosing the moved samples
                (used only with `rate` < 1).
            limit: clip z' to [-limit, limit] (the uniform latent box), or None.
        """
        with tf.GradientTape() as tape:
            tape.watch(z)
            total = tf.reduce_sum(logit_of(z))
        gradient = tape.gradient(total, z)
        if self.natural:
            norms = tf.reduce_sum(tf.square(gradient), axis=-1, keepdims=True)
            delta = self.alpha * gradient / (self.beta + norms)
        else:
            delta = self.alpha * gradient
        if self.rate < 1:
            chosen = tf.random.stateless_uniform(tf.shape(z)[:1], seed) < self.rate
            delta = delta * tf.cast(chosen, delta.dtype)[:, None]
        moved = z + delta
        if limit is not None:
            moved = tf.clip_by_value(moved, -limit, limit)
        return tf.stop_gradient(moved)
