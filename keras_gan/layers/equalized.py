"""StyleGAN2's building blocks that are not modulated: equalised learning rate
dense and convolution layers, and resampling through a [1, 3, 3, 1] low-pass
filter (StyleGAN2-ADA's `FullyConnectedLayer`, `Conv2dLayer` and `upfirdn2d`).

Equalised learning rate (Karras et al. 2018): a weight is stored as N(0, 1)
divided by `lr_multiplier` and scaled by `lr_multiplier / sqrt(fan_in)` when
used, so Adam's steps are the same size relative to every layer's weights,
and a layer with `lr_multiplier=0.01` (the mapping network) learns 100 times
more slowly.
"""

import math

import keras
import numpy as np
from keras import ops

# StyleGAN2-ADA's bias_act: leaky ReLU (slope 0.2) times sqrt(2) keeps unit variance.
ACTIVATION_GAINS = {"linear": 1.0, "lrelu": math.sqrt(2.0)}
# The low-pass filter StyleGAN2 resamples through.
RESAMPLE_FILTER = (1.0, 3.0, 3.0, 1.0)


def check_activation(activation):
    if activation not in ACTIVATION_GAINS:
        raise ValueError(
            f"Unknown `activation`: expected one of {list(ACTIVATION_GAINS)}. "
            f"Received: activation={activation!r}"
        )
    return activation


def bias_act(x, bias, activation, gain=1.0):
    """x + bias, then the activation, times its gain and `gain` (StyleGAN2-ADA's bias_act)."""
    if bias is not None:
        x = x + ops.cast(bias, x.dtype)
    if activation == "lrelu":
        x = ops.leaky_relu(x, negative_slope=0.2)
    return x * ACTIVATION_GAINS[activation] * gain


def _filter_kernel(channels, gain, dtype):
    f = np.asarray(RESAMPLE_FILTER, "float32")
    kernel = np.outer(f, f)
    kernel = kernel / kernel.sum() * gain
    kernel = np.tile(kernel[:, :, None, None], (1, 1, channels, 1))
    return ops.cast(kernel, dtype)


def upsample_2d(x):
    """Doubles height and width: zeros between the pixels, then the low-pass
    filter with gain 4 (upfirdn2d.upsample2d). A constant image stays constant
    away from the border."""
    batch = ops.shape(x)[0]
    height, width, channels = x.shape[1], x.shape[2], x.shape[3]
    x = ops.reshape(x, (batch, height, 1, width, 1, channels))
    x = ops.pad(x, ((0, 0), (0, 0), (0, 1), (0, 0), (0, 1), (0, 0)))
    x = ops.reshape(x, (batch, 2 * height, 2 * width, channels))
    x = ops.pad(x, ((0, 0), (2, 1), (2, 1), (0, 0)))
    return ops.depthwise_conv(x, _filter_kernel(channels, 4.0, x.dtype), padding="valid")


def downsample_2d(x, extra_padding=0):
    """Halves height and width: the low-pass filter, then every other pixel
    (upfirdn2d.downsample2d). `extra_padding` pads each side further, for a
    strided convolution that follows."""
    channels = x.shape[3]
    pad = 1 + extra_padding
    x = ops.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    kernel = _filter_kernel(channels, 1.0, x.dtype)
    if extra_padding:
        return ops.depthwise_conv(x, kernel, padding="valid")
    return ops.depthwise_conv(x, kernel, strides=2, padding="valid")


@keras.saving.register_keras_serializable(package="keras_gan")
class EqualizedDense(keras.layers.Layer):
    """A dense layer with equalised learning rate (StyleGAN2-ADA's FullyConnectedLayer).

    Args:
        units: output features.
        activation: `"linear"` or `"lrelu"` (slope 0.2, times sqrt(2)).
        lr_multiplier: the layer learns this much faster (the mapping
            network: 0.01).
        bias_init: the bias's initial value (a style's affine map: 1, so
            styles start near 1).
        use_bias: add a bias.
    """

    def __init__(
        self, units, activation="linear", lr_multiplier=1.0, bias_init=0.0, use_bias=True, **kwargs
    ):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = check_activation(activation)
        self.lr_multiplier = float(lr_multiplier)
        self.bias_init = float(bias_init)
        self.use_bias = bool(use_bias)

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self.weight_gain = self.lr_multiplier / math.sqrt(fan_in)
        self.kernel = self.add_weight(
            shape=(fan_in, self.units),
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier),
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            # Stored divided by the multiplier, so it starts at bias_init when used.
            self.bias = self.add_weight(
                shape=(self.units,),
                initializer=keras.initializers.Constant(self.bias_init / self.lr_multiplier),
                name="bias",
            )

    def call(self, x):
        x = ops.matmul(x, ops.cast(self.kernel, x.dtype) * self.weight_gain)
        bias = None if self.bias is None else self.bias * self.lr_multiplier
        return bias_act(x, bias, self.activation)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": self.activation,
            "lr_multiplier": self.lr_multiplier,
            "bias_init": self.bias_init,
            "use_bias": self.use_bias,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class EqualizedConv2D(keras.layers.Layer):
    """A convolution with equalised learning rate, optionally halving the
    image through the low-pass filter (StyleGAN2-ADA's Conv2dLayer with
    `down=2`; D's layers).

    Args:
        filters: output channels.
        kernel_size: odd square kernel side.
        activation: `"linear"` or `"lrelu"`.
        down: 1, or 2 to halve height and width.
        use_bias: add a bias (the residual D's skip: no).
        gain: factor on the output (the residual D: sqrt(1/2) on both paths).
    """

    def __init__(
        self,
        filters,
        kernel_size,
        activation="linear",
        down=1,
        use_bias=True,
        gain=1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        if self.kernel_size < 1 or self.kernel_size % 2 == 0:
            raise ValueError(f"`kernel_size` must be odd. Received: kernel_size={kernel_size}")
        self.activation = check_activation(activation)
        if down not in (1, 2):
            raise ValueError(f"`down` must be 1 or 2. Received: down={down}")
        self.down = int(down)
        self.use_bias = bool(use_bias)
        self.gain = float(gain)

    def build(self, input_shape):
        channels = int(input_shape[-1])
        self.weight_gain = 1.0 / math.sqrt(channels * self.kernel_size**2)
        self.kernel = self.add_weight(
            shape=(self.kernel_size, self.kernel_size, channels, self.filters),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            name="kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")

    def call(self, x):
        kernel = ops.cast(self.kernel, x.dtype) * self.weight_gain
        if self.down == 2 and self.kernel_size == 1:
            x = ops.conv(downsample_2d(x), kernel, padding="valid")
        elif self.down == 2:
            # Filter with the padding a strided, unpadded convolution needs, then stride.
            x = downsample_2d(x, extra_padding=(self.kernel_size - 1) // 2)
            x = ops.conv(x, kernel, strides=2, padding="valid")
        else:
            x = ops.conv(x, kernel, padding="same")
        return bias_act(x, self.bias, self.activation, self.gain)

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = input_shape
        if self.down == 2:
            height = None if height is None else height // 2
            width = None if width is None else width // 2
        return (batch, height, width, self.filters)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "activation": self.activation,
            "down": self.down,
            "use_bias": self.use_bias,
            "gain": self.gain,
        }
