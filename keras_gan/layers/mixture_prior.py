"""A learned mixture-of-Gaussians prior for a generator (DeLiGAN, Gurumurthy et al. 2017)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class MixturePrior(keras.layers.Layer):
    """z = mu_k + sigma_k * eps: component k's learned mean and scale applied to normal noise.

    The input is `[eps | one-hot k]`, `(batch, dim + components)`: what
    `keras_gan.latent_codes.InfoGANCodes(noise_dim=dim, categorical=(components,),
    continuous=0, noise="normal")` draws, so the GAN's latent distribution
    stays a stateless draw (the same seed, the same samples, in `generate`
    and the export). The means and scales are weights of the generator, trained
    by its optimizer with the rest of it. DeLiGAN's regulariser keeps the
    scales from collapsing: `scale_penalty * mean((1 - sigma)^2)`, added with
    `add_loss` (the step adds the generator's losses to its objective).

    Args:
        components: K, the number of Gaussians (DeLiGAN's MNIST: 50).
        dim: the size of z passed on.
        mean_range: the means start uniform on [-mean_range, mean_range]
            (DeLiGAN: [-1, 1]).
        initial_scale: the scales start here (DeLiGAN: 0.2).
        scale_penalty: the weight of the regulariser (0: none).

    Reference:
        Gurumurthy, Sarvadevabhatla & Babu, "DeLiGAN: Generative Adversarial
        Networks for Diverse and Limited Data", CVPR 2017, arXiv:1706.02071.
    """

    def __init__(
        self, components=50, dim=100, mean_range=1.0, initial_scale=0.2, scale_penalty=1.0, **kwargs
    ):
        super().__init__(**kwargs)
        self.components = int(components)
        self.dim = int(dim)
        if self.components < 1 or self.dim < 1:
            raise ValueError(
                f"`components` and `dim` must be >= 1. Received: components={components}, dim={dim}"
            )
        self.mean_range = float(mean_range)
        self.initial_scale = float(initial_scale)
        self.scale_penalty = float(scale_penalty)

    def build(self, input_shape):
        if input_shape[-1] != self.dim + self.components:
            raise ValueError(
                f"MixturePrior takes [eps | one-hot k] of size dim + components = "
                f"{self.dim + self.components}. Received: input shape {tuple(input_shape)}"
            )
        self.means = self.add_weight(
            shape=(self.components, self.dim),
            initializer=keras.initializers.RandomUniform(-self.mean_range, self.mean_range),
            name="means",
        )
        self.scales = self.add_weight(
            shape=(self.components, self.dim),
            initializer=keras.initializers.Constant(self.initial_scale),
            name="scales",
        )

    def call(self, inputs):
        eps, one_hot = inputs[:, : self.dim], inputs[:, self.dim :]
        one_hot = ops.cast(one_hot, self.compute_dtype)
        if self.scale_penalty:
            self.add_loss(self.scale_penalty * ops.mean(ops.square(1.0 - self.scales)))
        return ops.matmul(one_hot, self.means) + ops.matmul(one_hot, self.scales) * eps

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.dim)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "components": self.components,
                "dim": self.dim,
                "mean_range": self.mean_range,
                "initial_scale": self.initial_scale,
                "scale_penalty": self.scale_penalty,
            }
        )
        return config


def mixture_codes(components, dim):
    """The latent distribution a `MixturePrior` reads: `[eps | one-hot k]`, k uniform."""
    from keras_gan.latent_codes import InfoGANCodes

    return InfoGANCodes(noise_dim=dim, categorical=(components,), continuous=0, noise="normal")
