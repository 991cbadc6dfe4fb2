"""Self-attention over an image's positions, as SAGAN and BigGAN put it in G and D."""

import keras
from keras import ops

from keras_gan.layers.spectral_normalization import spectral_norm_if


@keras.saving.register_keras_serializable(package="keras_gan")
class SelfAttention(keras.layers.Layer):
    """x + sigma * attention(x), sigma a learned scalar that starts at 0.

    For an image of C channels: theta = conv1x1(x) (C/8 channels) at every
    position; phi = maxpool2(conv1x1(x)) (C/8) and g = maxpool2(conv1x1(x))
    (C/2) at a quarter of them; each position's weights are the softmax of
    theta . phi over the pooled positions, its output conv1x1 (back to C) of
    the weighted sum of g. A new layer is the identity (sigma = 0), so it can
    be put into a trained network's place unchanged. The convolutions have no
    bias; with `spectral_norm` each is spectrally normalised (BigGAN: in G
    and in D). Its parameters: C^2/8 * 2 + C^2/2 * 2 + 1.

    Args:
        spectral_norm: wrap the four 1x1 convolutions in `SpectralNormalization`.
        **kwargs: base layer arguments.

    Reference:
        Zhang et al., "Self-Attention Generative Adversarial Networks", ICML
        2019, arXiv:1805.08318; the code followed is StudioGAN's
        `SelfAttention` (src/utils/ops.py) as BigGAN-PyTorch writes it.
    """

    def __init__(self, spectral_norm=True, **kwargs):
        super().__init__(**kwargs)
        self.spectral_norm = bool(spectral_norm)

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None or input_shape[-1] % 8:
            raise ValueError(
                "SelfAttention takes images (batch, height, width, channels) with channels a "
                f"multiple of 8. Received: inputs of shape {tuple(input_shape)}"
            )
        if input_shape[1] is not None and (input_shape[1] % 2 or input_shape[2] % 2):
            raise ValueError(
                "SelfAttention pools phi and g by 2: height and width must be even. Received: "
                f"inputs of shape {tuple(input_shape)}"
            )
        channels = input_shape[-1]
        wrap = spectral_norm_if(self.spectral_norm)

        def conv(units, name):
            return wrap(keras.layers.Conv2D(units, 1, use_bias=False, name=name))

        self.theta = conv(channels // 8, "theta")
        self.phi = conv(channels // 8, "phi")
        self.g = conv(channels // 2, "g")
        self.output_conv = conv(channels, "output")
        for layer in (self.theta, self.phi, self.g):
            layer.build(input_shape)
        self.output_conv.build((*input_shape[:3], channels // 2))
        self.pool = keras.layers.MaxPooling2D(2)
        self.sigma = self.add_weight(shape=(), initializer="zeros", name="sigma")

    def call(self, x, training=None):
        batch, height, width = ops.shape(x)[0], x.shape[1], x.shape[2]
        positions = height * width
        theta = ops.reshape(self.theta(x, training=training), (batch, positions, -1))
        phi = ops.reshape(self.pool(self.phi(x, training=training)), (batch, positions // 4, -1))
        g = ops.reshape(self.pool(self.g(x, training=training)), (batch, positions // 4, -1))
        weights = ops.softmax(ops.matmul(theta, ops.transpose(phi, (0, 2, 1))), axis=-1)
        attended = ops.reshape(ops.matmul(weights, g), (batch, height, width, -1))
        output = self.output_conv(attended, training=training)
        return x + ops.cast(self.sigma, output.dtype) * output

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "spectral_norm": self.spectral_norm}
