"""Convolutional discriminator of Radford et al. (2016) for small images."""

import keras

from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.models.dcgan_utils import resolution_steps
from keras_gan.validation import dropout_rate


@keras.saving.register_keras_serializable(package="keras_gan")
class DCGANDiscriminator(keras.Model):
    """DCGAN discriminator: strided convolutions with LeakyReLU, then one logit.

    The mirror image of `DCGANGenerator`: one stride-2 convolution per
    upsampling stage of the generator (2 for 28x28, 3 for 32x32), filters
    doubling from `base_filters`. No BatchNorm, so real and generated batches
    are scored independently. Returns logits: D(x) = sigmoid(logit).

    Args:
        data_shape: `(H, H, C)` of the images it scores.
        base_filters: filters of the first convolution.
        kernel_size: side of the convolution kernels.
        leaky_relu_slope: negative slope of the LeakyReLU activations.
        dropout: dropout rate after every convolution stage (0 disables it).
        spectral_norm: wrap every convolution and the logit layer in
            `keras_gan.layers.SpectralNormalization` (Miyato et al. 2018).
        **kwargs: base `keras.Model` arguments.

    Reference:
        Radford et al., "Unsupervised Representation Learning with Deep
        Convolutional Generative Adversarial Networks", ICLR 2016,
        arXiv:1511.06434.
    """

    def __init__(
        self,
        data_shape=(28, 28, 1),
        base_filters=64,
        kernel_size=5,
        leaky_relu_slope=0.2,
        dropout=0.0,
        spectral_norm=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.base_filters = int(base_filters)
        self.kernel_size = int(kernel_size)
        self.leaky_relu_slope = float(leaky_relu_slope)
        self.dropout = dropout_rate("dropout", dropout)
        self.spectral_norm = bool(spectral_norm)
        wrap = _spectral_normalization if self.spectral_norm else (lambda layer: layer)
        steps = resolution_steps(self.data_shape)
        self.convs = [
            wrap(
                keras.layers.Conv2D(
                    self.base_filters * 2**i,
                    self.kernel_size,
                    strides=2,
                    padding="same",
                    name=f"conv_{i}",
                )
            )
            for i in range(steps)
        ]
        self.dropouts = [
            keras.layers.Dropout(self.dropout, name=f"dropout_{i}") for i in range(steps)
        ]
        self.flatten = keras.layers.Flatten(name="flatten")
        self.logit = wrap(keras.layers.Dense(1, name="logit"))

    def build(self, input_shape=None):
        shape = (None, *self.data_shape)
        for conv in self.convs:
            conv.build(shape)
            shape = conv.compute_output_shape(shape)
        self.logit.build(self.flatten.compute_output_shape(shape))

    def call(self, inputs, training=None):
        x = inputs
        for conv, dropout in zip(self.convs, self.dropouts, strict=True):
            x = keras.ops.leaky_relu(conv(x), negative_slope=self.leaky_relu_slope)
            x = dropout(x, training=training)
        return self.logit(self.flatten(x))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "data_shape": self.data_shape,
                "base_filters": self.base_filters,
                "kernel_size": self.kernel_size,
                "leaky_relu_slope": self.leaky_relu_slope,
                "dropout": self.dropout,
                "spectral_norm": self.spectral_norm,
            }
        )
        return config


def _spectral_normalization(layer):
    return SpectralNormalization(layer, name=f"spectral_normalization_{layer.name}")
