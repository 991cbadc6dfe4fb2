"""LOGAN's latent step: its formula on known gradients, and the GAN seam that uses it."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan.latent_codes import InfoGANCodes
from keras_gan.latent_optimization import LatentOptimization
from keras_gan.models import BiGAN
from keras_gan.models import InfoGAN
from keras_gan.models import InfoGANDiscriminator
from keras_gan.models import InfoGANGenerator
from keras_gan.models import MaxoutDiscriminator
from keras_gan.models import MLPEncoder
from keras_gan.models import MLPGenerator

W = np.array([3.0, -4.0], "float32")  # |w|^2 = 25


def linear_logit(z):
    return tf.linalg.matvec(z, tf.constant(W))


def test_the_natural_gradient_step_of_a_linear_logit():
    z = tf.constant(np.zeros((4, 2), "float32"))
    moved = LatentOptimization(alpha=0.9, beta=5.0).step(z, linear_logit, seed=[0, 0])
    np.testing.assert_allclose(moved, np.tile(0.9 * W / (5.0 + 25.0), (4, 1)), rtol=1e-6)
    plain = LatentOptimization(alpha=0.1, natural=False).step(z, linear_logit, seed=[0, 0])
    np.testing.assert_allclose(plain, np.tile(0.1 * W, (4, 1)), rtol=1e-6)
    clipped = LatentOptimization(alpha=1.0, natural=False).step(
        z, linear_logit, seed=[0, 0], limit=1.5
    )
    np.testing.assert_allclose(clipped, np.tile([1.5, -1.5], (4, 1)))


def test_rate_moves_that_share_of_the_batch_and_keeps_the_rest():
    z = tf.constant(np.zeros((4000, 2), "float32"))
    moved = LatentOptimization(alpha=1.0, rate=0.25).step(z, linear_logit, seed=[1, 2]).numpy()
    changed = np.any(moved != 0, axis=1)
    assert 0.22 < changed.mean() < 0.28
    again = LatentOptimization(alpha=1.0, rate=0.25).step(z, linear_logit, seed=[1, 2]).numpy()
    np.testing.assert_array_equal(moved, again)


def test_no_gradient_flows_through_the_step():
    z = tf.Variable(np.ones((2, 2), "float32"))
    with tf.GradientTape() as tape:
        moved = LatentOptimization().step(tf.identity(z), linear_logit, seed=[0, 0])
        total = tf.reduce_sum(moved)
    assert tape.gradient(total, z) is None


def _pair(seed=0):
    """A GAN of small dense networks (Glorot-initialised, so D's logit varies with z)."""
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(2)]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(1)]
    )
    return GAN(generator, discriminator, latent_distribution="normal", seed=seed)


def test_the_gan_moves_each_updates_z_up_its_discriminator():
    gan = _pair()
    gan.compile(latent_optimization=LatentOptimization(alpha=0.5, natural=False))
    data = np.random.default_rng(0).normal(size=(256, 2)).astype("float32")
    gan.fit(data, batch_size=64, epochs=2, verbose=0)
    z = gan.sample_latent(512, seed=3)
    moved = gan._optimized_latent(z, None, tf.constant([5, 0], tf.int64), 0)

    def logits(z):
        return gan._discriminate(gan._generate(z, None, training=True), None, training=True)[0]

    assert float(tf.reduce_mean(logits(moved))) > float(tf.reduce_mean(logits(z)))
    plain = _pair()
    plain.compile()
    assert plain._optimized_latent(z, None, tf.constant([5, 0], tf.int64), 0) is z


def test_a_logan_run_differs_from_plain_and_survives_saving(tmp_path):
    data = np.random.default_rng(0).normal(size=(128, 2)).astype("float32")
    runs = {}
    for name, step in (("plain", None), ("logan", LatentOptimization(alpha=0.9, beta=5.0))):
        gan = _pair()
        gan.compile(latent_optimization=step)
        gan.fit(data, batch_size=64, epochs=1, verbose=0)
        runs[name] = gan
    differs = [
        not np.allclose(a, b)
        for a, b in zip(runs["plain"].get_weights(), runs["logan"].get_weights(), strict=True)
    ]
    assert any(differs)
    runs["logan"].save(tmp_path / "logan.keras")
    loaded = keras.saving.load_model(tmp_path / "logan.keras")
    assert loaded.latent_optimization.get_config() == {
        "alpha": 0.9,
        "beta": 5.0,
        "natural": True,
        "rate": 1.0,
    }


def test_bigan_infogan_and_bad_settings_refuse_it():
    bigan = BiGAN(
        MLPGenerator(latent_dim=4, data_shape=(2,), hidden_units=(8,)),
        MLPEncoder(latent_dim=4, hidden_units=(8,)),
        MaxoutDiscriminator(hidden_units=(8,), num_pieces=2, latent_dim=4),
        seed=0,
    )
    with pytest.raises(ValueError, match="BiGAN takes no `latent_optimization`"):
        bigan.compile(latent_optimization=LatentOptimization())
    codes = InfoGANCodes(noise_dim=2, categorical=(3,), continuous=0)
    infogan = InfoGAN(
        InfoGANGenerator(codes.latent_dim, (8, 8, 1)),
        InfoGANDiscriminator(codes.code_dim, (8, 8, 1)),
        codes,
    )
    with pytest.raises(ValueError, match="InfoGAN takes no `latent_optimization`"):
        infogan.compile(latent_optimization=LatentOptimization())
    with pytest.raises(ValueError, match="must be a keras_gan.latent_optimization"):
        _pair().compile(latent_optimization="logan")
    for kwargs, message in (
        ({"alpha": 0}, "`alpha` must be a number > 0"),
        ({"beta": -1}, "`beta` must be a number > 0"),
        ({"rate": 0}, r"`rate` must be in \(0, 1\]"),
    ):
        with pytest.raises(ValueError, match=message):
            LatentOptimization(**kwargs)
