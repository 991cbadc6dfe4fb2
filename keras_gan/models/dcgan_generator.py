"""Convolutional generator of Radford et al. (2016) for small images."""

import keras

from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.strided_conv import StridedConv2DTranspose
from keras_gan.models import labels as class_labels
from keras_gan.models.dcgan_utils import resolution_steps
from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class DCGANGenerator(keras.Model):
    """DCGAN generator: dense projection, then transposed convolutions with BatchNorm.

    For a 28x28 image the noise is projected to 7x7x(2*base_filters) and
    upsampled twice; for 32x32 to 4x4x(4*base_filters) and upsampled three
    times. Every hidden stage is BatchNorm + ReLU; the filter count halves at
    each upsampling.

    Args:
        latent_dim: size of the noise vector z.
        data_shape: `(H, H, C)` of the generated images, e.g. `(28, 28, 1)` or
            `(32, 32, 3)`.
        base_filters: filters of the last hidden stage; earlier stages double it.
        kernel_size: side of the transposed-convolution kernels.
        output_activation: `"sigmoid"` for pixels in [0, 1] (the package's image
            convention), `"tanh"` for [-1, 1] as in the DCGAN paper.
        synchronized_batch_norm: use `BatchNormalization(synchronized=True)`,
            which averages statistics across replicas under `tf.distribute`.
        num_classes: None, or the classes of a conditional generator, then
            called as `generator([z, labels])`: every batch norm becomes a
            `ConditionalBatchNormalization`, with a scale and shift per class
            (the generator of Miyato & Koyama 2018).
        **kwargs: base `keras.Model` arguments.

    Reference:
        Radford et al., "Unsupervised Representation Learning with Deep
        Convolutional Generative Adversarial Networks", ICLR 2016,
        arXiv:1511.06434.
    """

    def __init__(
        self,
        latent_dim=100,
        data_shape=(28, 28, 1),
        base_filters=64,
        kernel_size=5,
        output_activation="sigmoid",
        synchronized_batch_norm=False,
        num_classes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.base_filters = int(base_filters)
        self.kernel_size = int(kernel_size)
        self.output_activation = output_activation
        self.synchronized_batch_norm = bool(synchronized_batch_norm)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        steps = resolution_steps(self.data_shape)
        base = self.data_shape[0] // 2**steps
        top_filters = self.base_filters * 2 ** (steps - 1)

        def batch_norm(name):
            if self.num_classes is not None:
                return ConditionalBatchNormalization(
                    self.num_classes, synchronized=self.synchronized_batch_norm, name=name
                )
            return keras.layers.BatchNormalization(
                synchronized=self.synchronized_batch_norm, name=name
            )

        self.project = keras.layers.Dense(base * base * top_filters, use_bias=False, name="project")
        self.project_norm = batch_norm("project_norm")
        self.reshape = keras.layers.Reshape((base, base, top_filters), name="reshape")
        self.upsamples = []
        self.norms = []
        for i in range(steps - 1):
            self.upsamples.append(
                StridedConv2DTranspose(
                    top_filters // 2 ** (i + 1),
                    self.kernel_size,
                    strides=2,
                    padding="same",
                    use_bias=False,
                    name=f"upsample_{i}",
                )
            )
            self.norms.append(batch_norm(f"upsample_{i}_norm"))
        self.output_layer = StridedConv2DTranspose(
            self.data_shape[-1],
            self.kernel_size,
            strides=2,
            padding="same",
            activation=output_activation,
            name="output",
        )

    def build(self, input_shape=None):
        shape = (None, self.latent_dim)
        self.project.build(shape)
        shape = self.project.compute_output_shape(shape)
        self._build_norm(self.project_norm, shape)
        shape = self.reshape.compute_output_shape(shape)
        for upsample, norm in zip(self.upsamples, self.norms, strict=True):
            upsample.build(shape)
            shape = upsample.compute_output_shape(shape)
            self._build_norm(norm, shape)
        self.output_layer.build(shape)

    def _build_norm(self, norm, shape):
        norm.build(shape if self.num_classes is None else [shape, (None,)])

    def call(self, inputs, training=None):
        z, labels = class_labels.split_inputs(inputs, self.num_classes, "DCGANGenerator")

        def normalize(norm, x):
            if labels is None:
                return norm(x, training=training)
            return norm([x, labels], training=training)

        x = self.project(z)
        x = keras.ops.relu(normalize(self.project_norm, x))
        x = self.reshape(x)
        for upsample, norm in zip(self.upsamples, self.norms, strict=True):
            x = keras.ops.relu(normalize(norm, upsample(x)))
        return self.output_layer(x)

    def compute_output_shape(self, input_shape):
        return (class_labels.input_shape_of(input_shape)[0], *self.data_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "data_shape": self.data_shape,
                "base_filters": self.base_filters,
                "kernel_size": self.kernel_size,
                "output_activation": self.output_activation,
                "synchronized_batch_norm": self.synchronized_batch_norm,
                "num_classes": self.num_classes,
            }
        )
        return config
