"""Convolutional discriminator of Radford et al. (2016) for small images."""

import keras

from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.layers.strided_conv import StridedConv2D
from keras_gan.models import labels as class_labels
from keras_gan.models.dcgan_utils import resolution_steps
from keras_gan.validation import dropout_rate
from keras_gan.validation import positive_int

CONDITIONINGS = ("projection", "auxiliary_classifier", "projection_and_auxiliary_classifier")


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
        num_classes: None, or the classes of a conditional discriminator,
            then called as `discriminator([x, labels])`: a projection
            discriminator (Miyato & Koyama 2018), whose logit is
            `psi(phi(x)) + <embed(label), phi(x)>` with `phi(x)` the
            flattened features. The embedding is a bias-free Dense layer on
            the one-hot label, spectrally normalised with `spectral_norm` as
            in the paper.
        conditioning: with `num_classes`, `"projection"` (above) or
            `"auxiliary_classifier"`: AC-GAN's discriminator (Odena et al.
            2017), which does not read the label but returns `(logits,
            class_logits)` from a second Dense head on `phi(x)`; use it with
            `GAN(auxiliary_classifier=weight)`. Or
            `"projection_and_auxiliary_classifier"`: both, the projection's
            logit and the class head's logits, as the AC-GAN loss added to a
            projection discriminator (Miyato & Koyama 2018 compare the two; the
            class loss pushes each sample towards its class).
        latent_dim: None, or the size of a latent code judged together with
            the image: a discriminator of `BiGAN` pairs, called as
            `discriminator([x, z])`. The code passes a Dense layer of
            `joint_units` (LeakyReLU), is joined to `phi(x)`, and a joint
            Dense layer of `joint_units` (LeakyReLU, dropout) gives the logit,
            so D can judge how x and z go together, not only each alone
            (Donahue et al. 2017). Not with `num_classes`.
        joint_units: width of those two layers.
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
        num_classes=None,
        conditioning="projection",
        latent_dim=None,
        joint_units=1024,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.base_filters = int(base_filters)
        self.kernel_size = int(kernel_size)
        self.leaky_relu_slope = float(leaky_relu_slope)
        self.dropout = dropout_rate("dropout", dropout)
        self.spectral_norm = bool(spectral_norm)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        if conditioning not in CONDITIONINGS:
            raise ValueError(
                f"`conditioning` must be one of {list(CONDITIONINGS)}. "
                f"Received: conditioning={conditioning!r}"
            )
        self.conditioning = conditioning
        self.latent_dim = class_labels.joint_latent_dim(latent_dim, self.num_classes)
        self.joint_units = positive_int("joint_units", joint_units)
        wrap = _spectral_normalization if self.spectral_norm else (lambda layer: layer)
        steps = resolution_steps(self.data_shape)
        self.convs = [
            wrap(
                StridedConv2D(
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
        self.projection = self.class_logits = self.code_layer = self.joint_layer = None
        if self.latent_dim is not None:
            self.code_layer = wrap(keras.layers.Dense(self.joint_units, name="code"))
            self.joint_layer = wrap(keras.layers.Dense(self.joint_units, name="joint"))
            self.joint_dropout = keras.layers.Dropout(self.dropout, name="joint_dropout")
        if self.num_classes is not None and conditioning.endswith("auxiliary_classifier"):
            self.class_logits = wrap(keras.layers.Dense(self.num_classes, name="class_logits"))
        if self.num_classes is not None and conditioning.startswith("projection"):
            side = -(-self.data_shape[0] // 2**steps)  # "same" padding rounds up
            features = side * side * self.base_filters * 2 ** (steps - 1)
            self.projection = wrap(keras.layers.Dense(features, use_bias=False, name="projection"))

    def build(self, input_shape=None):
        shape = (None, *self.data_shape)
        for conv in self.convs:
            conv.build(shape)
            shape = conv.compute_output_shape(shape)
        features = self.flatten.compute_output_shape(shape)
        if self.code_layer is not None:
            self.code_layer.build((None, self.latent_dim))
            self.joint_layer.build((None, features[-1] + self.joint_units))
            features = (None, self.joint_units)
        self.logit.build(features)
        if self.projection is not None:
            self.projection.build((None, self.num_classes))
        if self.class_logits is not None:
            self.class_logits.build(features)

    def call(self, inputs, training=None):
        x, labels = class_labels.split_inputs(
            inputs, self.num_classes, "DCGANDiscriminator", self.latent_dim
        )
        for conv, dropout in zip(self.convs, self.dropouts, strict=True):
            x = keras.ops.leaky_relu(conv(x), negative_slope=self.leaky_relu_slope)
            x = dropout(x, training=training)
        features = self.flatten(x)
        if self.code_layer is not None:
            return self.logit(self._joint_features(features, labels, training))
        logits = self.logit(features)
        if self.projection is not None and labels is not None:
            one_hot = keras.ops.one_hot(keras.ops.reshape(labels, (-1,)), self.num_classes)
            embedded = self.projection(keras.ops.cast(one_hot, features.dtype))
            logits = logits + keras.ops.sum(embedded * features, axis=-1, keepdims=True)
        if self.class_logits is not None:
            return logits, self.class_logits(features)
        return logits

    def _joint_features(self, features, code, training):
        """The joint layer's features of an image's features and its latent code."""
        slope = self.leaky_relu_slope
        code = keras.ops.leaky_relu(
            self.code_layer(keras.ops.cast(code, features.dtype)), negative_slope=slope
        )
        joint = self.joint_layer(keras.ops.concatenate([features, code], axis=-1))
        return self.joint_dropout(
            keras.ops.leaky_relu(joint, negative_slope=slope), training=training
        )

    def compute_output_shape(self, input_shape):
        batch = class_labels.input_shape_of(input_shape)[0]
        if self.class_logits is not None:
            return (batch, 1), (batch, self.num_classes)
        return (batch, 1)

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
                "num_classes": self.num_classes,
                "conditioning": self.conditioning,
                "latent_dim": self.latent_dim,
                "joint_units": self.joint_units,
            }
        )
        return config


def _spectral_normalization(layer):
    return SpectralNormalization(layer, name=f"spectral_normalization_{layer.name}")
