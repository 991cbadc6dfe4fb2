"""GAN.train_step under tf.distribute: 2 logical CPU devices against one device."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan import distribute


@pytest.fixture(scope="module")
def mirrored():
    # The process's one MirroredStrategy over the two CPUs (see keras_gan.distribute):
    # CPU collectives do not survive a second one with new shapes in the same process.
    strategy = distribute.get_strategy("mirrored", num_cpu_devices=2)
    assert [d.split("/")[-1] for d in strategy.extended.worker_devices] == [
        "device:CPU:0",
        "device:CPU:1",
    ]
    return strategy


def dense_pair():
    generator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(2)]
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)]
    )
    return generator, discriminator


def conditional_dense_pair():
    def network(input_dim, output_dim):
        x = keras.Input((input_dim,))
        labels = keras.Input((), dtype="int32")
        h = keras.layers.Concatenate()([x, keras.layers.Embedding(3, 2)(labels)])
        h = keras.layers.Dense(8, activation="tanh")(h)
        return keras.Model([x, labels], keras.layers.Dense(output_dim)(h))

    return network(3, 2), network(2, 1)


def train(strategy, loss, d_steps, simultaneous=False, label_distribution=None):
    data = np.random.default_rng(0).normal(2.0, 0.5, size=(128, 2)).astype("float32")
    labels = None if label_distribution is None else np.arange(128) % 3
    with strategy.scope():
        keras.utils.set_random_seed(0)
        if label_distribution is None:
            gan = GAN(*dense_pair(), d_steps=d_steps, simultaneous_updates=simultaneous, seed=7)
        else:
            gan = GAN(
                *conditional_dense_pair(),
                d_steps=d_steps,
                simultaneous_updates=simultaneous,
                seed=7,
                num_classes=3,
                label_distribution=label_distribution,
            )
        initial = [np.array(w) for w in gan.get_weights()]
        gan.compile(
            d_optimizer=keras.optimizers.SGD(0.2),
            g_optimizer=keras.optimizers.SGD(0.2),
            loss=loss,
        )
    history = gan.fit(data, labels, batch_size=16 * d_steps, epochs=2, shuffle=False, verbose=0)
    return gan, initial, history.history


@pytest.mark.parametrize(
    "loss, d_steps, simultaneous, labels",
    [
        ("non_saturating", 1, False, None),
        ("minimax", 1, False, None),
        ("non_saturating", 2, False, None),
        ("non_saturating", 1, True, None),
        # Conditional: the labels split with their samples; uniform G labels
        # are each replica's slice of one global draw.
        ("non_saturating", 2, False, "data"),
        ("non_saturating", 2, False, "uniform"),
        ("relativistic_average", 1, False, None),
        ("non_saturating", 1, True, "data"),
    ],
)
def test_two_replicas_update_exactly_like_one_device(mirrored, loss, d_steps, simultaneous, labels):
    one, initial, one_history = train(
        tf.distribute.OneDeviceStrategy("/cpu:0"), loss, d_steps, simultaneous, labels
    )
    two, _, two_history = train(mirrored, loss, d_steps, simultaneous, labels)
    assert two.jit_compile is False  # "auto" under a strategy

    moved = max(np.abs(w - w0).max() for w, w0 in zip(one.get_weights(), initial, strict=True))
    assert moved > 0.05  # the comparison below is not between untrained models
    for a, b in zip(one.get_weights(), two.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    # Logged losses are global means, not divided by the replica count.
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        np.testing.assert_allclose(one_history[key], two_history[key], rtol=1e-4)


def test_replicas_draw_different_noise_that_makes_up_the_global_draw(mirrored):
    with mirrored.scope():
        gan = GAN(*dense_pair(), seed=0)
    step_seed = tf.constant([5, 0], tf.int64)

    @tf.function
    def per_replica():
        return mirrored.run(lambda: gan._training_noise(4, step_seed, draw=1))

    slices = [np.asarray(v) for v in mirrored.experimental_local_results(per_replica())]
    assert not np.allclose(slices[0], slices[1])
    whole = gan.sample_latent(8, seed=tf.random.experimental.stateless_fold_in(step_seed, 1))
    np.testing.assert_array_equal(np.concatenate(slices), np.asarray(whole))


def test_replicas_draw_their_share_of_one_global_draw_of_uniform_labels(mirrored):
    from keras_gan.models.labels import uniform_labels

    seed = tf.constant([3, 0], tf.int64)

    @tf.function
    def per_replica():
        return mirrored.run(lambda: uniform_labels(50, 10, seed))

    slices = [np.asarray(v) for v in mirrored.experimental_local_results(per_replica())]
    assert not np.array_equal(slices[0], slices[1])
    np.testing.assert_array_equal(np.concatenate(slices), np.asarray(uniform_labels(100, 10, seed)))


def dcgan(synchronized):
    from keras_gan.models import DCGANDiscriminator
    from keras_gan.models import DCGANGenerator

    keras.utils.set_random_seed(0)
    generator = DCGANGenerator(
        latent_dim=4, data_shape=(8, 8, 1), base_filters=4, synchronized_batch_norm=synchronized
    )
    discriminator = DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=4)
    return GAN(generator, discriminator, seed=3, generator_ema=0.9)


def _fit_dcgan(strategy, synchronized):
    images = np.random.default_rng(0).uniform(size=(64, 8, 8, 1)).astype("float32")
    with strategy.scope():
        gan = dcgan(synchronized)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1))
    gan.fit(images, batch_size=16, epochs=1, shuffle=False, verbose=0)
    # The average keeps batch-norm statistics of its own activations, synchronised too.
    return gan.generator.get_weights() + gan.averaged_generator.get_weights()


def test_synchronized_batch_norm_makes_two_replicas_match_one_device(mirrored):
    one = _fit_dcgan(tf.distribute.OneDeviceStrategy("/cpu:0"), synchronized=True)
    synced = _fit_dcgan(mirrored, synchronized=True)
    for a, b in zip(one, synced, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    # Per-replica statistics (the default) give a different update: the option matters.
    local = _fit_dcgan(mirrored, synchronized=False)
    assert max(np.abs(a - b).max() for a, b in zip(one, local, strict=True)) > 1e-4


def test_fit_and_evaluate_start_one_pass_over_the_data_under_a_strategy(mirrored):
    # Keras' own fit opens a throwaway distributed iterator first, to build layers that are
    # already built here: the input pipeline started twice per fit, and dropping that
    # iterator is when TensorFlow 2.21's MultiDeviceIterator can crash (docs/accelerators.md).
    data = np.random.default_rng(0).normal(2.0, 0.5, size=(64, 2)).astype("float32")
    passes = []

    def rows():
        passes.append(len(passes))
        while True:
            yield from data

    dataset = tf.data.Dataset.from_generator(
        rows, output_signature=tf.TensorSpec((2,), tf.float32)
    ).batch(16)
    with mirrored.scope():
        gan = GAN(*dense_pair(), seed=7)
        gan.compile(d_optimizer=keras.optimizers.SGD(0.2), g_optimizer=keras.optimizers.SGD(0.2))
    history = gan.fit(dataset, steps_per_epoch=2, epochs=3, verbose=0)
    assert len(passes) == 1
    assert np.isfinite(history.history["d_loss"]).all()
    gan.evaluate(dataset, steps=2, verbose=0)
    assert len(passes) == 2
