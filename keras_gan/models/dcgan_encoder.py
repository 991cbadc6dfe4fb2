"""A convolutional encoder from images back to the noise: z = E(x)."""

import keras

from keras_gan.layers.strided_conv import StridedConv2D
from keras_gan.models.dcgan_utils import resolution_steps
from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class DCGANEncoder(keras.Model):
    """The DCGAN discriminator's convolutions with a latent code on top.

    One stride-2 convolution per upsampling stage of `DCGANGenerator`
    (filters doubling from `base_filters`, LeakyReLU, batch norm after all but
    the first, as BiGAN's encoder), then a linear Dense layer to the code.

    Args:
        latent_dim: size of the code (the generator's noise size).
        data_shape: `(H, H, C)` of the images it encodes.
        base_filters: filters of the first convolution.
        kernel_size: side of the convolution kernels.
        leaky_relu_slope: negative slope of the LeakyReLU activations.
        **kwargs: base `keras.Model` arguments.

    Reference:
        Donahue et al., "Adversarial Feature Learning", ICLR 2017,
        arXiv:1605.09782.
    """

    def __init__(
        self,
        latent_dim=100,
        data_shape=(28, 28, 1),
        base_filters=64,
        kernel_size=5,
        leaky_relu_slope=0.2,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.base_filters = positive_int("base_filters", base_filters)
        self.kernel_size = positive_int("kernel_size", kernel_size)
        self.leaky_relu_slope = float(leaky_relu_slope)
        steps = resolution_steps(self.data_shape)
        self.convs = [
            StridedConv2D(
                self.base_filters * 2**i,
                self.kernel_size,
                strides=2,
                padding="same",
                use_bias=i == 0,
                name=f"conv_{i}",
            )
            for i in range(steps)
        ]
        self.norms = [None] + [
            keras.layers.BatchNormalization(name=f"conv_{i}_norm") for i in range(1, steps)
        ]
        self.flatten = keras.layers.Flatten(name="flatten")
        self.code = keras.layers.Dense(self.latent_dim, name="code")

    def build(self, input_shape=None):
        shape = (None, *self.data_shape)
        for conv, norm in zip(self.convs, self.norms, strict=True):
            conv.build(shape)
            shape = conv.compute_output_shape(shape)
            if norm is not None:
                norm.build(shape)
        self.code.build(self.flatten.compute_output_shape(shape))

    def call(self, inputs, training=None):
        x = inputs
        for conv, norm in zip(self.convs, self.norms, strict=True):
            x = conv(x)
            if norm is not None:
                x = norm(x, training=training)
            x = keras.ops.leaky_relu(x, negative_slope=self.leaky_relu_slope)
        return self.code(self.flatten(x))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.latent_dim)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "data_shape": self.data_shape,
                "base_filters": self.base_filters,
                "kernel_size": self.kernel_size,
                "leaky_relu_slope": self.leaky_relu_slope,
            }
        )
        return config
