"""GP, R1 and R2 against analytic cases and finite differences, alone and in the GAN step."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan import losses
from keras_gan import penalties
from tests import test_case

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


def _deep_small_critic():
    """Three Dense layers of small weights: input gradients of about 3e-8, at the
    bottom of float16's subnormal range, while every weight is a normal float16."""
    layers = [keras.layers.Flatten()]
    for units in (16, 16, 1):
        layers.append(
            keras.layers.Dense(units, kernel_initializer=keras.initializers.Constant(5e-4))
        )
    return keras.Sequential(layers)


def _input_gradient_norms(policy, scale=None):
    keras.mixed_precision.set_global_policy(policy)
    try:
        network = _deep_small_critic()
        samples = tf.constant(np.random.default_rng(0).normal(size=(4, 4, 4, 1)), "float32")

        def critic(x):
            return tf.cast(tf.reshape(network(x), (-1,)), "float32")

        if scale is not None:
            critic.gradient_scale = tf.constant(scale)
        return penalties.input_gradient_norms_squared(critic, samples).numpy()
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_input_gradients_are_loss_scaled_under_mixed_float16():
    exact = _input_gradient_norms("float32")
    scaled = _input_gradient_norms("mixed_float16", scale=2.0**15)
    np.testing.assert_allclose(scaled, exact, rtol=2e-2)
    # Without the scale float16 loses them: the case above is one where it matters.
    unscaled = _input_gradient_norms("mixed_float16")
    assert np.max(np.abs(unscaled - exact) / exact) > 0.2


def test_the_gan_hands_its_penalties_the_loss_scale_of_d_under_mixed_float16():
    seen = []

    class Spy(penalties.Penalty):
        def __call__(self, critic, real, fake, seed):
            seen.append(getattr(critic, "gradient_scale", None))
            return penalties.R1(gamma=1.0)(critic, real, fake, seed)

    for policy in ("float32", "mixed_float16"):
        keras.mixed_precision.set_global_policy(policy)
        try:
            gan = test_case.small_image_gan()
            gan.compile(penalties=[Spy()], run_eagerly=True)
            gan.fit(test_case.small_images(8), batch_size=8, verbose=0)
        finally:
            keras.mixed_precision.set_global_policy("float32")
    float32_scale, float16_scale = seen
    assert float32_scale is None
    assert float(float16_scale) == float(gan.d_optimizer.scale_loss(1.0)) > 1.0
