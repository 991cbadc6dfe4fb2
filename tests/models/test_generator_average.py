"""The generator's weight average: closed form, sampling, saving, exact resume with lazy R1."""

import keras
import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.penalties import R1
from tests import test_case


class RecordGenerator(keras.callbacks.Callback):
    """G's weights before training and after every step."""

    def __init__(self):
        super().__init__()
        self.history = []

    def on_train_begin(self, logs=None):
        self.history.append(test_case.weights_of(self.model.generator))

    def on_train_batch_end(self, batch, logs=None):
        self.history.append(test_case.weights_of(self.model.generator))


def ema_gan(decay=0.9, **kwargs):
    return test_case.small_image_gan(seed=3, generator_ema=decay, **kwargs)


def vector_ema_gan(decay=0.9):
    """Glorot-initialised dense pair: its weights move visibly in a few steps."""
    keras.utils.set_random_seed(0)
    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(2)]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
    )
    return GAN(generator, discriminator, seed=3, generator_ema=decay)


def vectors(num):
    return np.random.default_rng(0).normal(2.0, 0.5, size=(num, 2)).astype("float32")


def test_average_equals_the_closed_form_after_n_steps():
    decay = 0.9
    gan = vector_ema_gan(decay)
    gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
    record = RecordGenerator()
    gan.fit(vectors(80), batch_size=16, epochs=1, verbose=0, callbacks=[record])
    weights = record.history  # w_0 .. w_N
    steps = len(weights) - 1
    assert steps == 5
    for index, average in enumerate(gan.averaged_generator.get_weights()):
        # a_N = d^N w_0 + (1 - d) sum_{i=1..N} d^(N-i) w_i
        expected = decay**steps * weights[0][index] + sum(
            (1 - decay) * decay ** (steps - i) * weights[i][index] for i in range(1, steps + 1)
        )
        np.testing.assert_allclose(average, expected, rtol=1e-5, atol=1e-6)
    assert max(np.abs(a - b).max() for a, b in zip(weights[0], weights[-1], strict=True)) > 1e-2


def test_the_ramped_decay_is_stylegan2_adas_ema_beta():
    from keras_gan.models import RampedAverage

    def reference(ema_kimg, ema_rampup, cur_nimg, batch_size):  # training_loop.py
        ema_nimg = min(ema_kimg * 1000, cur_nimg * ema_rampup)
        return 0.5 ** (batch_size / max(ema_nimg, 1e-8))

    for batch in (32, 64):  # the same half-life of 500 kimg is another decay per batch
        average = RampedAverage(0.5 ** (batch / 500_000), ramp_up=0.05)
        for steps in (0, 1, 100, 10_000, 150_000, 160_000, 1_562_500):
            np.testing.assert_allclose(
                float(average(steps)), reference(500, 0.05, steps * batch, batch), rtol=1e-5
            )
    average = RampedAverage(0.99991)
    assert float(average(0)) == 0.0  # the first update makes the average G
    assert float(average(10**7)) == np.float32(0.99991)  # after the ramp, `decay`
    for kwargs, received in (({"decay": 1.0}, "decay=1.0"), ({"decay": 0.9, "ramp_up": 0}, "0")):
        with pytest.raises(ValueError, match=f"Received: .*{received}"):
            RampedAverage(**kwargs)


def test_a_ramped_average_starts_from_g_and_reloads(tmp_path):
    from keras_gan.models import RampedAverage

    ramped, fixed = vector_ema_gan(RampedAverage(0.999)), vector_ema_gan(0.999)
    for gan in (ramped, fixed):
        gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
        gan.fit(vectors(16), batch_size=16, epochs=1, verbose=0)
    # After one step the ramped average is G; the fixed one is still mostly G's start.
    for a, b in zip(
        ramped.averaged_generator.get_weights(), ramped.generator.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(a, b)
    gap = [
        np.abs(a - b).max()
        for a, b in zip(
            fixed.averaged_generator.get_weights(), fixed.generator.get_weights(), strict=True
        )
    ]
    assert max(gap) > 1e-3
    # Step 2: decay 0.5 ** (16 / (0.05 * 16)) = 0.5 ** 20, the ramp's next value.
    before = ramped.averaged_generator.get_weights()
    ramped.fit(vectors(16), batch_size=16, epochs=1, verbose=0)
    decay = 0.5**20
    for mean, old, new in zip(
        ramped.averaged_generator.get_weights(), before, ramped.generator.get_weights(), strict=True
    ):
        np.testing.assert_allclose(mean, decay * old + (1 - decay) * new, rtol=1e-6, atol=1e-7)
    ramped.save(tmp_path / "ramped.keras")
    loaded = keras.saving.load_model(tmp_path / "ramped.keras")
    assert repr(loaded.generator_ema) == "RampedAverage(decay=0.999, ramp_up=0.05)"


def test_samples_come_from_the_average_unless_asked_otherwise():
    gan = vector_ema_gan()
    gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
    gan.fit(vectors(64), batch_size=16, epochs=1, verbose=0)
    z = gan.sample_latent(4, seed=0)
    averaged = np.asarray(gan.averaged_generator(z))
    trained = np.asarray(gan.generator(z))
    assert np.abs(averaged - trained).max() > 1e-4
    np.testing.assert_array_equal(gan.generate(4, seed=0), averaged)
    np.testing.assert_array_equal(np.asarray(gan(z)), averaged)
    raw = test_case.small_image_gan(seed=3, generator_ema=0.9, sample_from_average=False)
    assert raw.sampler is raw.generator
    assert test_case.small_image_gan().averaged_generator is None


def batch_norm_ema_gan(decay):
    """A dense G with batch normalisation (fast statistics: momentum 0.5)."""
    keras.utils.set_random_seed(0)
    generator = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(16),
            keras.layers.BatchNormalization(momentum=0.5),
            keras.layers.ReLU(),
            keras.layers.Dense(2),
        ]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
    )
    return GAN(generator, discriminator, seed=3, generator_ema=decay)


def test_the_average_normalises_with_the_statistics_of_its_own_activations():
    # The trained G's batch-norm statistics describe other weights than the
    # average's: its activations vary up to 2.5 times as much here, so the
    # average's samples made with them would be shrunk.
    gan = batch_norm_ema_gan(0.9)
    gan.compile(d_optimizer=keras.optimizers.Adam(0.1), g_optimizer=keras.optimizers.Adam(0.1))
    gan.fit(vectors(256 * 20), batch_size=256, epochs=1, verbose=0)
    dense, norm = gan.averaged_generator.layers[:2]
    trained_norm = gan.generator.layers[1]
    z = gan.sample_latent(4096, seed=0)
    activations = np.asarray(dense(z))
    own_mean, own_variance = activations.mean(axis=0), activations.var(axis=0)
    assert (np.asarray(trained_norm.moving_variance) / own_variance).max() > 1.5
    ratio = np.asarray(norm.moving_variance) / own_variance
    assert 0.8 < ratio.min() and ratio.max() < 1.2, ratio
    error = np.abs(np.asarray(norm.moving_mean) - own_mean) / own_variance**0.5
    assert error.max() < 0.15, error
    # So its samples are those of its weights normalised by their own batch statistics.
    beta, gamma = np.asarray(norm.beta), np.asarray(norm.gamma)
    hidden = gamma * (activations - own_mean) / np.sqrt(own_variance + norm.epsilon) + beta
    expected = np.asarray(gan.averaged_generator.layers[-1](np.maximum(hidden, 0.0)))
    samples = gan.generate(4096, seed=0)
    assert np.abs(samples - expected).mean() < 0.1 * expected.std(axis=0).mean()
    # Its scale and offset are averaged like every trained weight, and no optimizer sees them.
    assert np.abs(gamma - np.asarray(trained_norm.gamma)).max() > 1e-2
    trainable = {id(v) for v in gan.trainable_weights}
    assert not trainable & {id(v) for v in gan.averaged_generator.weights}
    assert len(gan.trainable_weights) == len(gan.generator.trainable_weights) + len(
        gan.discriminator.trainable_weights
    )


def test_an_average_without_batch_norm_is_not_run_forward():
    gan = vector_ema_gan()
    calls = []
    gan.averaged_generator.call = lambda *args, **kwargs: calls.append(args)
    gan.compile(d_optimizer=keras.optimizers.SGD(0.5), g_optimizer=keras.optimizers.SGD(0.5))
    gan.fit(vectors(32), batch_size=16, epochs=1, verbose=0)
    assert calls == []


def test_bad_decay_is_named():
    with pytest.raises(ValueError, match=r"generator_ema.*Received: generator_ema=1.0"):
        ema_gan(1.0)


def fit_two_epochs(gan, images):
    gan.fit(images, batch_size=16, epochs=2, verbose=0, shuffle=False)


def test_reload_continues_bit_exactly_with_average_and_lazy_r1(tmp_path):
    images = test_case.small_images(48)

    def make():
        gan = ema_gan(0.95, d_steps=2)
        gan.compile(penalties=[R1(gamma=1.0, every=4)])
        return gan

    keras.utils.set_random_seed(0)
    straight = make()
    keras.utils.set_random_seed(0)
    interrupted = make()
    for a, b in zip(straight.get_weights(), interrupted.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    fit_two_epochs(straight, images)
    fit_two_epochs(straight, images)
    fit_two_epochs(interrupted, images)
    interrupted.save(tmp_path / "gan.keras")
    resumed = keras.saving.load_model(tmp_path / "gan.keras")
    assert resumed.generator_ema == 0.95 and resumed.penalties[0].every == 4
    fit_two_epochs(resumed, images)
    # 6 D updates per epoch: lazy R1 was due on some updates before and after the reload.
    assert int(resumed.d_optimizer.iterations) == 24
    for a, b in zip(straight.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(straight.generate(8, seed=1), resumed.generate(8, seed=1))


@pytest.fixture(scope="module")
def mirrored():
    from keras_gan import distribute

    return distribute.get_strategy("mirrored", num_cpu_devices=2)


def _smooth_gan():
    """A GAN whose D is smooth (tanh), so rounding cannot flip which unit wins.

    With a maxout D the comparison below could not tell a bug from rounding:
    a max over pieces turns a last-bit difference into another winning piece,
    and the run-to-run rounding noise of TensorFlow's CPU kernels grew to 5e-4
    in some runs (measured), while handing every replica the first slice of
    the interpolation coefficients moved the weights by only 2.3e-4. With this
    D the correct code matches one device to 3e-8 and that bug moves 1.6e-3.
    """
    from keras_gan.models import MLPGenerator

    generator = MLPGenerator(latent_dim=8, data_shape=(4, 4, 1), hidden_units=(16,))
    discriminator = keras.Sequential(
        [keras.layers.Flatten(), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
    )
    return GAN(generator, discriminator, seed=3, generator_ema=0.9)


@pytest.mark.parametrize("penalty", ["gradient_penalty", "r1_lazy", "r2"])
def test_two_replicas_match_one_device_with_each_penalty_and_the_average(mirrored, penalty):
    import tensorflow as tf

    from keras_gan.penalties import R2
    from keras_gan.penalties import GradientPenalty

    make = {
        "gradient_penalty": lambda: GradientPenalty(weight=1.0),
        "r1_lazy": lambda: R1(gamma=1.0, every=2),
        "r2": lambda: R2(gamma=1.0),
    }[penalty]

    def run(strategy):
        images = test_case.small_images(64)
        with strategy.scope():
            keras.utils.set_random_seed(0)
            gan = _smooth_gan()
            gan.compile(
                d_optimizer=keras.optimizers.SGD(0.1),
                g_optimizer=keras.optimizers.SGD(0.1),
                penalties=[make()],
            )
        gan.fit(images, batch_size=16, epochs=2, shuffle=False, verbose=0)
        return gan.get_weights()

    one = run(tf.distribute.OneDeviceStrategy("/cpu:0"))
    two = run(mirrored)
    # Correct: about 3e-8 apart. A replica drawing another replica's share: 1.6e-3.
    for a, b in zip(one, two, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
