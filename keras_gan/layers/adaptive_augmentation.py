"""What augmentations in front of D share: the chance p of each transform, ADA's
heuristic that steers p, and random draws that are the same on 1 or N replicas."""

import math

import keras
import tensorflow as tf
from keras import ops

from keras_gan.distribute import replica_share


class AdaptiveAugmentation(keras.layers.Layer):
    """A base for augmentation layers whose transforms each apply with chance p.

    Subclasses transform in `call` (training only) and draw their randomness
    through `_uniform_rows` and `_normal_rows`. `GAN` calls `observe` with D's
    logits on every real minibatch, which steers p when `adaptive_target` is set.

    Args:
        probability: p, the chance that each transform is applied to a sample.
            With `adaptive_target` it is the start.
        adaptive_target: None, or the target of ADA's overfitting heuristic
            r_t = E[sign(D(x))] on data (0.6 in the ADA paper); p then rises
            while r_t is above it and falls below, and `GAN.fit` logs it as
            `augment_p` (its mean over the epoch).
        adaptive_images: images for p to go from 0 to 1 at the fastest (ADA:
            500,000).
        value_range: `(low, high)` of the images' pixels.
        seed: seed of the layer's SeedGenerator.
    """

    def __init__(
        self,
        probability=1.0,
        adaptive_target=None,
        adaptive_images=500_000,
        value_range=(0.0, 1.0),
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not 0.0 <= float(probability) <= 1.0:
            raise ValueError(
                f"`probability` must be in [0, 1]. Received: probability={probability}"
            )
        if adaptive_target is not None and not -1.0 < float(adaptive_target) < 1.0:
            raise ValueError(
                "`adaptive_target` is a target of E[sign(D(x))], in (-1, 1). "
                f"Received: adaptive_target={adaptive_target}"
            )
        if int(adaptive_images) < 1:
            raise ValueError(f"`adaptive_images` must be >= 1. Received: {adaptive_images}")
        self.initial_probability = float(probability)
        self.adaptive_target = None if adaptive_target is None else float(adaptive_target)
        self.adaptive_images = int(adaptive_images)
        self.value_range = _value_range(value_range)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        # A weight, so .keras files save it; the mean of the replicas' updates.
        self.probability = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(self.initial_probability),
            trainable=False,
            aggregation="mean",
            name="probability",
        )
        # ADA's p in the training logs (`augment_p`, its mean over the epoch), as the ADA
        # code prints it; a metric, so not among the weights a .keras file holds.
        self.probability_tracker = None
        if self.adaptive_target is not None:
            self.probability_tracker = keras.metrics.Mean(name="augment_p")

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"{type(self).__name__} transforms images (batch, height, width, channels). "
                f"Received: inputs of shape {tuple(input_shape)}"
            )
        self.built = True

    def observe(self, real_logits):
        """ADA's update from D's logits on a real minibatch (no-op unless adaptive).

        Under a distribution strategy the heuristic and the step use the
        global minibatch (a sum over replicas), so every replica assigns the
        same value and N replicas adapt as one device does.
        """
        if self.adaptive_target is None:
            return
        signs = ops.sum(ops.sign(ops.cast(real_logits, "float32")))
        batch = ops.cast(ops.shape(real_logits)[0], "float32")
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            signs, batch = context.all_reduce("sum", [signs, batch])
        step = ops.sign(signs / batch - self.adaptive_target) * batch / self.adaptive_images
        probability = ops.clip(self.probability + step, 0.0, 1.0)
        self.probability.assign(probability)
        self.probability_tracker.update_state(probability)

    def _uniform_rows(self, images, shape, low=0.0, high=1.0, dtype=None):
        """Uniform draws of `shape` per sample: this replica's slice of the global batch's.

        Every replica draws for the global batch with the same generator state
        and keeps its own rows, as `GAN` does with its noise, so replicas never
        share augmentations and N replicas augment as one device does.
        """
        return replica_share(
            lambda rows: keras.random.uniform(
                (rows, *shape), low, high, dtype=dtype or images.dtype, seed=self.seed_generator
            ),
            ops.shape(images)[0],
        )

    def _normal_rows(self, images, shape):
        """Standard normal draws of `shape` per sample, shared out as `_uniform_rows`."""
        return replica_share(
            lambda rows: keras.random.normal(
                (rows, *shape), dtype="float32", seed=self.seed_generator
            ),
            ops.shape(images)[0],
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "probability": self.initial_probability,
                "adaptive_target": self.adaptive_target,
                "adaptive_images": self.adaptive_images,
                "value_range": list(self.value_range),
                "seed": self.seed,
            }
        )
        return config


def _value_range(value_range):
    try:
        low, high = (float(v) for v in value_range)
    except (TypeError, ValueError):
        low = high = float("nan")
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(
            "`value_range` must be two finite numbers (low, high) with low < high. "
            f"Received: value_range={value_range!r}"
        )
    return low, high
