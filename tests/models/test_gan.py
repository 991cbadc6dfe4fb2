"""The GAN model: the training step, compile, inputs, seeding, errors and saving."""

import json
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan.models import MaxoutDiscriminator
from keras_gan.models import MLPGenerator
from tests import test_case


def compiled_gan(**kwargs):
    compile_kwargs = {
        key: kwargs.pop(key) for key in ("loss", "jit_compile", "d_loss_weight") if key in kwargs
    }
    gan = test_case.small_image_gan(**kwargs)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3),
        g_optimizer=keras.optimizers.Adam(1e-3),
        **compile_kwargs,
    )
    return gan


def test_compile_creates_no_unused_optimizer_and_binds_each_to_its_network():
    gan = compiled_gan()
    assert gan.optimizer is None
    # Adam keeps two slots per variable, plus iterations and learning rate.
    assert len(gan.d_optimizer.variables) == 2 + 2 * len(gan.discriminator.trainable_variables)
    assert len(gan.g_optimizer.variables) == 2 + 2 * len(gan.generator.trainable_variables)


def test_one_step_updates_both_networks_through_their_own_optimizers():
    gan = compiled_gan()
    g_before = test_case.weights_of(gan.generator)
    d_before = test_case.weights_of(gan.discriminator)
    gan.fit(test_case.small_images(16), batch_size=16, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 1
    assert int(gan.g_optimizer.iterations) == 1
    for before, after in ((g_before, gan.generator), (d_before, gan.discriminator)):
        changed = [not np.allclose(b, a) for b, a in zip(before, after.get_weights(), strict=True)]
        assert all(changed)


@pytest.mark.parametrize("d_steps", [1, 2, 3])
def test_d_steps_discriminator_updates_per_generator_update(d_steps):
    gan = compiled_gan(d_steps=d_steps)
    gan.fit(
        test_case.small_images(72),
        batch_size=12 * d_steps,
        epochs=1,
        verbose=0,
        shuffle=False,
    )
    steps = 72 // (12 * d_steps)
    assert int(gan.g_optimizer.iterations) == steps
    assert int(gan.d_optimizer.iterations) == d_steps * steps


def test_each_discriminator_step_gets_its_own_minibatch():
    seen = []

    class Recorder(keras.layers.Layer):
        def call(self, x, training=None):
            if training:
                seen.append(x)
            return x

    discriminator = keras.Sequential([keras.Input((1,)), Recorder(), keras.layers.Dense(1)])
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    gan = GAN(generator, discriminator, d_steps=3, seed=0)
    gan.compile(run_eagerly=True)
    real = np.arange(6, dtype="float32").reshape(6, 1)
    gan.fit(real, batch_size=6, epochs=1, verbose=0, shuffle=False)
    # D sees real, fake for each of the 3 steps, then fake for G's step.
    real_minibatches = [np.asarray(seen[i]).reshape(-1).tolist() for i in (0, 2, 4)]
    assert real_minibatches == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    assert [np.asarray(x).shape[0] for x in seen] == [2] * 7


def test_simultaneous_updates_step_both_networks_once_per_batch():
    gan = compiled_gan(simultaneous_updates=True)
    gan.fit(test_case.small_images(32), batch_size=8, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == int(gan.g_optimizer.iterations) == 4
    with pytest.raises(ValueError, match="needs d_steps=1. Received: d_steps=2"):
        test_case.small_image_gan(d_steps=2, simultaneous_updates=True)


def test_history_has_epoch_means_and_trackers_reset_each_epoch():
    gan = compiled_gan()
    history = gan.fit(test_case.small_images(64), batch_size=16, epochs=3, verbose=0)
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert len(history.history[key]) == 3
        assert all(np.isfinite(history.history[key]))
    # A tracker that were never reset would have counted all 12 steps.
    assert int(gan.d_loss_tracker.count) == 4
    assert int(gan.g_loss_tracker.count) == 4
    assert 0.0 < history.history["d_real"][-1] < 1.0


@pytest.mark.parametrize("form", ["numpy", "images", "images_and_labels"])
def test_fit_accepts_arrays_and_datasets_with_or_without_labels(form):
    images = test_case.small_images(32)
    if form == "numpy":
        data = images
    elif form == "images":
        data = tf.data.Dataset.from_tensor_slices(images).batch(8)
    else:
        labels = np.arange(32)
        data = tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)
    gan = compiled_gan()
    kwargs = {"batch_size": 8} if form == "numpy" else {}
    history = gan.fit(data, epochs=1, verbose=0, **kwargs)
    assert np.isfinite(history.history["g_loss"][0])
    assert int(gan.g_optimizer.iterations) == 4


def test_validation_data_reports_the_losses_without_updating():
    gan = compiled_gan()
    history = gan.fit(
        test_case.small_images(32),
        batch_size=8,
        epochs=1,
        verbose=0,
        validation_data=test_case.small_images(16, seed=1),
    )
    assert {"val_d_loss", "val_g_loss", "val_d_real", "val_d_fake"} <= set(history.history)
    weights = test_case.weights_of(gan)
    iterations = int(gan.d_optimizer.iterations)
    gan.evaluate(test_case.small_images(16, seed=1), batch_size=8, verbose=0)
    assert int(gan.d_optimizer.iterations) == iterations
    for before, after in zip(weights, gan.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)


def test_validation_does_not_change_the_training_run():
    def run(**kwargs):
        keras.utils.set_random_seed(0)
        gan = compiled_gan(seed=4)
        gan.fit(
            test_case.small_images(32), batch_size=8, epochs=2, verbose=0, shuffle=False, **kwargs
        )
        return gan.get_weights()

    validation = {"validation_data": test_case.small_images(16, seed=1)}
    for a, b in zip(run(), run(**validation), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("loss", ["non_saturating", "minimax"])
def test_same_seed_same_run_different_seed_different_run(loss):
    def run(seed):
        keras.utils.set_random_seed(0)  # same initial weights
        gan = compiled_gan(seed=seed, loss=loss)
        gan.fit(test_case.small_images(32), batch_size=8, epochs=2, verbose=0, shuffle=False)
        return gan.generator.get_weights()

    first, again, other = run(1), run(1), run(2)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not all(np.allclose(a, b) for a, b in zip(first, other, strict=True))


def test_generate_and_call():
    gan = test_case.small_image_gan()
    samples = gan.generate(5, seed=3)
    assert samples.shape == (5, 4, 4, 1)
    np.testing.assert_array_equal(samples, gan.generate(5, seed=3))
    assert not np.allclose(samples, gan.generate(5, seed=4))
    z = gan.sample_latent(5, seed=3)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(gan(z)), samples, rtol=1e-6)
    with pytest.raises(ValueError, match="`num_samples` must be >= 1. Received: num_samples=0"):
        gan.generate(0)
    # Seeds use the full 64-bit range (the export's `generate` takes an int64 seed).
    np.testing.assert_array_equal(gan.generate(2, seed=2**40), gan.generate(2, seed=2**40))
    assert not np.allclose(gan.generate(2, seed=2**40), gan.generate(2, seed=2**40 + 1))


@pytest.mark.parametrize("distribution, check", [("uniform", "uniform"), ("normal", "normal")])
def test_latent_distributions(distribution, check):
    gan = test_case.small_image_gan(latent_distribution=distribution)
    z = keras.ops.convert_to_numpy(gan.sample_latent(20000, seed=0))
    assert z.shape == (20000, 8)
    assert abs(z.std() - 1.0) < 0.02  # both are unit variance
    if check == "uniform":
        assert np.abs(z).max() <= np.sqrt(3.0)
    else:
        assert np.abs(z).max() > 3.0


def functional_pair():
    z = keras.Input((3,))
    generator = keras.Model(z, keras.layers.Reshape((2, 2, 1))(keras.layers.Dense(4)(z)))
    x = keras.Input((2, 2, 1))
    discriminator = keras.Model(x, keras.layers.Dense(1)(keras.layers.Flatten()(x)))
    return generator, discriminator


def sequential_pair():
    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4), keras.layers.Reshape((2, 2, 1))]
    )
    discriminator = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1)])
    return generator, discriminator


@pytest.mark.parametrize("make_pair", [functional_pair, sequential_pair])
def test_any_keras_models_and_latent_dim_read_from_the_generator(make_pair):
    generator, discriminator = make_pair()
    gan = GAN(generator, discriminator, seed=0)
    assert gan.latent_dim == 3
    assert gan.data_shape == (2, 2, 1)
    gan.compile()
    gan.fit(np.random.default_rng(0).uniform(size=(8, 2, 2, 1)), batch_size=4, verbose=0)
    assert int(gan.g_optimizer.iterations) == 2


def test_xla_compiled_step_updates_and_is_reproducible():
    # XLA's stateless RNG draws other numbers than TensorFlow's CPU kernels for
    # the same seed (even with alg="philox"), so a jit run is compared with
    # another jit run, not with the plain step.
    def run():
        keras.utils.set_random_seed(0)
        gan = compiled_gan(seed=2, d_steps=2, jit_compile=True)
        assert gan.jit_compile is True
        initial = test_case.weights_of(gan)
        history = gan.fit(
            test_case.small_images(32), batch_size=16, epochs=2, verbose=0, shuffle=False
        )
        assert int(gan.d_optimizer.iterations) == 8 and int(gan.g_optimizer.iterations) == 4
        assert np.isfinite(history.history["g_loss"]).all()
        return initial, gan.get_weights()

    initial, first = run()
    _, second = run()
    assert not any(np.allclose(a, b) for a, b in zip(initial, first, strict=True))
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


BAD_ARGUMENTS = [
    ({"d_steps": 0}, "`d_steps` must be a positive integer. Received: d_steps=0"),
    ({"d_steps": 1.5}, "`d_steps` must be a positive integer. Received: d_steps=1.5"),
    (
        {"latent_dim": 0},
        "`latent_dim` must be a positive integer. Received: latent_dim=0",
    ),
    ({"latent_dim": 5}, "input size 8. Received: latent_dim=5"),
    (
        {"latent_distribution": "cauchy"},
        r"Unknown `latent_distribution`.*Received: latent_distribution='cauchy'",
    ),
]


@pytest.mark.parametrize("kwargs, message", BAD_ARGUMENTS)
def test_bad_arguments_are_named_with_the_value_received(kwargs, message):
    with pytest.raises(ValueError, match=message):
        test_case.small_image_gan(**kwargs)


def test_latent_dim_required_when_the_generator_does_not_declare_it():
    generator = keras.Sequential([keras.layers.Dense(2)])
    discriminator = keras.Sequential([keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="pass latent_dim=... Received: latent_dim=None"):
        GAN(generator, discriminator)
    assert GAN(generator, discriminator, latent_dim=4).data_shape == (2,)


def test_generator_output_that_the_discriminator_cannot_take():
    _, discriminator = functional_pair()
    generator = MLPGenerator(latent_dim=3, data_shape=(3, 3, 1), hidden_units=(4,))
    with pytest.raises(
        ValueError,
        match=r"does not match the discriminator's input shape. Received: generator output "
        r"\(batch, 3, 3, 1\), discriminator input \(batch, 2, 2, 1\)",
    ):
        GAN(generator, discriminator)


def test_discriminator_must_return_one_logit_per_sample():
    generator = MLPGenerator(latent_dim=3, data_shape=(2,), hidden_units=(4,))
    with pytest.raises(
        ValueError, match=r"one logit per sample.*Received: output of shape \(2, 5\)"
    ):
        GAN(generator, keras.Sequential([keras.layers.Dense(5)]))


def test_data_of_the_wrong_shape_fails_before_any_update():
    gan = compiled_gan()
    with pytest.raises(ValueError, match=r"\(4, 4, 1\). Received: batches of shape \(8, 5, 5, 1\)"):
        gan.fit(np.zeros((16, 5, 5, 1), "float32"), batch_size=8, verbose=0)
    assert int(gan.d_optimizer.iterations) == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"loss": "hinged"}, r"Unknown `loss`.*Received: loss='hinged'"),
        (
            {"optimizer": "adam"},
            r"GAN.compile takes d_optimizer.*Received: \['optimizer'\]",
        ),
    ],
)
def test_bad_compile_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        test_case.small_image_gan().compile(**kwargs)


def test_one_optimizer_for_both_networks_is_refused():
    optimizer = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two different optimizer instances"):
        test_case.small_image_gan().compile(d_optimizer=optimizer, g_optimizer=optimizer)


def test_reloaded_gan_continues_training_exactly_like_the_original(tmp_path):
    images = test_case.small_images(32)
    gan = compiled_gan(seed=5, d_steps=2)
    gan.fit(images, batch_size=16, epochs=2, verbose=0, shuffle=False)
    path = tmp_path / "gan.keras"
    gan.save(path)
    loaded = keras.saving.load_model(path)

    # JSON turns tuples into lists; compare the configs as JSON.
    assert json.dumps(loaded.get_config(), sort_keys=True) == json.dumps(
        gan.get_config(), sort_keys=True
    )
    assert int(loaded.d_optimizer.iterations) == int(gan.d_optimizer.iterations) == 8
    for original, restored in (
        (gan.d_optimizer, loaded.d_optimizer),
        (gan.g_optimizer, loaded.g_optimizer),
    ):
        for a, b in zip(original.variables, restored.variables, strict=True):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    # Same weights, optimizer slots and noise state: the next epochs match.
    for model in (gan, loaded):
        model.fit(images, batch_size=16, epochs=2, verbose=0, shuffle=False)
    for a, b in zip(gan.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_saved_gan_loads_in_a_fresh_process(tmp_path):
    gan = compiled_gan(seed=1)
    gan.fit(test_case.small_images(16), batch_size=8, verbose=0)
    path = tmp_path / "gan.keras"
    gan.save(path)
    z = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    np.save(tmp_path / "z.npy", z)
    script = textwrap.dedent(
        f"""
        import keras, numpy as np
        import keras_gan  # registers the classes, as a user's import would
        model = keras.saving.load_model({str(path)!r})  # safe_mode=True, the default
        z = np.load({str(tmp_path / "z.npy")!r})
        np.save({str(tmp_path / "out.npy")!r}, keras.ops.convert_to_numpy(model(z)))
        print(type(model).__name__, type(model.d_optimizer).__name__, model.gan_loss.name)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-3:] == ["GAN", "Adam", "non_saturating"]
    np.testing.assert_allclose(
        np.load(tmp_path / "out.npy"), keras.ops.convert_to_numpy(gan(z)), rtol=1e-6
    )


def test_paper_preset_uses_the_published_settings():
    from keras_gan.models import paper_mnist_gan
    from keras_gan.optimizers import ScheduledMomentumSGD

    gan = paper_mnist_gan(output_bias_marginals=np.full(784, 0.13), seed=0)
    assert gan.simultaneous_updates and gan.d_steps == 1
    assert gan.latent_dim == 100 and gan.latent_distribution == "uniform"
    assert gan.gan_loss.name == "non_saturating" and gan.d_loss_weight == 0.5
    assert isinstance(gan.generator, MLPGenerator)
    assert isinstance(gan.discriminator, MaxoutDiscriminator)
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, ScheduledMomentumSGD)
        assert float(optimizer.learning_rate) == pytest.approx(0.1)
        assert float(optimizer.momentum_schedule(0)) == pytest.approx(0.5)
        assert float(optimizer.momentum_schedule(250 * 500)) == pytest.approx(0.7)
    assert gan.d_optimizer is not gan.g_optimizer
