"""An MLP encoder from samples back to the noise: z = E(x)."""

import keras

from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class MLPEncoder(keras.Model):
    """Fully connected encoder: a sample -> hidden layers -> a latent code.

    The inverse direction of `MLPGenerator`, for `BiGAN` or for fitting an
    encoder to a finished generator (`LatentRegression`). The output is
    linear: a code in the latent space's own units.

    Args:
        latent_dim: size of the code (the generator's noise size).
        hidden_units: sizes of the hidden layers.
        hidden_activation: activation of the hidden layers.
        batch_norm: batch-normalise every hidden layer (before its
            activation).
        **kwargs: base `keras.Model` arguments (`name`, `dtype`, ...).

    Example:
        >>> encoder = MLPEncoder(latent_dim=100)
        >>> encoder(keras.random.uniform((4, 28, 28, 1))).shape
        (4, 100)
    """

    def __init__(
        self,
        latent_dim=100,
        hidden_units=(1200, 1200),
        hidden_activation="leaky_relu",
        batch_norm=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.hidden_units = tuple(positive_int("hidden_units", u) for u in hidden_units)
        self.hidden_activation = hidden_activation
        self.batch_norm = bool(batch_norm)
        self.flatten = keras.layers.Flatten(name="flatten")
        self.hidden_layers = [
            keras.layers.Dense(units, use_bias=not self.batch_norm, name=f"hidden_{i}")
            for i, units in enumerate(self.hidden_units)
        ]
        self.norms = [
            keras.layers.BatchNormalization(name=f"hidden_{i}_norm") if self.batch_norm else None
            for i in range(len(self.hidden_units))
        ]
        self.activation = keras.activations.get(hidden_activation)
        self.code = keras.layers.Dense(self.latent_dim, name="code")

    def build(self, input_shape):
        shape = self.flatten.compute_output_shape(tuple(input_shape))
        for layer, norm in zip(self.hidden_layers, self.norms, strict=True):
            layer.build(shape)
            shape = layer.compute_output_shape(shape)
            if norm is not None:
                norm.build(shape)
        self.code.build(shape)

    def call(self, inputs, training=None):
        x = self.flatten(inputs)
        for layer, norm in zip(self.hidden_layers, self.norms, strict=True):
            x = layer(x)
            if norm is not None:
                x = norm(x, training=training)
            x = self.activation(x)
        return self.code(x)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.latent_dim)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "hidden_units": self.hidden_units,
                "hidden_activation": self.hidden_activation,
                "batch_norm": self.batch_norm,
            }
        )
        return config
