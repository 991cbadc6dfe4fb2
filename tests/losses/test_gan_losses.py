"""Each loss against values worked out by hand (softplus(0) = log 2, ...)."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses
from tests import test_case

LOG2 = math.log(2.0)


def value(x):
    return float(np.asarray(x))


def test_at_indifference_all_losses_are_log_2_terms():
    # D(x) = D(G(z)) = 1/2: the paper's global optimum, V = -log 4.
    zeros = tf.zeros((4,))
    assert value(losses.discriminator_loss(zeros, zeros)) == pytest.approx(2 * LOG2)
    assert value(losses.non_saturating_generator_loss(zeros)) == pytest.approx(LOG2)
    assert value(losses.minimax_generator_loss(zeros)) == pytest.approx(-LOG2)


def test_values_at_known_logits():
    real = tf.constant([2.0, -1.0])
    fake = tf.constant([0.5, -3.0])
    # -log sigmoid(l) = log(1 + e^-l);  -log(1 - sigmoid(l)) = log(1 + e^l).
    expected_d = np.mean([math.log1p(math.exp(-2.0)), math.log1p(math.exp(1.0))]) + np.mean(
        [math.log1p(math.exp(0.5)), math.log1p(math.exp(-3.0))]
    )
    expected_ns = np.mean([math.log1p(math.exp(-0.5)), math.log1p(math.exp(3.0))])
    expected_mm = -np.mean([math.log1p(math.exp(0.5)), math.log1p(math.exp(-3.0))])
    assert value(losses.discriminator_loss(real, fake)) == pytest.approx(expected_d, rel=1e-6)
    assert value(losses.non_saturating_generator_loss(fake)) == pytest.approx(expected_ns, rel=1e-6)
    assert value(losses.minimax_generator_loss(fake)) == pytest.approx(expected_mm, rel=1e-6)
    # The loss objects compile() resolves give the same numbers as the functions.
    non_saturating, minimax = losses.get("non_saturating"), losses.get("minimax")
    assert value(non_saturating.generator_loss(fake)) == pytest.approx(expected_ns, rel=1e-6)
    assert value(minimax.generator_loss(fake)) == pytest.approx(expected_mm, rel=1e-6)
    for loss in (non_saturating, minimax):
        assert value(loss.discriminator_loss(real, fake)) == pytest.approx(expected_d, rel=1e-6)


def test_saturated_logits_stay_finite():
    confident = tf.constant([1000.0, 500.0])
    rejected = tf.constant([-1000.0, -500.0])
    assert value(losses.discriminator_loss(confident, rejected)) == pytest.approx(0.0, abs=1e-6)
    assert value(losses.discriminator_loss(rejected, confident)) == pytest.approx(1500.0)
    assert value(losses.non_saturating_generator_loss(rejected)) == pytest.approx(750.0)
    assert value(losses.minimax_generator_loss(rejected)) == pytest.approx(0.0, abs=1e-6)


def test_minimax_gradient_vanishes_where_non_saturating_does_not():
    # Section 3 of the paper: when D confidently rejects G's samples,
    # log(1 - D(G(z))) saturates; log D(G(z)) still gives a strong gradient.
    logits = tf.Variable([-10.0])
    with tf.GradientTape(persistent=True) as tape:
        minimax = losses.minimax_generator_loss(logits)
        non_saturating = losses.non_saturating_generator_loss(logits)
    # d/dl of -softplus(l) = -sigmoid(l); of softplus(-l) = -sigmoid(-l).
    assert value(tape.gradient(minimax, logits)[0]) == pytest.approx(-1 / (1 + math.exp(10)))
    assert value(tape.gradient(non_saturating, logits)[0]) == pytest.approx(
        -1 / (1 + math.exp(-10))
    )
    for loss in (minimax, non_saturating):
        assert np.isfinite(value(loss))


def test_unknown_loss_name():
    with pytest.raises(ValueError, match=r"Unknown `loss`.*Received: loss='wasserstien'"):
        losses.get("wasserstien")
    with pytest.raises(ValueError, match=r"GANLoss instance.*Received: loss=3"):
        losses.get(3)


def test_get_resolves_names_instances_and_configs():
    assert isinstance(losses.get("minimax"), losses.Minimax)
    instance = losses.NonSaturating()
    assert losses.get(instance) is instance
    config = keras.saving.serialize_keras_object(losses.Minimax())
    assert isinstance(losses.get(config), losses.Minimax)
    assert {"minimax", "non_saturating"} <= set(losses.names())


def test_a_registered_loss_of_ones_own_needs_no_edit_of_the_library(tmp_path):
    @losses.register("test_scaled_non_saturating")
    class Scaled(losses.GANLoss):
        def __init__(self, scale=1.0):
            self.scale = scale

        def generator_loss(self, fake_logits):
            return self.scale * losses.non_saturating_generator_loss(fake_logits)

        def discriminator_loss(self, real_logits, fake_logits):
            return self.scale * losses.discriminator_loss(real_logits, fake_logits)

        def get_config(self):
            return {"scale": self.scale}

    assert "test_scaled_non_saturating" in losses.names()
    gan = test_case.small_image_gan(seed=0)
    gan.compile(loss=Scaled(scale=3.0))
    gan.fit(test_case.small_images(16), batch_size=8, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert isinstance(loaded.gan_loss, Scaled) and loaded.gan_loss.scale == 3.0
    with pytest.raises(ValueError, match="already registered"):
        losses.register("minimax")(Scaled)
