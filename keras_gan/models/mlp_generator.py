"""The generator of Goodfellow et al. (2014): an MLP from noise to samples."""

import math

import keras
import numpy as np
from keras import ops

from keras_gan.models import initializers
from keras_gan.models import labels as class_labels
from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class MLPGenerator(keras.Model):
    """Fully connected generator: `latent_dim` -> hidden ReLU layers -> a sample.

    The defaults are the paper's MNIST generator (goodfeli/adversarial,
    `mnist.yaml`): 100-d noise, two hidden layers of 1200 ReLU units, 784 sigmoid
    outputs reshaped to a 28x28x1 image, weights uniform on [-0.05, 0.05].

    Args:
        latent_dim: size of the noise vector z.
        data_shape: shape of one generated sample, e.g. `(28, 28, 1)` or `(2,)`.
        hidden_units: sizes of the hidden layers.
        hidden_activation: activation of the hidden layers, or one per layer
            (the paper's CIFAR-10 generator: `("relu", "sigmoid")`).
        output_activation: activation of the output layer; `"sigmoid"` gives
            pixels in [0, 1], `None` an unbounded (linear) output.
        init_range: weights are initialised uniformly on
            `[-init_range, init_range]` (the paper's `irange`).
        output_init_range: the output layer's, if other (the paper's CIFAR-10
            generator: 0.5).
        output_bias_marginals: optional per-output mean of the training data,
            in (0, 1), flattened to `prod(data_shape)` values. The output bias is
            set to its logit so that the untrained generator already produces
            the pixel marginals (the paper's `init_sigmoid_bias_from_marginals`).
            Only meaningful with a sigmoid output.
        num_classes: None, or the classes of a conditional generator, then
            called as `generator([z, labels])`: a learned embedding of the
            label is joined to z (Mirza & Osindero's MNIST model joins a
            label layer to the noise layer).
        label_embedding_dim: size of that embedding.
        **kwargs: base `keras.Model` arguments (`name`, `dtype`, ...).

    Example:
        >>> generator = MLPGenerator()
        >>> generator(keras.random.uniform((4, 100))).shape
        (4, 28, 28, 1)

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NIPS 2014,
        arXiv:1406.2661; goodfeli/adversarial `mnist.yaml`.
    """

    def __init__(
        self,
        latent_dim=100,
        data_shape=(28, 28, 1),
        hidden_units=(1200, 1200),
        hidden_activation="relu",
        output_activation="sigmoid",
        init_range=0.05,
        output_init_range=None,
        output_bias_marginals=None,
        num_classes=None,
        label_embedding_dim=50,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.hidden_units = tuple(int(u) for u in hidden_units)
        if isinstance(hidden_activation, (list, tuple)):
            hidden_activation = tuple(hidden_activation)
            if len(hidden_activation) != len(self.hidden_units):
                raise ValueError(
                    f"`hidden_activation` must name one activation or one per hidden layer "
                    f"({len(self.hidden_units)}). Received: {hidden_activation}"
                )
        self.hidden_activation = hidden_activation
        self.output_activation = output_activation
        self.init_range = float(init_range)
        self.output_init_range = None if output_init_range is None else float(output_init_range)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.label_embedding_dim = positive_int("label_embedding_dim", label_embedding_dim)
        self.label_embedding = (
            None
            if self.num_classes is None
            else class_labels.label_embedding(
                self.num_classes, self.label_embedding_dim, self.init_range
            )
        )
        output_size = math.prod(self.data_shape)
        bias_initializer = "zeros"
        self.output_bias_marginals = None
        if output_bias_marginals is not None:
            marginals = np.asarray(output_bias_marginals, dtype="float64").reshape(-1)
            if marginals.size != output_size:
                raise ValueError(
                    "`output_bias_marginals` must have prod(data_shape) = "
                    f"{output_size} values. Received: {marginals.size} values"
                )
            self.output_bias_marginals = marginals.tolist()
            p = np.clip(marginals, 1e-7, 1 - 1e-7)
            bias_initializer = keras.initializers.Constant(np.log(p / (1 - p)))
        activations = (
            hidden_activation
            if isinstance(hidden_activation, tuple)
            else (hidden_activation,) * len(self.hidden_units)
        )
        self.hidden_layers = [
            keras.layers.Dense(
                units,
                activation=activation,
                kernel_initializer=initializers.uniform(self.init_range),
                name=f"hidden_{i}",
            )
            for i, (units, activation) in enumerate(
                zip(self.hidden_units, activations, strict=True)
            )
        ]
        self.output_layer = keras.layers.Dense(
            output_size,
            activation=output_activation,
            kernel_initializer=initializers.uniform(self.output_init_range or self.init_range),
            bias_initializer=bias_initializer,
            name="output",
        )

    def build(self, input_shape=None):
        shape = (None, self.latent_dim)
        if self.label_embedding is not None:
            self.label_embedding.build((None,))
            shape = (None, self.latent_dim + self.label_embedding_dim)
        for layer in self.hidden_layers:
            layer.build(shape)
            shape = (None, layer.units)
        self.output_layer.build(shape)

    def call(self, inputs, training=None):
        x, labels = class_labels.split_inputs(inputs, self.num_classes, "MLPGenerator")
        if labels is not None:
            embedded = self.label_embedding(ops.reshape(labels, (-1,)))
            x = ops.concatenate([x, ops.cast(embedded, x.dtype)], axis=-1)
        for layer in self.hidden_layers:
            x = layer(x, training=training)
        x = self.output_layer(x, training=training)
        return ops.reshape(x, (-1, *self.data_shape))

    def compute_output_shape(self, input_shape):
        return (class_labels.input_shape_of(input_shape)[0], *self.data_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "data_shape": self.data_shape,
                "hidden_units": self.hidden_units,
                "hidden_activation": self.hidden_activation,
                "output_activation": self.output_activation,
                "init_range": self.init_range,
                "output_init_range": self.output_init_range,
                "output_bias_marginals": self.output_bias_marginals,
                "num_classes": self.num_classes,
                "label_embedding_dim": self.label_embedding_dim,
            }
        )
        return config
