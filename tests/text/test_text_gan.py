"""The Gumbel-softmax GAN plays GAN's own game on one-hot sequences; its temperature
schedule follows the generator's updates, also across a resume."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan.callbacks import GumbelTemperature
from keras_gan.models import TextDiscriminator
from keras_gan.models import TextGenerator
from keras_gan.models import text_gan
from tests.test_case import assert_config_round_trip

VOCAB, LENGTH = 9, 6


def one_hot_batches(batch=8, d_steps=1):
    ids = np.random.default_rng(0).integers(2, VOCAB, size=(64, LENGTH)).astype("int32")
    ids[:, -2:] = 0
    return (
        tf.data.Dataset.from_tensor_slices(ids)
        .batch(batch * d_steps)
        .map(lambda x: tf.one_hot(x, VOCAB))
    )


def tiny_gan(**kwargs):
    keras.utils.set_random_seed(0)
    generator = TextGenerator(VOCAB, LENGTH, embedding_dim=4, units=8)
    gan = text_gan(
        VOCAB, LENGTH, generator=generator, d_embedding_dim=4, filters=4, seed=0, **kwargs
    )
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    return gan


def test_a_fit_updates_both_players_with_finite_losses():
    gan = tiny_gan(d_steps=2)
    g_before = [w.numpy().copy() for w in gan.generator.trainable_weights]
    projection_before = gan.generator.projection.kernel.numpy().copy()
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    history = gan.fit(one_hot_batches(d_steps=2), epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert int(gan.g_optimizer.iterations.numpy()) == 4
    assert int(gan.d_optimizer.iterations.numpy()) == 8
    for before, weights in ((g_before, gan.generator), (d_before, gan.discriminator)):
        assert any(
            not np.array_equal(b, w.numpy())
            for b, w in zip(before, weights.trainable_weights, strict=True)
        )
    # The projection of G's logits learns from D (its gradient goes through the relaxation).
    assert not np.array_equal(projection_before, gan.generator.projection.kernel.numpy())
    assert gan.generate(3, seed=0).shape == (3, LENGTH, VOCAB)


def test_the_schedules_run_from_one_to_the_maximum():
    exp = GumbelTemperature(100, steps=10)
    assert exp.value(0) == 1 and exp.value(5) == pytest.approx(10) and exp.value(10) == 100
    assert exp.value(50) == 100
    linear = GumbelTemperature(11, steps=10, schedule="linear")
    assert linear.value(5) == pytest.approx(6)
    assert GumbelTemperature(7, steps=10, schedule="constant").value(0) == 7


def test_fit_sets_g_inverse_temperature_from_its_updates_and_a_resume_continues():
    gan = tiny_gan()
    schedule = GumbelTemperature(1000, steps=16)
    gan.fit(one_hot_batches(), epochs=1, verbose=0, callbacks=[schedule])  # 8 G updates
    # Set before the 8th update: after 7.
    assert float(gan.generator.inverse_temperature.numpy()) == pytest.approx(1000 ** (7 / 16))
    gan.generator.inverse_temperature.assign(1.0)  # a fresh process would start at 1
    gan.fit(one_hot_batches(), epochs=1, verbose=0, callbacks=[schedule])
    assert float(gan.generator.inverse_temperature.numpy()) == pytest.approx(1000 ** (15 / 16))


def test_bad_schedules_and_mismatched_generators_are_refused():
    with pytest.raises(ValueError, match="maximum=0.5"):
        GumbelTemperature(0.5, 10)
    with pytest.raises(ValueError, match="schedule='cosine'"):
        GumbelTemperature(10, 10, schedule="cosine")
    with pytest.raises(ValueError, match="length=7"):
        text_gan(VOCAB, 7, generator=TextGenerator(VOCAB, LENGTH))


def test_discriminator_config_round_trip_and_spectral_norm():
    discriminator = TextDiscriminator(VOCAB, embedding_dim=4, filters=3, spectral_norm=True)
    assert discriminator(tf.one_hot([[1, 2, 3, 0, 0, 0]], VOCAB)).shape == (1, 1)
    assert_config_round_trip(discriminator)
    with pytest.raises(ValueError, match="dropout=1"):
        TextDiscriminator(VOCAB, dropout=1)


def test_each_representation_scores_its_own_slice_of_the_embedding():
    keras.utils.set_random_seed(0)
    discriminator = TextDiscriminator(VOCAB, embedding_dim=6, filters=3, representations=3)
    rows = tf.one_hot(np.random.default_rng(0).integers(0, VOCAB, (4, LENGTH)), VOCAB)
    before = discriminator(rows).numpy()
    assert before.shape == (4, 3) and discriminator.logits_per_sample == 3
    kernel = discriminator.embed.kernel.numpy()
    moved = kernel.copy()
    moved[:, 2:4] += 1.0  # the second slice of 6 / 3 = 2 features
    discriminator.embed.kernel.assign(moved)
    after = discriminator(rows).numpy()
    np.testing.assert_allclose(after[:, [0, 2]], before[:, [0, 2]], rtol=1e-6)
    assert np.abs(after[:, 1] - before[:, 1]).max() > 1e-3
    # Token ids take the same path as their one-hot rows.
    discriminator.embed.kernel.assign(kernel)
    ids = np.argmax(rows.numpy(), -1)
    np.testing.assert_allclose(discriminator(ids), before, rtol=1e-6)
    assert_config_round_trip(discriminator)
    with pytest.raises(ValueError, match="representations=4, embedding_dim=6"):
        TextDiscriminator(VOCAB, embedding_dim=6, representations=4)


def test_the_game_with_several_representations_and_the_relativistic_loss_trains():
    keras.utils.set_random_seed(0)
    generator = TextGenerator(VOCAB, LENGTH, embedding_dim=4, units=8)
    gan = text_gan(
        VOCAB, LENGTH, generator=generator, d_embedding_dim=4, filters=4, representations=4, seed=0
    )
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), loss="relativistic")
    d_before = gan.discriminator.embed.kernel.numpy().copy()
    history = gan.fit(one_hot_batches(), epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert not np.array_equal(d_before, gan.discriminator.embed.kernel.numpy())


def test_a_discriminator_that_breaks_its_declared_logits_per_sample_is_refused():
    class Declares(TextDiscriminator):
        def call(self, sequences, training=False):
            return super().call(sequences, training)[:, :1]

    discriminator = Declares(VOCAB, embedding_dim=4, filters=2, representations=2)
    with pytest.raises(ValueError, match=r"declares 2 logits per sample.*\(2, 1\)"):
        GAN(TextGenerator(VOCAB, LENGTH, embedding_dim=4, units=8), discriminator)
