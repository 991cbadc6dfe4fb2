"""DiffAugment: differentiable, the same policy for real and generated batches, saved."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan.layers import DiffAugment
from keras_gan.models import DCGANDiscriminator
from keras_gan.models import DCGANGenerator


def images(num=8, seed=0):
    return np.random.default_rng(seed).uniform(0.2, 1.0, size=(num, 8, 8, 1)).astype("float32")


@pytest.mark.parametrize("policy", ["color", "translation", "cutout", "color,translation,cutout"])
def test_gradients_flow_through_every_transform(policy):
    layer = DiffAugment(policy, seed=0)
    x = tf.constant(images())
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x, training=True))
    gradient = tape.gradient(total, x)
    assert gradient is not None and np.abs(np.asarray(gradient)).sum() > 0


def test_translation_and_cutout_move_or_zero_pixels_and_inference_is_the_identity():
    x = images()
    cut = np.asarray(DiffAugment("cutout", seed=0)(x, training=True))
    zeroed = (cut == 0).reshape(8, -1).sum(axis=1)
    # A 4x4 square (half the side), clipped at the border: between 4 and 16 pixels.
    assert ((zeroed >= 4) & (zeroed <= 16)).all()
    np.testing.assert_array_equal(cut[cut != 0], x[cut != 0])
    shifted = np.asarray(DiffAugment("translation", seed=1)(x, training=True))
    assert not np.array_equal(shifted, x)
    # Shifting only moves pixels (or lets zeros in): every value is an input value or 0.
    assert np.isin(shifted[shifted != 0], x).all()
    np.testing.assert_array_equal(np.asarray(DiffAugment()(x, training=False)), x)


class Recorder(DCGANDiscriminator):
    """Keeps what the discriminator is given in training (eager runs only)."""

    seen = []

    def call(self, inputs, training=None):
        if training:
            Recorder.seen.append(np.asarray(inputs))
        return super().call(inputs, training=training)


def test_real_and_generated_batches_both_go_through_the_policy():
    keras.utils.set_random_seed(0)
    gan = GAN(
        DCGANGenerator(latent_dim=4, data_shape=(8, 8, 1), base_filters=4),
        Recorder(data_shape=(8, 8, 1), base_filters=4),
        seed=0,
        augmentation=DiffAugment("cutout", seed=0),
    )
    gan.compile(run_eagerly=True)
    Recorder.seen.clear()
    gan.fit(images(8), batch_size=8, epochs=1, verbose=0)
    # D step: data, samples; G step: samples. Every one has its cut-out square.
    assert len(Recorder.seen) == 3
    for batch in Recorder.seen:
        zeroed = (batch == 0).reshape(len(batch), -1).sum(axis=1)
        assert (zeroed >= 4).all()


def test_adaptive_probability_rises_when_d_is_sure_of_the_data():
    layer = DiffAugment(probability=0.0, adaptive_target=0.6, adaptive_images=100)
    layer.observe(tf.ones((10,)))  # E[sign] = 1 > 0.6
    assert float(layer.probability) == pytest.approx(0.1)
    layer.observe(-tf.ones((10,)))
    assert float(layer.probability) == pytest.approx(0.0)
    fixed = DiffAugment(probability=0.5)
    fixed.observe(tf.ones((10,)))
    assert float(fixed.probability) == 0.5


def test_through_fit_p_rises_while_d_memorises_a_tiny_set_and_falls_when_it_cannot():
    def fit(discriminator, d_learning_rate):
        keras.utils.set_random_seed(0)  # the weights' initial draws
        gan = GAN(
            DCGANGenerator(latent_dim=4, data_shape=(8, 8, 1), base_filters=4),
            discriminator,
            seed=0,
            augmentation=DiffAugment(
                "translation", probability=0.5, adaptive_target=0.6, adaptive_images=400, seed=1
            ),
        )
        # G does not learn: the game is D's alone.
        gan.compile(
            d_optimizer=keras.optimizers.Adam(d_learning_rate),
            g_optimizer=keras.optimizers.SGD(0.0),
        )
        history = gan.fit(images(16), batch_size=8, epochs=10, verbose=0).history
        return history["augment_p"], float(gan.augmentation.probability)

    # 16 images against a G that never improves: D is soon sure of every one (r_t -> 1).
    logged, final = fit(DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=4), 1e-2)
    assert final > 0.6 and logged[-1] > logged[0]
    # A D that calls everything fake (logit -1, frozen): r_t = -1, p falls by 8/400 a step.
    frozen = keras.Sequential(
        [
            keras.layers.Flatten(),
            keras.layers.Dense(1, kernel_initializer="zeros", bias_initializer="ones"),
            keras.layers.Lambda(lambda logits: -logits),
        ]
    )
    logged, final = fit(frozen, 0.0)
    assert final == pytest.approx(0.5 - 20 * 8 / 400)
    assert logged == sorted(logged, reverse=True) and logged[0] < 0.5
    # A fixed probability logs nothing.
    gan = GAN(
        DCGANGenerator(latent_dim=4, data_shape=(8, 8, 1), base_filters=4),
        DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=4),
        seed=0,
        augmentation=DiffAugment("translation", seed=1),
    )
    gan.compile()
    assert "augment_p" not in gan.fit(images(8), batch_size=8, epochs=1, verbose=0).history


def test_saved_with_the_gan(tmp_path):
    gan = GAN(
        DCGANGenerator(latent_dim=4, data_shape=(8, 8, 1), base_filters=4),
        DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=4),
        seed=0,
        augmentation=DiffAugment("color,cutout", probability=0.3, adaptive_target=0.6, seed=2),
    )
    gan.compile()
    gan.fit(images(16), batch_size=8, epochs=1, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert loaded.augmentation.get_config() == gan.augmentation.get_config()
    assert float(loaded.augmentation.probability) == float(gan.augmentation.probability)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"Received: policy='color,flip'"):
        DiffAugment("color,flip")
    with pytest.raises(ValueError, match=r"Received: probability=2"):
        DiffAugment(probability=2)
    with pytest.raises(ValueError, match=r"Received: inputs of shape \(None, 2\)"):
        DiffAugment().build((None, 2))
    with pytest.raises(ValueError, match=r"low < high. Received: value_range=\(1, 0\)"):
        DiffAugment(value_range=(1, 0))


def _brightness_shifts(value_range):
    # On flat images saturation and contrast (products around a mean) change
    # nothing, so `color` leaves only the brightness shift.
    flat = np.full((512, 4, 4, 1), 0.25, "float32")
    layer = DiffAugment("color", value_range=value_range, seed=1)
    return np.asarray(layer(flat, training=True))[:, 0, 0, 0] - 0.25


def test_the_brightness_shift_is_the_papers_relative_to_the_value_range():
    # The paper: U[-0.5, 0.5] on images in [-1, 1]; a quarter of that range.
    for value_range, half in (((-1.0, 1.0), 0.5), ((0.0, 1.0), 0.25), ((0.0, 255.0), 63.75)):
        shifts = _brightness_shifts(value_range)
        assert np.abs(shifts).max() <= half * 1.0001
        assert np.abs(shifts).max() > 0.9 * half  # the whole interval is used
        assert abs(shifts.mean()) < 0.1 * half


def test_a_layer_saved_before_value_range_keeps_the_brightness_it_trained_with():
    config = DiffAugment("color", seed=1).get_config()
    del config["value_range"]  # as keras_gan <= 0.4.2 wrote it
    assert DiffAugment.from_config(config).value_range == (-1.0, 1.0)
    assert DiffAugment().value_range == (0.0, 1.0)  # keras_gan's images


@pytest.fixture(scope="module")
def mirrored():
    from keras_gan import distribute

    return distribute.get_strategy("mirrored", num_cpu_devices=2)


def test_two_replicas_match_one_device_with_adaptive_augmentation(mirrored):
    from keras_gan.models import MaxoutDiscriminator
    from keras_gan.models import MLPGenerator

    def run(strategy):
        with strategy.scope():
            keras.utils.set_random_seed(0)
            gan = GAN(
                MLPGenerator(latent_dim=4, data_shape=(8, 8, 1), hidden_units=(16,)),
                MaxoutDiscriminator(
                    hidden_units=(8,), num_pieces=2, input_dropout=0, hidden_dropout=0
                ),
                seed=0,
                # Fast adaptation, so the probability moves in a few steps.
                augmentation=DiffAugment(
                    probability=0.5, adaptive_target=0.0, adaptive_images=512, seed=1
                ),
            )
            gan.compile(
                d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1)
            )
        gan.fit(images(64), batch_size=16, epochs=2, shuffle=False, verbose=0)
        return float(keras.ops.convert_to_numpy(gan.augmentation.probability)), gan.get_weights()

    (p_one, one), (p_two, two) = run(tf.distribute.OneDeviceStrategy("/cpu:0")), run(mirrored)
    # The probability moved (by 16/512 per D step, without reaching 0 or 1), the same on both.
    assert p_one != 0.5 and 0 < p_one < 1
    assert p_two == pytest.approx(p_one)
    for a, b in zip(one, two, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
