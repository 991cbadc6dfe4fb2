"""Regularisers of the generator, and StyleGAN2's path length regularisation."""

import math

import keras
import tensorflow as tf
from keras import ops

from keras_gan.configurable import Configurable
from keras_gan.distribute import replica_share
from keras_gan.penalties.penalty import instance_of
from keras_gan.validation import positive_int


class GeneratorPenalty(Configurable):
    """Base class of the generator's penalties, passed as
    `GAN.compile(generator_penalties=[...])`.

    A penalty is called as `penalty(generator, z, labels, seed)` inside the
    generator's tape, with the G update's noise and labels (None when
    unconditional) and a stateless `(2,)` seed, and returns the weighted
    scalar penalty of this replica's batch. With `every=N` the GAN applies it
    only on every N-th generator update, times N (lazy regularisation, as the
    discriminator's `Penalty`; the count is G's optimizer's iterations).

    `check(generator)` is called when the GAN is compiled: a penalty that
    needs more of G than a call raises there, before any training.

    Args:
        every: apply on every `every`-th generator update (>= 1).
    """

    def __init__(self, every=1):
        self.every = positive_int("every", every)

    def check(self, generator):
        """Raises a ValueError if `generator` lacks what the penalty needs."""

    def __call__(self, generator, z, labels, seed):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def get_config(self):
        return {"every": self.every}


def get(identifier):
    """A `GeneratorPenalty` from an instance or a serialized config."""
    return instance_of(identifier, GeneratorPenalty, "generator penalty", "PathLength")


def path_lengths(generator, ws, seed):
    """||J_w^T y||: for each sample, the length of the image-space step y's
    pull-back to w, y ~ N(0, I) / sqrt(H W), averaged over the style layers
    as StyleGAN2-ADA does (the root of the mean over layers of the summed
    squares). Returns `(batch,)` float32."""
    with tf.GradientTape() as tape:
        tape.watch(ws)
        images = generator.synthesize(ws, training=True)
        noise = _replica_share_of_normal(tf.shape(images), seed)
        side = images.shape[1] * images.shape[2]
        total = ops.sum(ops.cast(images, "float32") * noise) / math.sqrt(side)
    gradients = ops.cast(tape.gradient(total, ws), "float32")
    return ops.sqrt(ops.mean(ops.sum(ops.square(gradients), axis=2), axis=1))


@keras.saving.register_keras_serializable(package="keras_gan")
class PathLength(GeneratorPenalty):
    """StyleGAN2's path length regularisation: `weight` E[(||J_w^T y|| - a)^2].

    a is a running mean of the lengths (decay `decay`), kept in the
    generator's `path_length_mean` (saved with it); under a distribution
    strategy each replica keeps its own from its own batch, as each GPU does
    in the reference. The penalty is computed on every
    `batch_shrink`-th sample of the update's batch, a fresh pass of G; it
    asks that a step in w move the image by the same amount wherever w is.
    Needs a generator with `map`, `synthesize` and `path_length_mean`
    (`StyleGAN2Generator`).

    Args:
        weight: StyleGAN2's pl_weight (2).
        decay: of the running mean (0.01).
        batch_shrink: the penalty's batch is the update's divided by this (2).
        every: lazy regularisation (StyleGAN2: every 4th G update).

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020, arXiv:1912.04958, Section 3.2 and Eq. 4;
        NVlabs/stylegan2-ada-pytorch training/loss.py (`Gpl`).
    """

    def __init__(self, weight=2.0, decay=0.01, batch_shrink=2, every=4):
        super().__init__(every=every)
        self.weight = float(weight)
        self.decay = float(decay)
        if not (math.isfinite(self.weight) and self.weight >= 0):
            raise ValueError(f"`weight` must be a number >= 0. Received: weight={weight}")
        if not 0.0 < self.decay <= 1.0:
            raise ValueError(f"`decay` must be in (0, 1]. Received: decay={decay}")
        self.batch_shrink = positive_int("batch_shrink", batch_shrink)

    def check(self, generator):
        missing = [name for name in ("map", "synthesize") if not hasattr(generator, name)]
        if missing:
            raise ValueError(
                "PathLength needs a generator that maps z to per-layer styles and renders "
                "them (map, synthesize and a path_length_mean weight: StyleGAN2Generator). "
                f"Received: {type(generator).__name__}, which lacks {', '.join(missing)}"
            )

    def __call__(self, generator, z, labels, seed):
        # Every batch_shrink-th sample (the reference takes the first ones of
        # fresh noise: the same in law); strided, so N replicas whose batches
        # divide by batch_shrink pick the samples one device picks.
        z = z[:: self.batch_shrink]
        inputs = z if labels is None else [z, labels[:: self.batch_shrink]]
        ws = generator.map(inputs, training=True)
        lengths = path_lengths(generator, ws, seed)
        previous = ops.cast(generator.path_length_mean, "float32")
        mean = previous + self.decay * (ops.mean(lengths) - previous)
        generator.path_length_mean.assign(ops.stop_gradient(mean))
        # As the reference, the penalty's mean is not detached: its gradient
        # flows through the decay-weighted part that is this batch's mean.
        return self.weight * ops.mean(ops.square(lengths - mean))

    def get_config(self):
        return {
            "weight": self.weight,
            "decay": self.decay,
            "batch_shrink": self.batch_shrink,
            **super().get_config(),
        }


def _replica_share_of_normal(shape, seed):
    """N(0, 1) of `shape` (a shape tensor): this replica's slice of one draw for the
    global batch, so the run is the same on 1 or N replicas."""
    return replica_share(
        lambda rows: tf.random.stateless_normal(tf.concat([[rows], shape[1:]], 0), seed), shape[0]
    )
