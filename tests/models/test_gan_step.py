"""What GAN.train_step must get right whatever the networks: regularisation,
mixed precision, the d_steps split, data shapes, batch norm in G."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from tests import test_case


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@pytest.mark.parametrize("simultaneous", [False, True])
def test_discriminator_regularisation_counts_both_calls_and_weights_once(simultaneous):
    # D(x) = w x with an activity penalty a * mean(D(x)^2) on each call (Keras
    # divides it by the batch size) and a weight penalty b * w^2; G emits c.
    w0, a, b, c, lr = 0.5, 0.3, 0.2, 2.0, 0.1
    real = np.array([[1.0], [-2.0], [3.0], [0.5]], "float32")
    discriminator = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(
                1,
                use_bias=False,
                kernel_initializer=keras.initializers.Constant(w0),
                kernel_regularizer=keras.regularizers.L2(b),
                activity_regularizer=keras.regularizers.L2(a),
            ),
        ]
    )
    generator = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(
                1, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(c)
            ),
        ]
    )
    gan = GAN(generator, discriminator, simultaneous_updates=simultaneous, seed=0)
    gan.compile(d_optimizer=keras.optimizers.SGD(lr), g_optimizer=keras.optimizers.SGD(0.0))
    gan.fit(real, batch_size=4, epochs=1, verbose=0, shuffle=False)

    x = real[:, 0].astype("float64")
    gradient = (
        np.mean(-x * _sigmoid(-w0 * x))  # -log D(x)
        + c * _sigmoid(w0 * c)  # -log(1 - D(G(z)))
        + 2 * a * w0 * np.mean(x**2)  # the real call's activity penalty
        + 2 * a * w0 * c**2  # the fake call's activity penalty
        + 2 * b * w0  # the weight penalty, once
    )
    w1 = float(np.asarray(discriminator.weights[0]).reshape(()))
    assert w1 == pytest.approx(w0 - lr * gradient, rel=1e-5)


def _regularised_pair():
    generator = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(16, activation="sigmoid"),
            keras.layers.Reshape((4, 4, 1)),
        ]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((4, 4, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(
                8, activation="relu", activity_regularizer=keras.regularizers.L2(1e-3)
            ),
            keras.layers.Dense(1),
        ]
    )
    return generator, discriminator


def _one_sgd_step(policy, initial=None):
    keras.mixed_precision.set_global_policy(policy)
    try:
        keras.utils.set_random_seed(0)
        gan = GAN(*_regularised_pair(), seed=1)
        if initial is not None:
            gan.set_weights(initial)
        before = test_case.weights_of(gan)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
        history = gan.fit(test_case.small_images(16), batch_size=16, verbose=0)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    deltas = [a - b for a, b in zip(test_case.weights_of(gan), before, strict=True)]
    return gan, before, deltas, history.history


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision_trains_like_float32_with_scaled_losses(policy):
    reference, initial, expected, _ = _one_sgd_step("float32")
    gan, _, deltas, history = _one_sgd_step(policy, initial)
    assert gan.generator.compute_dtype == policy.split("_")[1]
    for key in ("d_loss", "g_loss"):
        assert np.isfinite(history[key]).all()
    scaled = isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert scaled == isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    # float16 underflows without a loss scale; bfloat16 has float32's range.
    assert scaled == (policy == "mixed_float16")
    if scaled:
        assert float(gan.d_optimizer.scale_loss(1.0)) > 1.0
    # The same update as float32, to the rounding of the compute dtype: an
    # unscaled loss with a LossScaleOptimizer would shrink it by the scale.
    for delta, reference_delta in zip(deltas, expected, strict=True):
        error = np.linalg.norm(delta - reference_delta) / np.linalg.norm(reference_delta)
        assert error < 0.05


def test_a_batch_that_does_not_split_into_d_steps_is_refused_before_any_update():
    gan = test_case.small_image_gan(d_steps=5)
    gan.compile()
    with pytest.raises(
        ValueError,
        match=r"GAN\(d_steps=5\) splits every batch.*multiple of 5.*"
        r"Received: a batch of 64 samples",
    ):
        gan.fit(test_case.small_images(64), batch_size=64, verbose=0)
    assert int(gan.d_optimizer.iterations) == 0


def test_a_last_partial_batch_that_does_not_split_is_refused_not_trained_on():
    gan = test_case.small_image_gan(d_steps=3)
    gan.compile()
    # 14 = 12 + 2: the static batch size is unknown, the last batch has 2 < 3 samples.
    data = tf.data.Dataset.from_tensor_slices(test_case.small_images(14)).batch(12)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"multiple of 3.*\b2\b"):
        gan.fit(data, verbose=0)
    assert int(gan.d_optimizer.iterations) == 3  # the whole first batch, nothing of the second
    assert np.isfinite(test_case.weights_of(gan)[0]).all()


def _unknown_shape_dataset(shape, rows=16):
    images = test_case.small_images(rows)
    spec = tf.TensorSpec(shape, tf.float32)
    return tf.data.Dataset.from_generator(
        lambda: (images[i : i + 8] for i in range(0, rows, 8)), output_signature=spec
    )


@pytest.mark.parametrize("shape", [None, (None, None, None, 1), (None, 4, 4, None)])
def test_data_with_unknown_static_shapes_trains(shape):
    gan = test_case.small_image_gan()
    gan.compile()
    history = gan.fit(_unknown_shape_dataset(shape), verbose=0)
    assert int(gan.g_optimizer.iterations) == 2
    assert np.isfinite(history.history["d_loss"]).all()


def test_data_whose_shape_is_known_only_at_run_time_is_checked_then():
    gan = test_case.small_image_gan()
    gan.compile()
    images = np.zeros((8, 5, 5, 1), "float32")
    data = tf.data.Dataset.from_generator(
        lambda: iter([images]), output_signature=tf.TensorSpec(None, tf.float32)
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[8,5,5,1\].*\[\?,4,4,1\]"):
        gan.fit(data, verbose=0)
    assert int(gan.d_optimizer.iterations) == 0


def test_labels_given_to_an_unconditional_gan_are_ignored_with_a_warning():
    gan = test_case.small_image_gan()
    gan.compile()
    data = tf.data.Dataset.from_tensor_slices((test_case.small_images(16), np.arange(16))).batch(8)
    with pytest.warns(UserWarning, match="unconditional: the labels and sample weights"):
        gan.fit(data, verbose=0)


def test_batch_norm_in_the_generator_with_several_discriminator_steps():
    def run():
        keras.utils.set_random_seed(0)
        generator = keras.Sequential(
            [
                keras.Input((8,)),
                keras.layers.Dense(16),
                keras.layers.BatchNormalization(),
                keras.layers.ReLU(),
                keras.layers.Dense(16, activation="sigmoid"),
                keras.layers.Reshape((4, 4, 1)),
            ]
        )
        _, discriminator = _regularised_pair()
        gan = GAN(generator, discriminator, d_steps=2, seed=0)
        gan.compile(g_optimizer=keras.optimizers.SGD(0.0))
        trainable = [np.array(w) for w in gan.generator.trainable_weights]
        history = gan.fit(test_case.small_images(32), batch_size=16, epochs=2, verbose=0)
        return gan, trainable, history.history

    gan, before, history = run()
    assert int(gan.d_optimizer.iterations) == 8 and int(gan.g_optimizer.iterations) == 4
    assert np.isfinite(history["d_loss"]).all() and np.isfinite(history["g_loss"]).all()
    norm = gan.generator.layers[1]
    # Only G's own update may move its trainable weights (here with a zero
    # learning rate); its batch-norm statistics follow the batches it makes.
    for weight, initial in zip(gan.generator.trainable_weights, before, strict=True):
        np.testing.assert_array_equal(np.asarray(weight), initial)
    assert not np.allclose(np.asarray(norm.moving_mean), 0.0)
    assert np.isfinite(np.asarray(norm.moving_variance)).all()
    again, _, _ = run()
    for a, b in zip(gan.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
