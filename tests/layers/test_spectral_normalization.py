"""SpectralNormalization: sigma(W / sigma) = 1, gradient through sigma, under a strategy,
saved, and in mixed precision."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan import distribute
from keras_gan.layers import SpectralNormalization
from keras_gan.models import DCGANDiscriminator
from keras_gan.models import MaxoutDiscriminator
from tests import test_case


def top_singular_value(matrix):
    return np.linalg.svd(np.asarray(matrix).reshape(-1, matrix.shape[-1]), compute_uv=False)[0]


@pytest.mark.parametrize(
    "inner, shape",
    [(keras.layers.Dense(7), (3, 5)), (keras.layers.Conv2D(6, 3), (2, 8, 8, 4))],
)
def test_normalized_kernel_has_top_singular_value_one_after_power_iterations(inner, shape):
    keras.utils.set_random_seed(0)
    layer = SpectralNormalization(inner)
    inputs = tf.random.normal(shape)
    for _ in range(100):  # one power iteration per training call
        layer(inputs, training=True)
    sigma, _ = layer.top_singular_value()
    kernel = np.asarray(inner.kernel)
    assert float(sigma) == pytest.approx(top_singular_value(kernel), rel=1e-3)
    assert top_singular_value(kernel / float(sigma)) == pytest.approx(1.0, rel=1e-3)
    # The layer computes with W / sigma: twice the kernel gives the same outputs.
    before = np.asarray(layer(inputs, training=False))
    inner.kernel.assign(2.0 * kernel)
    np.testing.assert_allclose(np.asarray(layer(inputs, training=False)), before, atol=1e-4)


def test_gradient_flows_through_sigma_and_weights_change_only_by_the_optimizer():
    keras.utils.set_random_seed(0)
    inner = keras.layers.Dense(4, use_bias=False)
    layer = SpectralNormalization(inner, power_iterations=30)
    x = tf.random.normal((5, 3))
    layer(x, training=True)
    kernel = np.asarray(inner.kernel)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x, training=True) ** 2)
    gradient = np.asarray(tape.gradient(loss, inner.kernel))
    # Scaling W does not change W / sigma(W): the gradient is orthogonal to W.
    # (Without the path through sigma, as in keras.layers.SpectralNormalization,
    # it is not.)
    assert abs(np.sum(gradient * kernel)) < 1e-4 * np.abs(gradient).sum()
    assert np.abs(gradient).max() > 1e-3
    np.testing.assert_array_equal(np.asarray(inner.kernel), kernel)


def test_a_generator_step_leaves_a_spectrally_normalized_discriminator_unchanged():
    gan = sn_gan()
    gan.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1))
    before = [np.array(w) for w in gan.discriminator.trainable_weights]
    assert len(before) == 4
    gan._generator_step((tf.zeros((4, 4, 4, 1)), None), tf.constant([1, 2], tf.int64), draw=0)
    for a, b in zip(before, gan.discriminator.trainable_weights, strict=True):
        np.testing.assert_array_equal(a, np.asarray(b))


def sn_gan(dtype=None):
    from keras_gan.models import MLPGenerator

    keras.utils.set_random_seed(0)
    generator = MLPGenerator(latent_dim=8, data_shape=(4, 4, 1), hidden_units=(16,), dtype=dtype)
    discriminator = MaxoutDiscriminator(
        hidden_units=(8,),
        num_pieces=2,
        input_dropout=0,
        hidden_dropout=0,
        spectral_norm=True,
        dtype=dtype,
    )
    return GAN(generator, discriminator, seed=0)


def test_spectrally_normalized_discriminators_save_and_reload(tmp_path):
    images = test_case.small_images(32)
    gan = sn_gan()
    gan.compile()
    gan.fit(images, batch_size=16, epochs=1, verbose=0)
    loaded = test_case.assert_saving_round_trip(gan.discriminator, images[:4], tmp_path)
    for a, b in zip(gan.discriminator.weights, loaded.weights, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    test_case.assert_config_round_trip(DCGANDiscriminator(data_shape=(8, 8, 1), spectral_norm=True))


def test_spectral_norm_trains_under_mixed_float16():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        gan = sn_gan()
        gan.compile()
        history = gan.fit(test_case.small_images(32), batch_size=16, epochs=2, verbose=0)
    finally:
        keras.config.set_dtype_policy("float32")
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    layer = gan.discriminator.hidden_layers[0]
    assert layer.vector_u.dtype == "float32"
    sigma, _ = layer.top_singular_value()
    assert float(sigma) == pytest.approx(top_singular_value(layer.layer.kernel), rel=0.05)


def _train_sn(strategy):
    images = test_case.small_images(64)
    with strategy.scope():
        gan = sn_gan()
        gan.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1))
    gan.fit(images, batch_size=16, epochs=2, shuffle=False, verbose=0)
    return gan.get_weights()


def test_two_replicas_match_one_device_with_spectral_norm():
    one = _train_sn(tf.distribute.OneDeviceStrategy("/cpu:0"))
    two = _train_sn(distribute.get_strategy("mirrored", num_cpu_devices=2))
    for a, b in zip(one, two, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_layers_without_an_output_last_kernel_are_refused():
    with pytest.raises(ValueError, match="Received: Conv2DTranspose"):
        SpectralNormalization(keras.layers.Conv2DTranspose(2, 3)).build((None, 4, 4, 1))
    with pytest.raises(ValueError, match="Received: Flatten"):
        SpectralNormalization(keras.layers.Flatten()).build((None, 4, 4, 1))


def test_the_wrapped_layer_s_activity_regulariser_reaches_the_model_s_losses():
    keras.utils.set_random_seed(0)
    inner = keras.layers.Dense(4, activity_regularizer=keras.regularizers.L2(0.1))
    model = keras.Sequential([keras.Input((3,)), SpectralNormalization(inner)])
    x = tf.random.normal((5, 3))

    @tf.function
    def traced(x):
        outputs = model(x, training=True)
        return outputs, tf.add_n(model.losses)

    for call in (lambda x: (model(x, training=True), tf.add_n(model.losses)), traced):
        with tf.GradientTape() as tape:
            outputs, penalty = call(x)
        assert len(model.losses) == 1
        # L2 of what the wrapper returns (computed with W / sigma(W)), per sample as Keras has it.
        expected = 0.1 * np.sum(np.asarray(outputs) ** 2) / len(x)
        assert float(penalty) == pytest.approx(expected, rel=1e-5)
        gradient = tape.gradient(penalty, inner.kernel)
        assert gradient is not None and np.abs(np.asarray(gradient)).max() > 0
