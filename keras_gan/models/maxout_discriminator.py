"""The discriminator of Goodfellow et al. (2014): maxout units with dropout."""

import keras

from keras_gan.layers.maxout import Maxout
from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.models import initializers
from keras_gan.models import labels as class_labels
from keras_gan.validation import dropout_rate
from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class MaxoutDiscriminator(keras.Model):
    """Maxout MLP with dropout that returns one logit per sample.

    The defaults are the paper's MNIST discriminator (goodfeli/adversarial,
    `mnist.yaml`): two layers of 240 maxout units with 5 pieces each, then one
    logit; dropout keeps 80% of the inputs and 50% of the hidden units (inverted
    dropout, as pylearn2's input scales of 1.25 and 2 did); weights uniform on
    [-0.005, 0.005]. It returns logits: D(x) = sigmoid(logit).

    Args:
        hidden_units: number of maxout units of each hidden layer.
        num_pieces: linear pieces per maxout unit.
        input_dropout: dropout rate on the input.
        hidden_dropout: dropout rate on the input of every later layer.
        init_range: weights are initialised uniformly on
            `[-init_range, init_range]` (the paper's `irange`).
        spectral_norm: wrap every maxout and the logit layer in
            `keras_gan.layers.SpectralNormalization` (Miyato et al. 2018).
        num_classes: None, or the classes of a conditional discriminator,
            then called as `discriminator([x, labels])`: a learned embedding
            of the label is joined to the (dropped-out) input, so every
            maxout unit sees both (Mirza & Osindero 2014).
        label_embedding_dim: size of that embedding.
        latent_dim: None, or the size of a latent code judged together with
            the sample: a discriminator of `BiGAN` pairs, called as
            `discriminator([x, z])`. The code is joined to the (dropped-out)
            input, so every maxout unit sees both. Not with `num_classes`.
        **kwargs: base `keras.Model` arguments (`name`, `dtype`, ...).

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NIPS 2014,
        arXiv:1406.2661; goodfeli/adversarial `mnist.yaml`.
    """

    def __init__(
        self,
        hidden_units=(240, 240),
        num_pieces=5,
        input_dropout=0.2,
        hidden_dropout=0.5,
        init_range=0.005,
        spectral_norm=False,
        num_classes=None,
        label_embedding_dim=50,
        latent_dim=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.hidden_units = tuple(int(u) for u in hidden_units)
        self.num_pieces = int(num_pieces)
        self.input_dropout = dropout_rate("input_dropout", input_dropout)
        self.hidden_dropout = dropout_rate("hidden_dropout", hidden_dropout)
        self.init_range = float(init_range)
        self.spectral_norm = bool(spectral_norm)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.label_embedding_dim = positive_int("label_embedding_dim", label_embedding_dim)
        self.latent_dim = class_labels.joint_latent_dim(latent_dim, self.num_classes)
        self.label_embedding = (
            None
            if self.num_classes is None
            else class_labels.label_embedding(
                self.num_classes, self.label_embedding_dim, self.init_range
            )
        )
        wrap = _spectral_normalization if self.spectral_norm else (lambda layer: layer)
        self.flatten = keras.layers.Flatten(name="flatten")
        self.dropouts = [keras.layers.Dropout(self.input_dropout, name="dropout_0")]
        self.hidden_layers = []
        for i, units in enumerate(self.hidden_units):
            self.hidden_layers.append(
                wrap(
                    Maxout(
                        units,
                        self.num_pieces,
                        kernel_initializer=initializers.uniform(self.init_range),
                        name=f"maxout_{i}",
                    )
                )
            )
            self.dropouts.append(keras.layers.Dropout(self.hidden_dropout, name=f"dropout_{i + 1}"))
        self.logit = wrap(
            keras.layers.Dense(
                1, kernel_initializer=initializers.uniform(self.init_range), name="logit"
            )
        )

    def build(self, input_shape):
        shape = self.flatten.compute_output_shape(class_labels.input_shape_of(input_shape))
        if self.label_embedding is not None:
            self.label_embedding.build((None,))
            shape = (shape[0], shape[1] + self.label_embedding_dim)
        if self.latent_dim is not None:
            shape = (shape[0], shape[1] + self.latent_dim)
        for layer in self.hidden_layers:
            layer.build(shape)
            shape = layer.compute_output_shape(shape)
        self.logit.build(shape)

    def call(self, inputs, training=None):
        x, second = class_labels.split_inputs(
            inputs, self.num_classes, "MaxoutDiscriminator", self.latent_dim
        )
        x = self.dropouts[0](self.flatten(x), training=training)
        if self.latent_dim is not None:
            x = keras.ops.concatenate([x, keras.ops.cast(second, x.dtype)], axis=-1)
        elif second is not None:  # the labels
            embedded = self.label_embedding(keras.ops.reshape(second, (-1,)))
            x = keras.ops.concatenate([x, keras.ops.cast(embedded, x.dtype)], axis=-1)
        for layer, dropout in zip(self.hidden_layers, self.dropouts[1:], strict=True):
            x = dropout(layer(x), training=training)
        return self.logit(x)

    def compute_output_shape(self, input_shape):
        return (class_labels.input_shape_of(input_shape)[0], 1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "hidden_units": self.hidden_units,
                "num_pieces": self.num_pieces,
                "input_dropout": self.input_dropout,
                "hidden_dropout": self.hidden_dropout,
                "init_range": self.init_range,
                "spectral_norm": self.spectral_norm,
                "num_classes": self.num_classes,
                "label_embedding_dim": self.label_embedding_dim,
                "latent_dim": self.latent_dim,
            }
        )
        return config


def _spectral_normalization(layer):
    return SpectralNormalization(layer, name=f"spectral_normalization_{layer.name}")
