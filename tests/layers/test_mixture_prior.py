"""DeLiGAN's learned mixture prior: its formula, its training and its place in a GAN."""

import keras
import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.layers import MixturePrior
from keras_gan.layers import mixture_codes


def test_each_sample_takes_its_components_mean_and_scale():
    layer = MixturePrior(components=3, dim=2)
    layer.build((None, 5))
    layer.means.assign([[0.0, 0.0], [1.0, 2.0], [-3.0, 4.0]])
    layer.scales.assign([[1.0, 1.0], [0.5, 2.0], [0.1, 0.1]])
    eps = np.array([[1.0, -1.0], [2.0, 3.0]], "float32")
    one_hot = np.array([[0, 1, 0], [0, 0, 1]], "float32")
    z = keras.ops.convert_to_numpy(layer(np.concatenate([eps, one_hot], axis=1)))
    np.testing.assert_allclose(z, [[1.0 + 0.5, 2.0 - 2.0], [-3.0 + 0.2, 4.0 + 0.3]], rtol=1e-6)
    # DeLiGAN's regulariser on the scales, mean (1 - sigma)^2.
    expected = np.mean((1.0 - np.array([[1, 1], [0.5, 2], [0.1, 0.1]])) ** 2)
    np.testing.assert_allclose(float(layer.losses[0]), expected, rtol=1e-6)
    with pytest.raises(ValueError, match=r"dim \+ components = 5. Received: input shape"):
        MixturePrior(components=3, dim=2).build((None, 4))


def _deligan(scale_penalty=1.0):
    codes = mixture_codes(components=4, dim=3)
    generator = keras.Sequential(
        [
            keras.Input((codes.latent_dim,)),
            MixturePrior(components=4, dim=3, scale_penalty=scale_penalty),
            keras.layers.Dense(16, activation="tanh"),
            keras.layers.Dense(2),
        ]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(1)]
    )
    gan = GAN(generator, discriminator, latent_distribution=codes, seed=0)
    gan.compile()
    return gan


def test_the_generators_optimizer_trains_the_means_and_the_penalty_pulls_the_scales(tmp_path):
    data = np.random.default_rng(0).normal(size=(256, 2)).astype("float32")
    prior = _deligan(scale_penalty=100.0)
    layer = prior.generator.layers[0]
    means, scales = layer.means.numpy().copy(), layer.scales.numpy().copy()
    prior.fit(data, batch_size=64, epochs=3, verbose=0)
    assert not np.allclose(layer.means.numpy(), means)
    # The regulariser, 100 * mean((1 - sigma)^2), pulls every scale from 0.2 toward 1.
    assert np.all(layer.scales.numpy() > scales)
    prior.save(tmp_path / "deligan.keras")
    loaded = keras.saving.load_model(tmp_path / "deligan.keras")
    np.testing.assert_array_equal(loaded.generate(5, seed=2), prior.generate(5, seed=2))
