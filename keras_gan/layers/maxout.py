"""Maxout: a dense layer that keeps the largest of several linear pieces."""

import keras
from keras import ops

from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class Maxout(keras.layers.Layer):
    """Dense maxout units: each output is the max over `num_pieces` affine pieces.

    `y_i = max_j (x W_ij + b_ij)` for `i < units`, `j < num_pieces`. This is the
    hidden unit of the discriminator in Goodfellow et al. (2014).

    Args:
        units: number of maxout units (outputs).
        num_pieces: number of linear pieces each unit takes the max over.
        kernel_initializer: initializer of the `(input_dim, units * num_pieces)`
            kernel.
        bias_initializer: initializer of the `units * num_pieces` biases.
        **kwargs: base `keras.layers.Layer` arguments (`name`, `dtype`, ...).

    Example:
        >>> layer = Maxout(units=240, num_pieces=5)
        >>> layer(keras.ops.ones((2, 784))).shape
        (2, 240)

    Reference:
        Goodfellow et al., "Maxout Networks", ICML 2013, arXiv:1302.4389.
    """

    def __init__(
        self,
        units,
        num_pieces,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.num_pieces = positive_int("num_pieces", num_pieces)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.dense = keras.layers.Dense(
            self.units * self.num_pieces,
            kernel_initializer=self.kernel_initializer,
            bias_initializer=self.bias_initializer,
            dtype=self.dtype_policy,
            name="dense",
        )

    def build(self, input_shape):
        self.dense.build(input_shape)

    @property
    def kernel(self):
        """The `(input_dim, units * num_pieces)` kernel (what spectral norm normalises)."""
        return self.dense.kernel

    def call(self, inputs):
        pieces = self.dense(inputs)
        shape = ops.shape(pieces)[:-1]
        pieces = ops.reshape(pieces, (*shape, self.units, self.num_pieces))
        return ops.max(pieces, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "num_pieces": self.num_pieces,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class MaxoutConv2D(keras.layers.Layer):
    """Convolutional maxout with max pooling: the 2014 paper's CIFAR-10 discriminator unit.

    Zero-pads the input by `padding` on every side, convolves it with
    `filters * num_pieces` kernels (one bias per kernel), keeps the largest
    of each group of `num_pieces` consecutive channels, and max-pools the
    result. The pooling takes partial windows at the bottom and right edges
    (ceil mode), as cuda-convnet's, which pylearn2's `MaxoutConvC01B` used: a
    33x33 map pooled 4x4 with stride 2 gives 16x16. Inputs are channels-last.

    Args:
        filters: output channels (maxout units per position).
        num_pieces: linear pieces each unit takes the max over.
        kernel_size: an int or `(height, width)`.
        padding: zeros added on each side before the convolution (an int).
        pool_size, pool_strides: the max pooling's window and stride (ints
            or pairs); `pool_size=1` for none.
        kernel_initializer, bias_initializer: of the convolution.
        **kwargs: base `keras.layers.Layer` arguments.

    Example:
        >>> layer = MaxoutConv2D(32, 2, 8, padding=4, pool_size=4, pool_strides=2)
        >>> layer(keras.ops.ones((1, 32, 32, 3))).shape
        (1, 16, 16, 32)

    Reference:
        Goodfellow et al., "Maxout Networks", ICML 2013; pylearn2's
        `MaxoutConvC01B` as goodfeli/adversarial's `cifar10_convolutional.yaml`
        configures it.
    """

    def __init__(
        self,
        filters,
        num_pieces,
        kernel_size,
        padding=0,
        pool_size=1,
        pool_strides=1,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = positive_int("filters", filters)
        self.num_pieces = positive_int("num_pieces", num_pieces)
        self.kernel_size = _pair("kernel_size", kernel_size)
        if isinstance(padding, bool) or not isinstance(padding, int) or padding < 0:
            raise ValueError(f"`padding` must be an integer >= 0. Received: padding={padding}")
        self.padding = padding
        self.pool_size = _pair("pool_size", pool_size)
        self.pool_strides = _pair("pool_strides", pool_strides)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.conv = keras.layers.Conv2D(
            self.filters * self.num_pieces,
            self.kernel_size,
            kernel_initializer=self.kernel_initializer,
            bias_initializer=self.bias_initializer,
            dtype=self.dtype_policy,
            name="conv",
        )

    def build(self, input_shape):
        height, width = input_shape[1], input_shape[2]
        p = self.padding
        self.conv.build((input_shape[0], height + 2 * p, width + 2 * p, input_shape[3]))

    @property
    def kernel(self):
        """The convolution's kernel (what spectral norm normalises)."""
        return self.conv.kernel

    def call(self, inputs):
        p = self.padding
        x = ops.pad(inputs, [[0, 0], [p, p], [p, p], [0, 0]]) if p else inputs
        pieces = self.conv(x)
        height, width = pieces.shape[1], pieces.shape[2]
        pieces = ops.reshape(pieces, (-1, height, width, self.filters, self.num_pieces))
        x = ops.max(pieces, axis=-1)
        if self.pool_size == (1, 1) and self.pool_strides == (1, 1):
            return x
        extra = [self._ceil_padding(size, axis) for axis, size in enumerate((height, width))]
        if any(extra):
            x = ops.pad(
                x, [[0, 0], [0, extra[0]], [0, extra[1]], [0, 0]], constant_values=float("-inf")
            )
        return ops.max_pool(x, self.pool_size, self.pool_strides, padding="valid")

    def _ceil_padding(self, size, axis):
        """Rows (or columns) of -inf that let the last, partial window in."""
        window, stride = self.pool_size[axis], self.pool_strides[axis]
        return (-(size - window)) % stride if size > window else window - size

    def _output_size(self, size, axis):
        size = size + 2 * self.padding - self.kernel_size[axis] + 1
        window, stride = self.pool_size[axis], self.pool_strides[axis]
        return (size + self._ceil_padding(size, axis) - window) // stride + 1

    def compute_output_shape(self, input_shape):
        return (
            input_shape[0],
            self._output_size(input_shape[1], 0),
            self._output_size(input_shape[2], 1),
            self.filters,
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "num_pieces": self.num_pieces,
                "kernel_size": self.kernel_size,
                "padding": self.padding,
                "pool_size": self.pool_size,
                "pool_strides": self.pool_strides,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            }
        )
        return config


def _pair(name, value):
    pair = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        pair = tuple(positive_int(name, v) for v in pair)
    except (TypeError, ValueError):
        pair = ()
    if len(pair) != 2:
        raise ValueError(f"`{name}` must be a positive int or a pair of them. Received: {value}")
    return pair
