"""GP, R1 and R2 against analytic cases and finite differences, alone and in the GAN step."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan import losses
from keras_gan import penalties

SEED = tf.constant([3, 4], tf.int32)


def quadratic_critic(scale):
    """D(x) = scale * ||x||^2 / 2 per sample: grad = scale * x."""
    return lambda x: scale * 0.5 * tf.reduce_sum(tf.reshape(x, (tf.shape(x)[0], -1)) ** 2, 1)


def test_r1_and_r2_of_a_quadratic_critic():
    real = tf.constant([[1.0, 2.0], [0.0, 3.0]])
    fake = tf.constant([[0.5, 0.5], [1.0, 0.0]])
    critic = quadratic_critic(2.0)
    # ||2x||^2: 4 * 5 = 20 and 4 * 9 = 36, mean 28; gamma / 2 = 5.
    assert float(penalties.R1(gamma=10.0)(critic, real, fake, SEED)) == pytest.approx(140.0)
    # On the samples: 4 * 0.5 = 2 and 4 * 1 = 4, mean 3.
    assert float(penalties.R2(gamma=10.0)(critic, real, fake, SEED)) == pytest.approx(15.0)


def test_gradient_penalty_of_a_quadratic_critic_on_the_same_interpolates():
    real = tf.constant([[1.0, 2.0], [0.0, 3.0], [2.0, 2.0]])
    fake = tf.constant([[0.5, 0.5], [1.0, 0.0], [-1.0, 0.0]])
    epsilon = np.asarray(tf.random.stateless_uniform((3, 1), SEED))
    x_hat = epsilon * real.numpy() + (1 - epsilon) * fake.numpy()
    norms = np.linalg.norm(3.0 * x_hat, axis=1)
    expected = 10.0 * np.mean((norms - 1.0) ** 2)
    value = penalties.GradientPenalty(weight=10.0)(quadratic_critic(3.0), real, fake, SEED)
    assert float(value) == pytest.approx(expected, rel=1e-5)


def mlp_critic():
    keras.utils.set_random_seed(1)
    return keras.Sequential(
        [
            keras.Input((3,), dtype="float64"),
            keras.layers.Dense(5, activation="tanh", dtype="float64"),
            keras.layers.Dense(1, dtype="float64"),
        ]
    )


@pytest.mark.parametrize(
    "penalty", [penalties.R1(gamma=2.0), penalties.R2(gamma=2.0), penalties.GradientPenalty()]
)
def test_gradient_of_each_penalty_in_the_weights_matches_finite_differences(penalty):
    # What trains D is d(penalty)/d(weights), a second derivative through the inner tape.
    critic_model = mlp_critic()
    rng = np.random.default_rng(0)
    real = tf.constant(rng.normal(size=(4, 3)))
    fake = tf.constant(rng.normal(size=(4, 3)))

    def critic(x):
        return tf.reshape(critic_model(x), (-1,))

    with tf.GradientTape() as tape:
        value = penalty(critic, real, fake, SEED)
    analytic = tape.gradient(value, critic_model.trainable_variables)
    step = 1e-6
    for variable, gradient in zip(critic_model.trainable_variables, analytic, strict=True):
        flat = np.asarray(variable).reshape(-1)
        numeric = np.zeros_like(flat)
        for i in range(flat.size):
            values = []
            for sign in (1, -1):
                moved = flat.copy()
                moved[i] += sign * step
                variable.assign(moved.reshape(variable.shape))
                values.append(float(penalty(critic, real, fake, SEED)))
            variable.assign(flat.reshape(variable.shape))
            numeric[i] = (values[0] - values[1]) / (2 * step)
        # None: the penalty does not depend on it (the output bias moves no input gradient).
        gradient = np.zeros_like(flat) if gradient is None else np.asarray(gradient).reshape(-1)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def test_bad_penalty_arguments_are_named():
    with pytest.raises(ValueError, match=r"`gamma` must be.*Received: gamma=-1"):
        penalties.R1(gamma=-1)
    with pytest.raises(ValueError, match=r"`every` must be a positive integer.*every=0"):
        penalties.R1(every=0)
    with pytest.raises(ValueError, match=r"Received: 'r1'"):
        linear_gan().compile(penalties=["r1"])


class Silent(losses.GANLoss):
    """No adversarial gradient at all: D moves only by its penalties."""

    def generator_loss(self, fake_logits):
        return 0.0 * keras.ops.sum(fake_logits)

    def discriminator_loss(self, real_logits, fake_logits):
        return 0.0 * keras.ops.sum(real_logits)


def linear_gan(**kwargs):
    """D(x) = w . x (no bias): R1 = gamma / 2 ||w||^2, whose gradient is gamma w."""
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")]
    )
    return GAN(generator, discriminator, seed=0, **kwargs)


@pytest.mark.parametrize("d_steps, simultaneous", [(1, False), (3, False), (1, True)])
def test_lazy_r1_applies_every_nth_discriminator_update_scaled_by_n(d_steps, simultaneous):
    gamma, every, learning_rate = 0.5, 2, 0.1
    gan = linear_gan(d_steps=d_steps, simultaneous_updates=simultaneous)
    gan.compile(
        d_optimizer=keras.optimizers.SGD(learning_rate),
        g_optimizer=keras.optimizers.SGD(0.0),
        loss=Silent(),
        penalties=[penalties.R1(gamma=gamma, every=every)],
    )
    data = np.ones((8 * d_steps, 2), "float32")
    gan.fit(data, batch_size=8 * d_steps, epochs=1, steps_per_epoch=1, verbose=0)
    gan.fit(data, batch_size=8 * d_steps, epochs=2, verbose=0)
    updates = int(gan.d_optimizer.iterations)
    assert updates == 3 * d_steps
    # Updates 0, 2, 4, ... (counted before each) shrink w by (1 - lr * every * gamma).
    due = len(range(0, updates, every))
    expected = (1 - learning_rate * every * gamma) ** due
    np.testing.assert_allclose(np.asarray(gan.discriminator.weights[0]), expected, rtol=1e-6)
