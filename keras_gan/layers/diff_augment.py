"""DiffAugment: differentiable augmentation of everything the discriminator sees."""

import keras
import tensorflow as tf
from keras import ops

from keras_gan.layers.adaptive_augmentation import AdaptiveAugmentation

TRANSFORMS = ("color", "translation", "cutout")


@keras.saving.register_keras_serializable(package="keras_gan")
class DiffAugment(AdaptiveAugmentation):
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
        names = [name.strip() for name in policy.split(",") if name.strip()]
        unknown = [name for name in names if name not in TRANSFORMS]
        if not names or unknown:
            raise ValueError(
                f"`policy` must name transforms among {', '.join(TRANSFORMS)}, comma-separated. "
                f"Received: policy={policy!r}"
            )
        ratios = {"translation_ratio": translation_ratio, "cutout_ratio": cutout_ratio}
        for name, ratio in ratios.items():
            if not 0.0 <= float(ratio) <= 1.0:
                raise ValueError(f"`{name}` must be in [0, 1]. Received: {name}={ratio}")
        super().__init__(
            probability=probability,
            adaptive_target=adaptive_target,
            adaptive_images=adaptive_images,
            value_range=value_range,
            seed=seed,
            **kwargs,
        )
        self.policy = ",".join(names)
        self.transforms = names
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)

    def call(self, images, training=None):
        if not training:
            return images
        probability = ops.cast(self.probability, images.dtype)
        for name in self.transforms:
            transformed = getattr(self, f"_{name}")(images)
            images = ops.where(self._uniform(images, 0.0, 1.0) < probability, transformed, images)
        return images

    def _draw(self, images, shape, low=0.0, high=1.0):
        return self._uniform_rows(images, shape, low, high)

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

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "policy": self.policy,
                "translation_ratio": self.translation_ratio,
                "cutout_ratio": self.cutout_ratio,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        # Saved before `value_range` existed (keras_gan <= 0.4.2): the paper's
        # brightness shift on any images, which is what (-1, 1) gives.
        return super().from_config({"value_range": (-1.0, 1.0), **config})
