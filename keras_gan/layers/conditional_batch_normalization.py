"""Class-conditional batch normalisation: a scale and shift per class."""

import keras
from keras import ops

from keras_gan.layers.spectral_normalization import spectral_norm_if
from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class ConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalisation whose scale and shift are looked up by class.

    `layer([x, labels])` normalises `x` over the batch (and spatial) axes as
    `keras.layers.BatchNormalization(center=False, scale=False)` does, then
    computes `gamma[labels] * x_hat + beta[labels]` with one learned
    `(gamma, beta)` row per class, over the last axis. The rows start at
    gamma = 1, beta = 0: an untrained layer is plain batch norm.

    Args:
        num_classes: number of classes; labels are int ids in [0, num_classes).
        momentum: momentum of the moving statistics (as BatchNormalization).
        epsilon: added to the variance (as BatchNormalization).
        synchronized: average the batch statistics across replicas under
            `tf.distribute` (as BatchNormalization).
        **kwargs: base layer arguments.

    Reference:
        de Vries et al., "Modulating early visual processing by language",
        NIPS 2017, arXiv:1707.00683; Miyato & Koyama, "cGANs with Projection
        Discriminator", ICLR 2018, arXiv:1802.05637 (its generator).
    """

    def __init__(self, num_classes, momentum=0.99, epsilon=1e-3, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = positive_int("num_classes", num_classes)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.synchronized = bool(synchronized)
        self.normalization = _unscaled_batch_norm(self.momentum, self.epsilon, self.synchronized)

    def build(self, input_shape):
        x_shape = input_shape[0]
        self.normalization.build(x_shape)
        channels = x_shape[-1]
        self.gamma = self.add_weight(
            shape=(self.num_classes, channels), initializer="ones", name="gamma"
        )
        self.beta = self.add_weight(
            shape=(self.num_classes, channels), initializer="zeros", name="beta"
        )

    def call(self, inputs, training=None):
        x, labels = inputs
        normalized = self.normalization(x, training=training)
        labels = ops.reshape(ops.cast(labels, "int32"), (-1,))
        gamma = _per_sample(ops.take(self.gamma, labels, axis=0), x)
        beta = _per_sample(ops.take(self.beta, labels, axis=0), x)
        return ops.cast(gamma, normalized.dtype) * normalized + ops.cast(beta, normalized.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "synchronized": self.synchronized,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class VectorConditionalBatchNormalization(keras.layers.Layer):
    """Batch normalisation whose scale and shift are linear in a condition vector.

    `layer([x, y])` normalises `x` as `ConditionalBatchNormalization` does,
    then computes `(1 + y W_gain) * x_hat + y W_bias`: BigGAN's conditional
    batch norm, where `y` is the shared class embedding joined to a chunk of
    z (or the chunk alone, unconditional). The two projections have no bias;
    a new layer with `W = 0` would be plain batch norm, and its random start
    (Glorot) makes each sample's scale its own from the first step.

    Args:
        momentum: momentum of the moving statistics (BigGAN's code: 0.9 in
            Keras' terms, PyTorch's 0.1).
        epsilon: added to the variance (StudioGAN's BigGAN: 1e-4).
        spectral_norm: spectrally normalise the two projections (BigGAN: yes).
        synchronized: average the batch statistics across replicas.
        **kwargs: base layer arguments.

    Reference:
        Brock, Donahue & Simonyan, "Large Scale GAN Training for High
        Fidelity Natural Image Synthesis", ICLR 2019, arXiv:1809.11096,
        section 3 and appendix B; StudioGAN's `ConditionalBatchNorm2d`
        (src/utils/ops.py).
    """

    def __init__(
        self, momentum=0.9, epsilon=1e-4, spectral_norm=True, synchronized=False, **kwargs
    ):
        super().__init__(**kwargs)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.spectral_norm = bool(spectral_norm)
        self.synchronized = bool(synchronized)
        self.normalization = _unscaled_batch_norm(self.momentum, self.epsilon, self.synchronized)

    def build(self, input_shape):
        x_shape, y_shape = input_shape
        if len(y_shape) != 2:
            raise ValueError(
                "VectorConditionalBatchNormalization is called on [x, y] with y of shape "
                f"(batch, features). Received: y of shape {tuple(y_shape)}"
            )
        self.normalization.build(x_shape)
        wrap = spectral_norm_if(self.spectral_norm)
        channels = x_shape[-1]
        self.gain = wrap(keras.layers.Dense(channels, use_bias=False, name="gain"))
        self.bias = wrap(keras.layers.Dense(channels, use_bias=False, name="bias"))
        self.gain.build(y_shape)
        self.bias.build(y_shape)

    def call(self, inputs, training=None):
        x, y = inputs
        normalized = self.normalization(x, training=training)
        y = ops.cast(y, normalized.dtype)
        gain = _per_sample(self.gain(y, training=training), x)
        bias = _per_sample(self.bias(y, training=training), x)
        return (1.0 + gain) * normalized + bias

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {
            **super().get_config(),
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "spectral_norm": self.spectral_norm,
            "synchronized": self.synchronized,
        }


def _unscaled_batch_norm(momentum, epsilon, synchronized):
    """Batch norm without its own scale and shift: the conditional ones replace them."""
    return keras.layers.BatchNormalization(
        momentum=momentum,
        epsilon=epsilon,
        center=False,
        scale=False,
        synchronized=synchronized,
        name="normalization",
    )


def _per_sample(values, x):
    """(batch, channels) values shaped to broadcast over `x`'s spatial axes."""
    return ops.reshape(values, (-1,) + (1,) * (len(x.shape) - 2) + (x.shape[-1],))
