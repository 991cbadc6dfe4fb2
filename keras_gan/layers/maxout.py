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
