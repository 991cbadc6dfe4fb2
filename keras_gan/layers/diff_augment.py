"""DiffAugment: differentiable augmentation of everything the discriminator sees."""

import math

import keras
import tensorflow as tf
from keras import ops

from keras_gan.distribute import replica_share

TRANSFORMS = ("color", "translation", "cutout")


@keras.saving.register_keras_serializable(package="keras_gan")
class DiffAugment(keras.layers.Layer):
    """Random, differentiable colour, translation and cutout of an image batch.

    Given to `GAN(..., augmentation=DiffAugment())`, it sits in front of the
    discriminator: every batch D sees in training, real or generated, in the
    D step, the G step and the penalties, goes through the same policy, and
    G's gradient flows back through it. In inference (`training=False`) it
    is the identity. Each transform is drawn independently per sample.

    - `color`: brightness (+U[-0.5, 0.5] of half the `value_range`, so
      U[-0.25, 0.25] in [0, 1]), saturation (x U[0, 2] around the pixel's
      channel mean) and contrast (x U[0.5, 1.5] around the image mean);
    - `translation`: a shift by up to `translation_ratio` of the size, zero fill;
    - `cutout`: a zeroed square of `cutout_ratio` of the size at a random place.

    The values are the paper's, whose images are in [-1, 1]; the brightness
    shift is scaled to `value_range` so that it is as strong relative to the
    images' range as in the paper. The fill is not: translation and cutout
    fill with 0, which is mid-grey in the paper's [-1, 1] but the darkest
    value in keras_gan's [0, 1] (MNIST's background; black on CIFAR-10).
    Which fill trains better has not been measured here (no shipped config
    uses DiffAugment: configs/cifar10.cfg dropped it in 0.9).

    Args:
        policy: comma-separated transforms in the order applied, from
            `"color"`, `"translation"`, `"cutout"`.
        probability: chance that each transform is applied to a sample (1 is
            the paper's DiffAugment). With `adaptive_target` it is the start.
        adaptive_target: None, or the target of ADA's overfitting heuristic
            r_t = E[sign(D(x))] on data (0.6 in the ADA paper); the
            probability then rises while r_t is above it and falls below,
            and `GAN.fit` logs it as `augment_p` (its mean over the epoch).
        adaptive_images: images for the probability to go from 0 to 1 at the
            fastest (ADA: 500,000).
        translation_ratio: largest shift, as a fraction of height and width.
        cutout_ratio: side of the cut-out square, as a fraction.
        value_range: `(low, high)` of the images' pixels: `(0, 1)` for
            keras_gan's data and generators, `(-1, 1)` for tanh generators.
            Files saved before it existed load with `(-1, 1)`, the brightness
            they trained with.
        seed: seed of the layer's SeedGenerator.

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020, arXiv:2006.10738; adaptive: Karras et al.,
        "Training Generative Adversarial Networks with Limited Data",
        NeurIPS 2020, arXiv:2006.06676, Section 3.
    """

    def __init__(
        self,
        policy="color,translation,cutout",
        probability=1.0,
        adaptive_target=None,
        adaptive_images=500_000,
        translation_ratio=0.125,
        cutout_ratio=0.5,
        value_range=(0.0, 1.0),
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        names = [name.strip() for name in policy.split(",") if name.strip()]
        unknown = [name for name in names if name not in TRANSFORMS]
        if not names or unknown:
            raise ValueError(
                f"`policy` must name transforms among {', '.join(TRANSFORMS)}, comma-separated. "
                f"Received: policy={policy!r}"
            )
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
        ratios = {"translation_ratio": translation_ratio, "cutout_ratio": cutout_ratio}
        for name, ratio in ratios.items():
            if not 0.0 <= float(ratio) <= 1.0:
                raise ValueError(f"`{name}` must be in [0, 1]. Received: {name}={ratio}")
        low, high = _value_range(value_range)
        self.policy = ",".join(names)
        self.transforms = names
        self.initial_probability = float(probability)
        self.adaptive_target = None if adaptive_target is None else float(adaptive_target)
        self.adaptive_images = int(adaptive_images)
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self.value_range = (low, high)
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
                "DiffAugment transforms images (batch, height, width, channels). Received: "
                f"inputs of shape {tuple(input_shape)}"
            )
        self.built = True

    def call(self, images, training=None):
        if not training:
            return images
        probability = ops.cast(self.probability, images.dtype)
        for name in self.transforms:
            transformed = getattr(self, f"_{name}")(images)
            images = ops.where(self._uniform(images, 0.0, 1.0) < probability, transformed, images)
        return images

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

    def _draw(self, images, shape, low=0.0, high=1.0):
        """Uniform draws, `shape[0]` per sample: this replica's slice of the global batch's.

        Every replica draws for the global batch with the same generator state
        and keeps its own rows, as `GAN` does with its noise, so replicas never
        share augmentations and N replicas augment as one device does.
        """
        return replica_share(
            lambda rows: keras.random.uniform(
                (rows, *shape), low, high, dtype=images.dtype, seed=self.seed_generator
            ),
            ops.shape(images)[0],
        )

    def _uniform(self, images, low, high):
        return self._draw(images, (1, 1, 1), low, high)

    def _color(self, x):
        low, high = self.value_range
        x = x + self._uniform(x, -0.5, 0.5) * ((high - low) / 2.0)
        mean = ops.mean(x, axis=-1, keepdims=True)
        x = (x - mean) * self._uniform(x, 0.0, 2.0) + mean
        mean = ops.mean(x, axis=(1, 2, 3), keepdims=True)
        return (x - mean) * self._uniform(x, 0.5, 1.5) + mean

    def _offsets(self, images, limit):
        """Per-sample integer offsets in [-limit, limit], shape (batch, 1)."""
        draws = self._draw(images, (1,))
        return ops.cast(ops.floor(draws * (2 * limit + 1)), "int32") - limit

    def _translation(self, x):
        height, width = x.shape[1], x.shape[2]
        padded = ops.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
        for axis, size in ((1, height), (2, width)):
            shift = self._offsets(x, int(size * self.translation_ratio + 0.5))
            # Index 0 and size + 1 of the padded axis are the zeros shifted in.
            rows = ops.clip(ops.arange(size)[None, :] + shift + 1, 0, size + 1)
            padded = tf.gather(padded, rows, axis=axis, batch_dims=1)
        return padded

    def _cutout(self, x):
        height, width = x.shape[1], x.shape[2]
        masks = []
        for size in (height, width):
            side = int(size * self.cutout_ratio + 0.5)
            draws = self._draw(x, (1,))
            centre = ops.cast(ops.floor(draws * (size + 1 - side % 2)), "int32")
            start = centre - side // 2
            position = ops.arange(size)[None, :]
            masks.append((position >= start) & (position < start + side))
        inside = masks[0][:, :, None] & masks[1][:, None, :]
        return x * ops.cast(~inside, x.dtype)[:, :, :, None]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "policy": self.policy,
                "probability": self.initial_probability,
                "adaptive_target": self.adaptive_target,
                "adaptive_images": self.adaptive_images,
                "translation_ratio": self.translation_ratio,
                "cutout_ratio": self.cutout_ratio,
                "value_range": list(self.value_range),
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        # Saved before `value_range` existed (keras_gan <= 0.4.2): the paper's
        # brightness shift on any images, which is what (-1, 1) gives.
        return super().from_config({"value_range": (-1.0, 1.0), **config})


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
