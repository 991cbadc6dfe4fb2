"""Class-conditional batch normalisation: a scale and shift per class."""

import keras
from keras import ops

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
        self.normalization = keras.layers.BatchNormalization(
            momentum=self.momentum,
            epsilon=self.epsilon,
            center=False,
            scale=False,
            synchronized=self.synchronized,
            name="normalization",
        )

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
        # (batch, channels), broadcast over the spatial axes.
        broadcast = (-1,) + (1,) * (len(x.shape) - 2) + (x.shape[-1],)
        gamma = ops.reshape(ops.take(self.gamma, labels, axis=0), broadcast)
        beta = ops.reshape(ops.take(self.beta, labels, axis=0), broadcast)
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
