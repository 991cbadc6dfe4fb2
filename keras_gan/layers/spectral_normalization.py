"""Spectral normalisation as Miyato et al. define it: W / sigma(W), differentiated."""

import keras
from keras import ops

from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class SpectralNormalization(keras.layers.Wrapper):
    """Runs a Dense or Conv layer with its kernel divided by its top singular value.

    sigma(W) is estimated by power iteration with a persistent vector u
    (one iteration per training call is the paper's choice), and the layer
    computes with W / sigma(W). The raw W stays the trained parameter and the
    gradient flows through sigma (u and v held constant), as in the paper's
    Algorithm 1.

    Why not `keras.layers.SpectralNormalization` (Keras 3.15): it assigns
    W / sigma into the kernel variable on every training call, so (1) no
    gradient flows through sigma, (2) a generator step, which calls D in
    training mode, changes D's weights, and (3) the two D calls of a step
    (data, samples) rescale it twice. This wrapper leaves the weights to the
    optimizer and updates only u.

    Args:
        layer: a Keras layer with a `kernel` whose last axis is the output
            units (Dense, Conv1D/2D/3D, Conv2DTranspose has its output at
            axis -2 and is refused).
        power_iterations: power-iteration steps per training call (>= 1).

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018, arXiv:1802.05957, Algorithm 1.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        self.power_iterations = positive_int("power_iterations", power_iterations)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None or isinstance(self.layer, keras.layers.Conv2DTranspose):
            raise ValueError(
                "SpectralNormalization wraps a layer with a `kernel` whose last axis is its "
                f"outputs (Dense, Conv1D/2D/3D). Received: {type(self.layer).__name__}"
            )
        self.vector_u = self.add_weight(
            shape=(1, kernel.shape[-1]),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
            # Every replica computes the same u from the same weights.
            aggregation="only_first_replica",
            name="vector_u",
        )
        self.built = True

    def call(self, inputs, training=None):
        kernel = self.layer.kernel
        sigma, vector_u = self.top_singular_value()
        if training:
            self.vector_u.assign(vector_u)
        normalized = ops.divide(kernel.value, ops.cast(sigma, kernel.dtype))
        # The wrapped layer reads `normalized` where it would read its kernel.
        # The scope would drop what the layer adds with `add_loss` (an
        # activity regulariser): it collects them, and they are added here.
        with keras.StatelessScope(
            state_mapping=[(kernel, normalized)], collect_losses=True
        ) as scope:
            outputs = self.layer(inputs)
        if scope.losses:
            self.add_loss(scope.losses)
        return outputs

    def top_singular_value(self):
        """sigma(W) by power iteration from u (gradient only through W), and the new u."""
        kernel = self.layer.kernel
        weights = ops.cast(ops.reshape(kernel.value, (-1, kernel.shape[-1])), "float32")
        vector_u = ops.cast(self.vector_u.value, "float32")
        for _ in range(self.power_iterations):
            vector_v = _normalize(ops.matmul(vector_u, ops.transpose(weights)))
            vector_u = _normalize(ops.matmul(vector_v, weights))
        vector_u = ops.stop_gradient(vector_u)
        vector_v = ops.stop_gradient(vector_v)
        sigma = ops.sum(ops.matmul(vector_v, weights) * vector_u)
        return sigma, vector_u

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}


def _normalize(vector):
    return vector / (ops.sqrt(ops.sum(ops.square(vector))) + 1e-12)


def spectral_norm_if(enabled):
    """`SpectralNormalization` as a wrapper when `enabled`, else the identity on layers."""
    return SpectralNormalization if enabled else (lambda layer: layer)
