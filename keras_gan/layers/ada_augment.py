"""ADA's own augmentation pipeline (Karras et al. 2020): pixel blitting, general geometric
and colour transforms, each applied with probability p, as StyleGAN2-ADA's AugmentPipe."""

import math

import keras
import tensorflow as tf
from keras import ops

from keras_gan.layers.adaptive_augmentation import AdaptiveAugmentation

BLIT = ("xflip", "rotate90", "xint")
GEOMETRIC = ("scale", "rotate", "aniso", "xfrac")
COLOR = ("brightness", "contrast", "lumaflip", "hue", "saturation")
# StyleGAN2-ADA's train.py --augpipe choices that these transforms make; bgc is its default.
PIPELINES = {
    "blit": BLIT,
    "geom": GEOMETRIC,
    "color": COLOR,
    "bg": BLIT + GEOMETRIC,
    "bgc": BLIT + GEOMETRIC + COLOR,
}
# The reference's default strengths (augment.py, AugmentPipe.__init__).
XINT_MAX = 0.125
SCALE_STD = 0.2
ROTATE_MAX = 1.0
ANISO_STD = 0.2
XFRAC_STD = 0.125
BRIGHTNESS_STD = 0.2
CONTRAST_STD = 0.5
HUE_MAX = 1.0
SATURATION_STD = 1.0


@keras.saving.register_keras_serializable(package="keras_gan")
class AdaAugment(AdaptiveAugmentation):
    """StyleGAN2-ADA's augmentation pipeline in front of D, with ADA's adaptive p.

    Each transform of the `pipeline` applies to a sample with probability p
    (the arbitrary rotation twice, before and after the anisotropic scaling,
    each with 1 - sqrt(1 - p), so one of them with p):
    - blit: x-flip, rotations by multiples of 90 degrees, integer translation
      by up to 1/8 of the size;
    - geom: isotropic scaling (log2 std 0.2), arbitrary rotation, anisotropic
      scaling (log2 std 0.2), fractional translation (std 1/8 of the size);
    - color: brightness (std 0.2), contrast (log2 std 0.5), luma flip, hue
      rotation, saturation (log2 std 1), as one 4x4 colour matrix per
      sample; for one channel, the reference's mean over the RGB rows, and
      no hue or saturation.
    The geometric transforms compose into one matrix per sample that maps
    each output pixel to an input point, read by bilinear interpolation with
    the image mirrored beyond its border. The pixels are mapped to [-1, 1]
    (ADA's range) for the transforms and back to `value_range`. In inference
    the layer is the identity. Every op is differentiable in the images, so
    G's gradient passes through, as ADA requires.

    Differences from the reference: the reference resamples at twice the
    resolution with a sym6 wavelet low-pass filter (less aliasing under
    rotation and scaling) and pads by one reflection only, zeros beyond;
    here bilinear at the image's own resolution, reflected as far as
    needed. The filter, noise and cutout groups (bgcf, bgcfn, bgcfnc) are
    not built.

    Args:
        pipeline: one of `PIPELINES` (`"bgc"`, the reference's default).
        probability, adaptive_target, adaptive_images, value_range, seed: as
            in `AdaptiveAugmentation` (ADA: p starts at 0, target 0.6).

    Reference:
        Karras et al., "Training Generative Adversarial Networks with Limited
        Data", NeurIPS 2020, arXiv:2006.06676, Appendix B;
        NVlabs/stylegan2-ada-pytorch training/augment.py (`AugmentPipe`).
    """

    def __init__(self, pipeline="bgc", probability=0.0, adaptive_target=0.6, **kwargs):
        if pipeline not in PIPELINES:
            raise ValueError(
                f"Unknown `pipeline`: expected one of {list(PIPELINES)}. "
                f"Received: pipeline={pipeline!r}"
            )
        super().__init__(probability=probability, adaptive_target=adaptive_target, **kwargs)
        self.pipeline = pipeline
        self.transforms = PIPELINES[pipeline]

    def build(self, input_shape):
        super().build(input_shape)
        _, height, width, channels = input_shape
        if height is None or width is None or height < 2 or width < 2 or channels not in (1, 3):
            raise ValueError(
                "AdaAugment transforms RGB or one-channel images of at least 2x2 pixels. "
                f"Received: inputs of shape {tuple(input_shape)}"
            )

    def call(self, images, training=None):
        if not training:
            return images
        low, high = self.value_range
        middle, half = (low + high) / 2.0, (high - low) / 2.0
        x = (ops.cast(images, "float32") - middle) / half
        p = ops.cast(self.probability, "float32")
        if any(name in self.transforms for name in BLIT + GEOMETRIC):
            x = warp(x, self._geometric_matrices(x, p))
        if any(name in self.transforms for name in COLOR):
            x = self._color(x, p)
        return ops.cast(x * half + middle, images.dtype)

    def _geometric_matrices(self, x, p):
        """G_inv: (batch, 3, 3), output pixel -> input point, in pixels about the centre."""
        height, width = x.shape[1], x.shape[2]
        uniform = lambda *shape: self._uniform_rows(x, shape, dtype="float32")  # noqa: E731
        normal = lambda *shape: self._normal_rows(x, shape)  # noqa: E731
        one = ops.ones((ops.shape(x)[0],))
        matrix = ops.tile(ops.eye(3)[None], (ops.shape(x)[0], 1, 1))
        if "xflip" in self.transforms:
            i = self._gate(x, p, ops.floor(uniform() * 2), 0.0)
            matrix = matrix @ _scale2d(1.0 / (1 - 2 * i), one)
        if "rotate90" in self.transforms:
            i = self._gate(x, p, ops.floor(uniform() * 4), 0.0)
            matrix = matrix @ _rotate2d(math.pi / 2 * i)
        if "xint" in self.transforms:
            t = self._gate(x, p, (uniform(2) * 2 - 1) * XINT_MAX, 0.0)
            matrix = matrix @ _translate2d(
                -ops.round(t[:, 0] * width), -ops.round(t[:, 1] * height)
            )
        p_rotate = 1 - ops.sqrt(ops.clip(1 - p, 0.0, 1.0))  # P(pre or post) = p
        if "scale" in self.transforms:
            s = self._gate(x, p, ops.power(2.0, normal() * SCALE_STD), 1.0)
            matrix = matrix @ _scale2d(1 / s, 1 / s)
        if "rotate" in self.transforms:
            theta = self._gate(x, p_rotate, (uniform() * 2 - 1) * math.pi * ROTATE_MAX, 0.0)
            matrix = matrix @ _rotate2d(theta)
        if "aniso" in self.transforms:
            s = self._gate(x, p, ops.power(2.0, normal() * ANISO_STD), 1.0)
            matrix = matrix @ _scale2d(1 / s, s)
        if "rotate" in self.transforms:
            theta = self._gate(x, p_rotate, (uniform() * 2 - 1) * math.pi * ROTATE_MAX, 0.0)
            matrix = matrix @ _rotate2d(theta)
        if "xfrac" in self.transforms:
            t = self._gate(x, p, normal(2) * XFRAC_STD, 0.0)
            matrix = matrix @ _translate2d(-t[:, 0] * width, -t[:, 1] * height)
        return matrix

    def _gate(self, x, p, values, identity):
        """`values` for the samples whose uniform draw falls below p, else `identity`."""
        gate = self._uniform_rows(x, (), dtype="float32") < p
        if len(values.shape) > 1:
            gate = gate[:, None]
        return ops.where(gate, values, identity)

    def _color(self, x, p):
        """ADA's colour transforms as one 4x4 matrix per sample, on pixels in [-1, 1]."""
        channels = x.shape[-1]
        uniform = lambda: self._uniform_rows(x, (), dtype="float32")  # noqa: E731
        normal = lambda: self._normal_rows(x, ())  # noqa: E731
        batch = ops.shape(x)[0]
        eye = ops.eye(4)
        matrix = ops.tile(eye[None], (batch, 1, 1))
        luma = ops.convert_to_tensor([1.0, 1.0, 1.0, 0.0]) / math.sqrt(3.0)
        outer = luma[:, None] * luma[None, :]
        if "brightness" in self.transforms:
            b = self._gate(x, p, normal() * BRIGHTNESS_STD, 0.0)
            translate = ops.stack([b, b, b], axis=-1)
            matrix = (eye + ops.pad(translate[:, :, None], ((0, 0), (0, 1), (3, 0)))) @ matrix
        if "contrast" in self.transforms:
            c = self._gate(x, p, ops.power(2.0, normal() * CONTRAST_STD), 1.0)
            scale = ops.stack([c, c, c, ops.ones_like(c)], axis=-1)
            matrix = (scale[:, :, None] * eye) @ matrix
        if "lumaflip" in self.transforms:
            i = self._gate(x, p, ops.floor(uniform() * 2), 0.0)
            matrix = (eye - 2 * outer * i[:, None, None]) @ matrix  # Householder reflection
        if "hue" in self.transforms and channels > 1:
            theta = self._gate(x, p, (uniform() * 2 - 1) * math.pi * HUE_MAX, 0.0)
            matrix = _rotate3d(luma, theta) @ matrix  # about the luma axis
        if "saturation" in self.transforms and channels > 1:
            s = self._gate(x, p, ops.power(2.0, normal() * SATURATION_STD), 1.0)
            matrix = (outer + (eye - outer) * s[:, None, None]) @ matrix
        if channels == 3:
            return ops.einsum("bij,bhwj->bhwi", matrix[:, :3, :3], x) + matrix[:, None, None, :3, 3]
        rows = ops.mean(matrix[:, :3, :], axis=1)  # (batch, 4): the reference's grey case
        gain = ops.sum(rows[:, :3], axis=-1)
        return x * gain[:, None, None, None] + rows[:, None, None, None, 3]

    def get_config(self):
        config = super().get_config()
        config["pipeline"] = self.pipeline
        return config


def warp(images, matrices):
    """Bilinear resampling of each image at `matrices @ [u, v, 1]` for every output pixel.

    (u, v) are pixel coordinates about the image centre ((width - 1) / 2,
    (height - 1) / 2), x along the width. Points outside the image read its
    mirror image (reflection without repeating the edge, as PyTorch's
    'reflect'), as often as needed. Differentiable in `images` (gathers).

    Args:
        images: `(batch, height, width, channels)` float32.
        matrices: `(batch, 3, 3)`: output pixel -> input point.
    """
    height, width = images.shape[1], images.shape[2]
    channels = images.shape[3]
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    v, u = tf.meshgrid(
        tf.range(height, dtype=tf.float32) - cy,
        tf.range(width, dtype=tf.float32) - cx,
        indexing="ij",
    )
    points = tf.stack([tf.reshape(u, [-1]), tf.reshape(v, [-1]), tf.ones([height * width])])
    source = tf.matmul(tf.cast(matrices, tf.float32), points)  # (batch, 3, pixels)
    sx, sy = source[:, 0] + cx, source[:, 1] + cy
    x0, y0 = tf.floor(sx), tf.floor(sy)
    wx, wy = (sx - x0)[..., None], (sy - y0)[..., None]
    x0, y0 = tf.cast(x0, tf.int32), tf.cast(y0, tf.int32)
    flat = tf.reshape(images, [-1, height * width, channels])

    def read(y, x):
        index = _reflect(y, height) * width + _reflect(x, width)
        return tf.gather(flat, index, batch_dims=1)

    top = read(y0, x0) * (1 - wx) + read(y0, x0 + 1) * wx
    bottom = read(y0 + 1, x0) * (1 - wx) + read(y0 + 1, x0 + 1) * wx
    out = top * (1 - wy) + bottom * wy
    return tf.reshape(out, [-1, height, width, channels])


def _reflect(index, size):
    period = 2 * (size - 1)
    index = tf.math.floormod(index, period)
    return tf.where(index >= size, period - index, index)


def _matrix(rows):
    """(batch, n, n) from n rows of n (batch,) tensors."""
    return ops.stack([ops.stack(row, axis=-1) for row in rows], axis=-2)


def _scale2d(sx, sy):
    zero, one = ops.zeros_like(sx), ops.ones_like(sx)
    return _matrix([[sx, zero, zero], [zero, sy * one, zero], [zero, zero, one]])


def _rotate2d(theta):
    """The reference's rotate2d(theta); its rotate2d_inv(-t) is rotate2d(t)."""
    zero, one = ops.zeros_like(theta), ops.ones_like(theta)
    c, s = ops.cos(theta), ops.sin(theta)
    return _matrix([[c, -s, zero], [s, c, zero], [zero, zero, one]])


def _translate2d(tx, ty):
    zero, one = ops.zeros_like(tx), ops.ones_like(tx)
    return _matrix([[one, zero, tx], [zero, one, ty], [zero, zero, one]])


def _rotate3d(axis, theta):
    vx, vy, vz = axis[0], axis[1], axis[2]
    zero, one = ops.zeros_like(theta), ops.ones_like(theta)
    s, c = ops.sin(theta), ops.cos(theta)
    cc = 1 - c
    return _matrix(
        [
            [vx * vx * cc + c, vx * vy * cc - vz * s, vx * vz * cc + vy * s, zero],
            [vy * vx * cc + vz * s, vy * vy * cc + c, vy * vz * cc - vx * s, zero],
            [vz * vx * cc - vy * s, vz * vy * cc + vx * s, vz * vz * cc + c, zero],
            [zero, zero, zero, one],
        ]
    )
