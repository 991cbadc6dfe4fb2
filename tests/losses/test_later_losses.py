"""Hinge, Wasserstein, least-squares and relativistic-average losses against hand values."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan import losses

REAL = tf.constant([2.0, -0.5])
FAKE = tf.constant([0.5, -3.0])


def value(x):
    return float(np.asarray(x))


def softplus(x):
    return math.log1p(math.exp(x))


def test_hinge_by_hand():
    # max(0, 1 - 2) = 0, max(0, 1 + 0.5) = 1.5; max(0, 1 + 0.5) = 1.5, max(0, 1 - 3) = 0.
    assert value(losses.hinge_discriminator_loss(REAL, FAKE)) == pytest.approx(0.75 + 0.75)
    assert value(losses.hinge_generator_loss(FAKE)) == pytest.approx(1.25)


def test_wasserstein_by_hand():
    # E[D(G(z))] - E[D(x)] = -1.25 - 0.75.
    assert value(losses.wasserstein_discriminator_loss(REAL, FAKE)) == pytest.approx(-2.0)
    assert value(losses.wasserstein_generator_loss(FAKE)) == pytest.approx(1.25)


def test_least_squares_by_hand():
    # ((2-1)^2 + (-1.5)^2) / 2 = 1.625; (0.25 + 9) / 2 = 4.625; halved sum = 3.125.
    assert value(losses.least_squares_discriminator_loss(REAL, FAKE)) == pytest.approx(3.125)
    # ((0.5-1)^2 + (-4)^2) / 2 = 8.125, halved = 4.0625.
    assert value(losses.least_squares_generator_loss(FAKE)) == pytest.approx(4.0625)


def test_relativistic_average_by_hand():
    mean_real, mean_fake = 0.75, -1.25
    d_expected = np.mean([softplus(-(r - mean_fake)) for r in (2.0, -0.5)]) + np.mean(
        [softplus(f - mean_real) for f in (0.5, -3.0)]
    )
    g_expected = np.mean([softplus(-(f - mean_real)) for f in (0.5, -3.0)]) + np.mean(
        [softplus(r - mean_fake) for r in (2.0, -0.5)]
    )
    loss = losses.get("relativistic_average")
    assert loss.needs_real_logits
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d_expected, rel=1e-6)
    assert value(loss.generator_loss(FAKE, REAL)) == pytest.approx(g_expected, rel=1e-6)


def test_relativistic_pairs_each_data_sample_with_its_generated_one():
    # Pairs (2.0, 0.5) and (-0.5, -3.0): margins 1.5 and 2.5.
    d_expected = np.mean([softplus(-1.5), softplus(-2.5)])
    g_expected = np.mean([softplus(1.5), softplus(2.5)])
    loss = losses.get("relativistic")
    assert loss.needs_real_logits
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d_expected, rel=1e-6)
    assert value(loss.generator_loss(FAKE, REAL)) == pytest.approx(g_expected, rel=1e-6)
    assert value(loss.inverse_loss(REAL, FAKE)) == pytest.approx(g_expected, rel=1e-6)
    # Pairing, not averaging: swapping the order of the samples changes the loss.
    swapped = value(loss.discriminator_loss(REAL, FAKE[::-1]))
    assert swapped != pytest.approx(d_expected)


@pytest.mark.parametrize(
    "name, cls",
    [
        ("hinge", losses.Hinge),
        ("wasserstein", losses.Wasserstein),
        ("least_squares", losses.LeastSquares),
        ("relativistic_average", losses.RelativisticAverage),
        ("relativistic", losses.Relativistic),
    ],
)
def test_registered_by_name_and_saved_with_the_gan(name, cls, tmp_path):
    loss = losses.get(name)
    assert isinstance(loss, cls) and loss.name == name
    gan = small_vector_gan()
    gan.compile(loss=name)
    data = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    history = gan.fit(data, batch_size=16, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    gan.save(tmp_path / "gan.keras")
    assert isinstance(keras.saving.load_model(tmp_path / "gan.keras").gan_loss, cls)


def test_relativistic_generator_step_reads_the_discriminator_on_data():
    # With the data moved, the relativistic G loss changes; the non-relativistic one cannot.
    gan = small_vector_gan()
    gan.compile(loss="relativistic_average")
    fake_logits = tf.constant([0.1, -0.2])
    near = value(gan._generator_loss(fake_logits, (tf.zeros((2, 2)), None)))
    far = value(gan._generator_loss(fake_logits, (tf.fill((2, 2), 50.0), None)))
    assert abs(near - far) > 1e-3


def small_vector_gan():
    generator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)]
    )
    return GAN(generator, discriminator, seed=0)


@pytest.mark.parametrize(
    "name", ["non_saturating", "minimax", "hinge", "wasserstein", "least_squares"]
)
def test_the_inverse_loss_is_the_generator_loss_on_samples_and_on_data_taken_for_samples(name):
    # BiGAN's G and E: samples (G(z), z) judged data, data (x, E(x)) judged samples.
    loss = losses.get(name)
    by_hand = {
        # -log D on samples; -log(1 - D) on data.
        "non_saturating": np.mean([softplus(-0.5), softplus(3.0)])
        + np.mean([softplus(2.0), softplus(-0.5)]),
        # log(1 - D) on samples; log D on data (minimised): the saturating game, both sides.
        "minimax": -np.mean([softplus(0.5), softplus(-3.0)])
        - np.mean([softplus(-2.0), softplus(0.5)]),
        "hinge": 1.25 + 0.75,  # -E[D(G(z))] + E[D(x)]
        "wasserstein": 1.25 + 0.75,
        # (D(G(z)) - 1)^2 / 2 pulls samples to data's target 1; D(x)^2 / 2 pulls data to 0.
        "least_squares": 4.0625 + (4.0 + 0.25) / 4,
    }[name]
    assert value(loss.inverse_loss(REAL, FAKE)) == pytest.approx(by_hand)


def test_the_relativistic_inverse_loss_is_its_generator_loss():
    loss = losses.get("relativistic_average")
    assert value(loss.inverse_loss(REAL, FAKE)) == pytest.approx(
        value(loss.generator_loss(FAKE, REAL))
    )
