"""Each loss against values worked out by hand (softplus(0) = log 2, ...)."""

import math

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses

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
    for name in losses.names():
        g_loss, d_loss = losses.get(name)
        assert value(d_loss(real, fake)) == pytest.approx(expected_d, rel=1e-6)


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
    with pytest.raises(ValueError, match=r"Unknown `loss`.*Received: loss='wasserstein'"):
        losses.get("wasserstein")
