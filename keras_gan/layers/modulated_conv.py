"""StyleGAN2's modulated convolution: a style per input channel scales the
weights, and demodulation rescales each output channel back to unit variance."""

import math

import keras
from keras import ops

from keras_gan.distribute import replica_share
from keras_gan.layers.equalized import EqualizedDense
from keras_gan.layers.equalized import bias_act
from keras_gan.layers.equalized import check_activation
from keras_gan.layers.equalized import upsample_2d

# StyleGAN2-ADA's modulated_conv2d.
DEMODULATION_EPSILON = 1e-8


@keras.saving.register_keras_serializable(package="keras_gan")
class ModulatedConv2D(keras.layers.Layer):
    """One of StyleGAN2's synthesis layers (or, with `demodulate=False`, a toRGB layer).

    Called as `layer([x, w])` with images x (batch, H, W, C_in) and latents w
    (batch, w_dim). The styles s = A(w) (a dense layer whose bias starts at 1)
    scale the kernel's input channels per sample, w'_ijk = s_i w_ijk; with
    `demodulate`, each output channel j is divided by
    sqrt(sum_ik w'_ijk^2 + 1e-8), so an input of unit variance gives an output
    of unit expected variance (StyleGAN2's equation 3). Computed as StyleGAN2-ADA
    trains ("not fused"): scale the activations, convolve with the shared
    kernel, scale the result; the same numbers as per-sample kernels, as one
    ordinary convolution.

    Then, for a synthesis layer: per-pixel Gaussian noise times a learned
    strength (zero at first); in training a fresh draw per sample, otherwise
    the layer's fixed noise image (StyleGAN2-ADA's `noise_mode='const'`, so
    a trained G is a deterministic function of z); the bias; leaky ReLU times
    sqrt(2).

    Args:
        filters: output channels.
        kernel_size: odd kernel side (synthesis: 3; toRGB: 1).
        up: 1, or 2 to double the image first (through the [1, 3, 3, 1]
            filter, then the convolution; StyleGAN2-ADA filters after a
            transposed convolution: the same operators in another order,
            equal away from the border).
        demodulate: StyleGAN2's demodulation (toRGB: False).
        noise: add per-pixel noise (toRGB: False).
        activation: `"lrelu"` (synthesis) or `"linear"` (toRGB).
        seed: seed of the noise's `SeedGenerator`.
    """

    def __init__(
        self,
        filters,
        kernel_size=3,
        up=1,
        demodulate=True,
        noise=True,
        activation="lrelu",
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        if self.kernel_size < 1 or self.kernel_size % 2 == 0:
            raise ValueError(f"`kernel_size` must be odd. Received: kernel_size={kernel_size}")
        if up not in (1, 2):
            raise ValueError(f"`up` must be 1 or 2. Received: up={up}")
        self.up = int(up)
        self.demodulate = bool(demodulate)
        self.noise = bool(noise)
        self.activation = check_activation(activation)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")

    def build(self, input_shape):
        image_shape, w_shape = input_shape
        if len(image_shape) != 4 or image_shape[-1] is None:
            raise ValueError(
                "ModulatedConv2D is called on [images (batch, height, width, channels), w]. "
                f"Received: shapes {tuple(image_shape)} and {tuple(w_shape)}"
            )
        channels = int(image_shape[-1])
        self.weight_gain = 1.0 / math.sqrt(channels * self.kernel_size**2)
        self.affine = EqualizedDense(channels, bias_init=1.0, name="affine")
        self.affine.build(w_shape)
        self.kernel = self.add_weight(
            shape=(self.kernel_size, self.kernel_size, channels, self.filters),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            name="kernel",
        )
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")
        if self.noise:
            side = image_shape[1] * self.up
            self.noise_strength = self.add_weight(
                shape=(), initializer="zeros", name="noise_strength"
            )
            self.noise_image = self.add_weight(
                shape=(side, side),
                initializer=keras.initializers.RandomNormal(stddev=1.0, seed=self.seed),
                trainable=False,
                name="noise_image",
            )

    def call(self, inputs, training=None):
        x, w = inputs
        styles = ops.cast(self.affine(w), x.dtype)
        kernel = ops.cast(self.kernel, x.dtype) * self.weight_gain
        x = x * styles[:, None, None, :]
        if self.up == 2:
            x = upsample_2d(x)
        x = ops.conv(x, kernel, padding="same")
        if self.demodulate:
            # sum_ik (s_i w_ijk)^2 = sum_i s_i^2 (sum_k w_ijk^2): one matmul per batch.
            squares = ops.sum(ops.square(kernel), axis=(0, 1))
            coefficients = ops.rsqrt(ops.matmul(ops.square(styles), squares) + DEMODULATION_EPSILON)
            x = x * coefficients[:, None, None, :]
        if self.noise:
            if training:
                height, width = x.shape[1], x.shape[2]
                noise = replica_share(
                    lambda rows: keras.random.normal(
                        (rows, height, width, 1), dtype=x.dtype, seed=self.seed_generator
                    ),
                    ops.shape(x)[0],
                )
            else:
                noise = ops.cast(self.noise_image, x.dtype)[None, :, :, None]
            x = x + noise * ops.cast(self.noise_strength, x.dtype)
        return bias_act(x, self.bias, self.activation)

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = input_shape[0]
        if self.up == 2:
            height = None if height is None else 2 * height
            width = None if width is None else 2 * width
        return (batch, height, width, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "up": self.up,
            "demodulate": self.demodulate,
            "noise": self.noise,
            "activation": self.activation,
            "seed": self.seed,
        }
