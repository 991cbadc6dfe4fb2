"""The 2014 paper's CIFAR-10 models (its Figure 2 c and d), as goodfeli/adversarial configures them.

`cifar10_fully_connected.yaml` and `cifar10_convolutional.yaml`: both train on
`train[0:40000]` after global contrast normalisation (scale 55) and watch
`train[40000:50000]`; both generators take 100-d Gaussian noise through 8000
ReLU and 8000 sigmoid units; the discriminators use dropout (0.2 on the
input, 0.5 inside); both networks are updated together from one minibatch,
D's loss halved, G's loss non-saturating, by SGD with the learning rate
divided by 1.000004 every step (floor 1e-6) and momentum 0.5 -> 0.7 by
epoch 250.

- fully connected: G ends in 3072 linear units (weights uniform on
  [-0.5, 0.5]); D is maxout 1600x5, 1600x5; batch 100, learning rate 0.025.
- convolutional: G reshapes its 8000 sigmoid units to 10x10x80 and ends in a
  5x5 transposed convolution of stride 3 to 32x32x3 with one bias per output
  value (`tied_b: 0`); D is three convolutional maxout layers with max pooling
  (32x2 8x8 pad 4 pool 4/2; 32x2 8x8 pad 3 pool 4/2; 192x2 5x5 pad 3 pool 2/2),
  maxout 500x5 and a sigmoid unit; batch 128, learning rate 0.004.

Weights start uniform on [-0.05, 0.05] in G and [-0.005, 0.005] in D (the
configs' `irange`), biases at 0.
"""

import keras
import numpy as np
from keras import ops

from keras_gan.layers.maxout import Maxout
from keras_gan.layers.maxout import MaxoutConv2D
from keras_gan.models import initializers
from keras_gan.models.gan import GAN
from keras_gan.models.maxout_discriminator import MaxoutDiscriminator
from keras_gan.models.mlp_generator import MLPGenerator
from keras_gan.optimizers.scheduled_momentum_sgd import paper_mnist_sgd
from keras_gan.validation import positive_int

IMAGE_SHAPE = (32, 32, 3)
# (kind) -> (batch size, learning rate), from the two configs.
TRAINING = {"fc": (100, 0.025), "conv": (128, 0.004)}
TRAIN_SPLIT = "train[:40000]"
VALIDATION_SPLIT = "train[40000:50000]"


@keras.saving.register_keras_serializable(package="keras_gan")
class PaperCIFAR10ConvGenerator(keras.Model):
    """The paper's convolutional CIFAR-10 generator: z -> 8000 ReLU -> 8000 sigmoid -> deconv.

    The 8000 sigmoid units are read as a 10x10x80 map, and a 5x5 transposed
    convolution of stride 3 makes the 32x32x3 image: `(10 - 1) * 3 + 5 = 32`.
    Its output is linear with one bias per output value, as pylearn2's
    untied biases; the data are contrast normalised, not in [0, 1].

    Args:
        latent_dim: size of z.
        hidden_units: the two dense layers.
        init_range: weights uniform on `[-init_range, init_range]`.
        **kwargs: base `keras.Model` arguments.
    """

    def __init__(self, latent_dim=100, hidden_units=(8000, 8000), init_range=0.05, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.hidden_units = tuple(int(u) for u in hidden_units)
        if len(self.hidden_units) != 2 or self.hidden_units[1] != 10 * 10 * 80:
            raise ValueError(
                "`hidden_units` must be two sizes, the second 8000 (read as 10x10x80). "
                f"Received: {hidden_units}"
            )
        self.init_range = float(init_range)
        self.data_shape = IMAGE_SHAPE
        self.hidden_layers = [
            keras.layers.Dense(
                units,
                activation=activation,
                kernel_initializer=initializers.uniform(self.init_range),
                name=f"hidden_{i}",
            )
            for i, (units, activation) in enumerate(
                zip(self.hidden_units, ("relu", "sigmoid"), strict=True)
            )
        ]
        self.deconv = keras.layers.Conv2DTranspose(
            3,
            5,
            strides=3,
            padding="valid",
            use_bias=False,
            kernel_initializer=initializers.uniform(self.init_range),
            name="deconv",
        )

    def build(self, input_shape=None):
        shape = (None, self.latent_dim)
        for layer in self.hidden_layers:
            layer.build(shape)
            shape = (None, layer.units)
        self.deconv.build((None, 10, 10, 80))
        self.output_bias = self.add_weight(
            shape=IMAGE_SHAPE, initializer="zeros", name="output_bias"
        )

    def call(self, z, training=None):
        x = z
        for layer in self.hidden_layers:
            x = layer(x, training=training)
        x = self.deconv(ops.reshape(x, (-1, 10, 10, 80)))
        return x + ops.cast(self.output_bias, x.dtype)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *IMAGE_SHAPE)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "hidden_units": self.hidden_units,
                "init_range": self.init_range,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class PaperCIFAR10ConvDiscriminator(keras.Model):
    """The paper's convolutional CIFAR-10 discriminator: three maxout convolutions, maxout, logit.

    32x32x3 -> 32x2 maxout 8x8 (pad 4) pooled 4/2 -> 16x16x32 -> 32x2 8x8 (pad 3)
    pooled 4/2 -> 7x7x32 -> 192x2 5x5 (pad 3) pooled 2/2 -> 5x5x192 -> maxout
    500x5 -> one logit (the paper's sigmoid unit is in the loss). Dropout
    before every layer: `input_dropout` on the image, `hidden_dropout` after.

    Args:
        input_dropout, hidden_dropout: drop rates (the configs keep 0.8 of
            the input and 0.5 of every hidden layer).
        init_range: weights uniform on `[-init_range, init_range]`.
        **kwargs: base `keras.Model` arguments.
    """

    # (filters, pieces, kernel, padding, pool, stride) of the three convolutional layers.
    CONV_LAYERS = ((32, 2, 8, 4, 4, 2), (32, 2, 8, 3, 4, 2), (192, 2, 5, 3, 2, 2))

    def __init__(self, input_dropout=0.2, hidden_dropout=0.5, init_range=0.005, **kwargs):
        super().__init__(**kwargs)
        self.input_dropout = float(input_dropout)
        self.hidden_dropout = float(hidden_dropout)
        self.init_range = float(init_range)
        self.convs = [
            MaxoutConv2D(
                filters,
                pieces,
                kernel,
                padding=padding,
                pool_size=pool,
                pool_strides=stride,
                kernel_initializer=initializers.uniform(self.init_range),
                name=f"maxout_conv_{i}",
            )
            for i, (filters, pieces, kernel, padding, pool, stride) in enumerate(self.CONV_LAYERS)
        ]
        self.maxout = Maxout(
            500, 5, kernel_initializer=initializers.uniform(self.init_range), name="maxout"
        )
        self.logit = keras.layers.Dense(
            1, kernel_initializer=initializers.uniform(self.init_range), name="logit"
        )
        self.dropouts = [
            keras.layers.Dropout(rate, name=f"dropout_{i}")
            for i, rate in enumerate((self.input_dropout,) + (self.hidden_dropout,) * 4)
        ]

    def build(self, input_shape=None):
        shape = (None, *IMAGE_SHAPE)
        for conv in self.convs:
            conv.build(shape)
            shape = conv.compute_output_shape(shape)
        self.maxout.build((None, int(np.prod(shape[1:]))))
        self.logit.build((None, self.maxout.units))

    def call(self, x, training=None):
        for dropout, conv in zip(self.dropouts, self.convs, strict=False):
            x = conv(dropout(x, training=training))
        x = ops.reshape(x, (ops.shape(x)[0], -1))
        x = self.maxout(self.dropouts[3](x, training=training))
        return self.logit(self.dropouts[4](x, training=training))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "input_dropout": self.input_dropout,
                "hidden_dropout": self.hidden_dropout,
                "init_range": self.init_range,
            }
        )
        return config


def paper_cifar10_networks(kind):
    """The generator and discriminator of the `"fc"` or `"conv"` config."""
    if kind == "fc":
        generator = MLPGenerator(
            latent_dim=100,
            data_shape=IMAGE_SHAPE,
            hidden_units=(8000, 8000),
            hidden_activation=("relu", "sigmoid"),
            output_activation=None,
            init_range=0.05,
            output_init_range=0.5,
            name="generator",
        )
        discriminator = MaxoutDiscriminator(
            hidden_units=(1600, 1600),
            num_pieces=5,
            input_dropout=0.2,
            hidden_dropout=0.5,
            init_range=0.005,
            name="discriminator",
        )
    elif kind == "conv":
        generator = PaperCIFAR10ConvGenerator(name="generator")
        discriminator = PaperCIFAR10ConvDiscriminator(name="discriminator")
    else:
        raise ValueError(f"`kind` must be 'fc' or 'conv'. Received: kind={kind!r}")
    return generator, discriminator


def paper_cifar10_gan(kind, steps_per_epoch=None, seed=None):
    """Builds and compiles the paper's `"fc"` or `"conv"` CIFAR-10 GAN.

    Train it on `keras_gan.data.global_contrast_normalize(images)` of `TRAIN_SPLIT` with the
    config's batch size (`TRAINING[kind][0]`).

    Args:
        kind: `"fc"` or `"conv"`.
        steps_per_epoch: updates per epoch (places the momentum ramp); default
            40,000 images over the config's batch size.
        seed: seed of the GAN's noise.

    Returns:
        A compiled `GAN`.
    """
    generator, discriminator = paper_cifar10_networks(kind)
    batch_size, learning_rate = TRAINING[kind]
    steps_per_epoch = steps_per_epoch or 40000 // batch_size
    gan = GAN(
        generator,
        discriminator,
        latent_distribution="normal",
        simultaneous_updates=True,
        seed=seed,
        name=f"paper_cifar10_{kind}_gan",
    )
    gan.compile(
        d_optimizer=paper_mnist_sgd(steps_per_epoch, learning_rate=learning_rate),
        g_optimizer=paper_mnist_sgd(steps_per_epoch, learning_rate=learning_rate),
        loss="non_saturating",
        d_loss_weight=0.5,
    )
    return gan
