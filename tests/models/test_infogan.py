"""InfoGAN: its codes, its information term, its Q head, and what users rely on around it."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.export import export_generator
from keras_gan.latent_codes import InfoGANCodes
from keras_gan.latent_codes import best_mapping_accuracy
from keras_gan.models import InfoGAN
from keras_gan.models import InfoGANDiscriminator
from keras_gan.models import InfoGANGenerator
from tests.export.test_generator_export import REPLAY_WARMUP
from tests.export.test_generator_export import in_fresh_tensorflow


def test_codes_lay_out_noise_one_hot_categories_and_continuous_values():
    codes = InfoGANCodes(noise_dim=5, categorical=(4, 3), continuous=2, noise="normal")
    assert (codes.latent_dim, codes.code_dim) == (14, 9)
    z = codes.sample(20000, tf.constant([7, 0], tf.int64)).numpy()
    first, second, continuous = z[:, 5:9], z[:, 9:12], z[:, 12:]
    for one_hot, categories in ((first, 4), (second, 3)):
        assert set(np.unique(one_hot)) == {0.0, 1.0}
        np.testing.assert_array_equal(one_hot.sum(axis=1), 1.0)
        # Each category about equally often.
        np.testing.assert_allclose(one_hot.mean(axis=0), 1.0 / categories, atol=0.015)
    assert -1.0 <= continuous.min() and continuous.max() <= 1.0
    np.testing.assert_allclose(continuous.var(axis=0), 1.0 / 3.0, atol=0.02)
    np.testing.assert_allclose(z[:, :5].std(axis=0), 1.0, atol=0.03)
    again = codes.sample(20000, tf.constant([7, 0], tf.int64)).numpy()
    np.testing.assert_array_equal(z, again)
    other = codes.sample(20000, tf.constant([8, 0], tf.int64)).numpy()
    assert not np.array_equal(z[:, 5:9], other[:, 5:9])


def test_noise_limit_draws_the_papers_code_noise_and_keeps_the_codes():
    seed = tf.constant([3, 0], tf.int64)
    wide = InfoGANCodes(noise_dim=4, categorical=(10,), continuous=2)
    narrow = InfoGANCodes(noise_dim=4, categorical=(10,), continuous=2, noise_limit=1.0)
    z, w = narrow.sample(20000, seed).numpy(), wide.sample(20000, seed).numpy()
    # openai/InfoGAN's Uniform: [-1, 1], variance 1/3; the default has variance 1.
    assert -1.0 <= z[:, :4].min() and z[:, :4].max() <= 1.0
    np.testing.assert_allclose(z[:, :4].var(axis=0), 1.0 / 3.0, atol=0.02)
    np.testing.assert_allclose(w[:, :4].var(axis=0), 1.0, atol=0.05)
    np.testing.assert_array_equal(z[:, 4:], w[:, 4:])  # the codes are drawn as before
    again = InfoGANCodes.from_config(narrow.get_config())
    np.testing.assert_array_equal(again.sample(50, seed), z[:50])
    for bad in (0.0, -1.0, float("inf")):
        with pytest.raises(ValueError, match=rf"Received: noise_limit={bad}, noise='uniform'"):
            InfoGANCodes(noise_limit=bad)
    with pytest.raises(ValueError, match=r"Received: noise_limit=1.0, noise='normal'"):
        InfoGANCodes(noise="normal", noise_limit=1.0)


def test_compose_puts_the_parts_where_sample_puts_them():
    codes = InfoGANCodes(noise_dim=3, categorical=(4,), continuous=1)
    z = codes.compose(np.ones((2, 3)), [np.array([2, 0])], np.array([[0.5], [-0.25]]))
    np.testing.assert_array_equal(z, [[1, 1, 1, 0, 0, 1, 0, 0.5], [1, 1, 1, 1, 0, 0, 0, -0.25]])
    with pytest.raises(ValueError, match=r"Category ids must be 2 integers in \[0, 4\)"):
        codes.compose(np.ones((2, 3)), [np.array([4, 0])])


def test_the_information_loss_is_the_codes_negative_log_likelihood_under_q():
    codes = InfoGANCodes(noise_dim=2, categorical=(10,), continuous=2, continuous_weight=0.5)
    z = codes.sample(64, tf.constant([1, 0], tf.int64)).numpy()
    one_hot, continuous = z[:, 2:12], z[:, 12:]
    # Q that knows the codes: confident logits, exact means -> nearly 0.
    knows = np.concatenate([50.0 * one_hot, continuous], axis=1)
    assert float(codes.information_loss(z, knows)) < 1e-6
    # Q that knows nothing: uniform logits (cross-entropy log 10) and means of 0
    # (0.5 * E[c^2] = 1/6 per code, two codes, weight 0.5).
    blind = np.zeros_like(knows)
    expected = np.log(10.0) + 0.5 * np.mean(np.sum(0.5 * continuous**2, axis=1))
    np.testing.assert_allclose(float(codes.information_loss(z, blind)), expected, rtol=1e-5)


def test_best_mapping_accuracy_finds_the_matching_scipy_finds():
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(0)
    for _ in range(5):
        labels = rng.integers(0, 6, 500)
        assigned = np.where(
            rng.uniform(size=500) < 0.6, rng.permutation(6)[labels], rng.integers(0, 6, 500)
        )
        counts = np.zeros((6, 6))
        np.add.at(counts, (assigned, labels), 1)
        rows, cols = linear_sum_assignment(-counts)
        accuracy, mapping = best_mapping_accuracy(assigned, labels, 6)
        assert accuracy == pytest.approx(counts[rows, cols].sum() / 500)
        assert np.mean(np.array(mapping)[assigned] == labels) == pytest.approx(accuracy)
    # A relabelling of the classes is a perfect classifier.
    labels = np.arange(100) % 10
    assert best_mapping_accuracy((labels * 3 + 1) % 10, labels)[0] == 1.0


def _toy_infogan(info_weight, seed=0):
    """A tiny InfoGAN on 4-pixel 'images': G and D/Q of one hidden layer each."""
    codes = InfoGANCodes(noise_dim=2, categorical=(4,), continuous=0)

    class Discriminator(keras.Model):
        def __init__(self):
            super().__init__()
            self.body = keras.layers.Dense(32, activation="relu")
            self.d_head = keras.layers.Dense(1)
            self.q_head = keras.layers.Dense(4)

        def call(self, x, training=None):
            h = self.body(keras.ops.reshape(x, (-1, 4)))
            return self.d_head(h), self.q_head(h)

    generator = keras.Sequential(
        [
            keras.Input((codes.latent_dim,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(4),
            keras.layers.Reshape((2, 2, 1)),
        ]
    )
    keras.utils.set_random_seed(seed)
    gan = InfoGAN(generator, Discriminator(), codes, info_weight=info_weight, seed=seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
    )
    return gan


def _q_accuracy_on_own_samples(gan, count=2000):
    z = gan.sample_latent(count, seed=99).numpy()
    samples = gan.generator(z, training=False)
    q = gan.predict_codes(samples)
    return float(np.mean(gan.codes.categories_of(q) == np.argmax(z[:, 2:6], axis=1)))


def test_the_information_term_makes_the_category_recoverable_from_the_samples():
    data = np.random.default_rng(0).normal(size=(512, 2, 2, 1)).astype("float32")
    accuracies = {}
    for weight in (1.0, 0.0):
        gan = _toy_infogan(weight)
        history = gan.fit(data, batch_size=64, epochs=40, verbose=0).history
        accuracies[weight] = _q_accuracy_on_own_samples(gan)
    # With lambda = 1, Q reads the category off G's samples; with lambda = 0
    # nothing trains Q and nothing makes G keep the category: chance (1/4).
    assert accuracies[1.0] > 0.95, accuracies
    assert accuracies[0.0] < 0.45, accuracies
    assert history["info_loss"][-1] > 1.0  # lambda = 0 still reports the term


def _small_infogan(codes, seed=0, **kwargs):
    """The InfoGAN paper's networks for 8x8 grey images."""
    return InfoGAN(
        InfoGANGenerator(codes.latent_dim, (8, 8, 1)),
        InfoGANDiscriminator(codes.code_dim, (8, 8, 1)),
        codes,
        seed=seed,
        **kwargs,
    )


def test_a_saved_infogan_loads_with_its_codes_and_generates_the_same(tmp_path):
    codes = InfoGANCodes(noise_dim=4, categorical=(3,), continuous=1)
    gan = _small_infogan(codes, info_weight=0.5, seed=3)
    gan.compile()
    gan.fit(np.zeros((16, 8, 8, 1), "float32"), batch_size=8, epochs=1, verbose=0)
    gan.save(tmp_path / "infogan.keras")
    loaded = keras.saving.load_model(tmp_path / "infogan.keras")
    assert isinstance(loaded, InfoGAN) and loaded.info_weight == 0.5
    assert loaded.codes.get_config() == codes.get_config()
    np.testing.assert_array_equal(loaded.generate(5, seed=1), gan.generate(5, seed=1))
    np.testing.assert_allclose(
        loaded.predict_codes(np.ones((2, 8, 8, 1))), gan.predict_codes(np.ones((2, 8, 8, 1)))
    )


def test_code_traversal_varies_one_code_and_keeps_the_rest():
    codes = InfoGANCodes(noise_dim=4, categorical=(3,), continuous=2)
    gan = _small_infogan(codes)
    images, rows = gan.code_traversal(seed=1, columns=4)
    assert images.shape == (12, 8, 8, 1) and rows == [0, 1, 2]
    # Image (row r, column c) is G of column c's noise with category r and zero codes.
    noise = gan.sample_latent(12, seed=1).numpy()[:4, :4]
    for r, c in ((0, 0), (2, 0), (1, 3)):
        z = codes.compose(noise[c : c + 1], [np.array([r])])
        expected = keras.ops.convert_to_numpy(gan.generator(z, training=False))[0]
        np.testing.assert_allclose(images[4 * r + c], expected, atol=1e-6)
    # With continuous=1: row r keeps one noise draw, code 1 runs from -2 to 2 across.
    images, _ = gan.code_traversal(seed=1, continuous=1, columns=5, span=2.0)
    assert images.shape == (15, 8, 8, 1)
    noise = gan.sample_latent(15, seed=1).numpy()[:3, :4]
    z = codes.compose(noise[2:3], [np.array([2])], np.array([[0.0, 2.0]]))
    expected = keras.ops.convert_to_numpy(gan.generator(z, training=False))[0]
    np.testing.assert_allclose(images[2 * 5 + 4], expected, atol=1e-6)
    with pytest.raises(ValueError, match=r"continuous code's index in \[0, 2\)"):
        gan.code_traversal(seed=1, continuous=2)


def test_the_export_serves_samples_of_the_codes_distribution(tmp_path):
    codes = InfoGANCodes(noise_dim=4, categorical=(3,), continuous=1)
    gan = _small_infogan(codes)
    gan.compile()
    gan.fit(np.zeros((16, 8, 8, 1), "float32"), batch_size=8, epochs=1, verbose=0)
    path = export_generator(gan, tmp_path, "infogan")
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        OUT["signatures"] = sorted(model.signatures)
        OUT["samples"] = model.signatures["generate"](
            num_samples=tf.constant(3), seed=tf.constant(4, tf.int64)
        )["samples"].numpy().tolist()
        """,
        path=path,
    )
    # Truncating one-hot codes means nothing: no generate_truncated, nor a warmup record of it.
    assert out["signatures"] == ["generate", "generate_png", "serving_default"]
    replayed = in_fresh_tensorflow(REPLAY_WARMUP, path=path)["answered"]
    assert [record[1] for record in replayed] == ["serving_default", "generate", "generate_png"]
    np.testing.assert_allclose(out["samples"], gan.generate(3, seed=4), atol=1e-6)
    with pytest.raises(ValueError, match="this GAN's z holds structured codes"):
        gan.generate(2, seed=0, sampler="truncation")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"codes": "uniform"}, r"`codes` must be an InfoGANCodes"),
        ({"num_classes": 10}, r"InfoGAN is unconditional .* takes no `num_classes`"),
        ({"info_weight": -1.0}, r"`info_weight` must be >= 0"),
        ({"discriminator": "plain"}, r"An InfoGAN discriminator returns \(logits, q\)"),
        ({"discriminator": "wrong_q"}, r"shape \(batch, 4\) \(codes.code_dim\). Received: "),
    ],
)
def test_bad_arguments_are_refused_with_what_was_received(kwargs, message):
    codes = InfoGANCodes(noise_dim=2, categorical=(3,), continuous=1)
    discriminators = {
        "plain": keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1)]),
        "wrong_q": InfoGANDiscriminator(5, (8, 8, 1)),
    }
    arguments = {
        "generator": InfoGANGenerator(codes.latent_dim, (8, 8, 1)),
        "discriminator": InfoGANDiscriminator(codes.code_dim, (8, 8, 1)),
        "codes": codes,
        **kwargs,
    }
    if isinstance(arguments["discriminator"], str):
        arguments["discriminator"] = discriminators[arguments["discriminator"]]
    with pytest.raises(ValueError, match=message):
        InfoGAN(**arguments)


def test_the_paper_codes_layers_draw_its_initial_weights_and_survive_saving(tmp_path):
    # openai/InfoGAN's custom_ops.py: kernels N(0, 0.02) (truncated in D's convolutions),
    # batch-norm scales N(1, 0.02), epsilon 1e-5; leaky_rectify's slope 0.01.
    keras.utils.set_random_seed(0)
    codes = InfoGANCodes(noise_dim=62, categorical=(10,), continuous=2)
    paper = dict(initializer_stddev=0.02, batch_norm_epsilon=1e-5)
    generator = InfoGANGenerator(codes.latent_dim, **paper)
    discriminator = InfoGANDiscriminator(codes.code_dim, negative_slope=0.01, **paper)
    generator.build()
    discriminator.build()
    kernels = [w for w in generator.weights + discriminator.weights if "kernel" in w.path]
    assert len(kernels) == 10
    for kernel in kernels:
        values = np.asarray(kernel)
        assert abs(values.std() - 0.02) < 0.004 and abs(values.mean()) < 0.002, kernel.path
    first_conv = np.asarray(discriminator.body.layers[0].kernel)
    assert np.abs(first_conv).max() <= 0.04 + 1e-7  # truncated at 2 stddev
    norms = [
        layer
        for layer in generator._flatten_layers() + discriminator._flatten_layers()
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    assert len(norms) == 6 and all(layer.epsilon == 1e-5 for layer in norms)
    gamma = np.concatenate([np.asarray(layer.gamma) for layer in norms])
    assert abs(gamma.mean() - 1.0) < 0.002 and 0.015 < gamma.std() < 0.025
    activations = [
        layer
        for layer in discriminator._flatten_layers()
        if isinstance(layer, keras.layers.LeakyReLU)
    ]
    assert len(activations) == 4 and all(layer.negative_slope == 0.01 for layer in activations)
    default = InfoGANDiscriminator(codes.code_dim)
    assert {layer.epsilon for layer in default._flatten_layers() if hasattr(layer, "epsilon")} == {
        1e-3
    }
    gan = InfoGAN(generator, discriminator, codes, seed=0)
    gan.compile()
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert loaded.discriminator.negative_slope == 0.01
    assert loaded.discriminator.get_config() == discriminator.get_config()
    assert loaded.generator.get_config() == generator.get_config()
    images = np.random.default_rng(0).random((4, 28, 28, 1), "float32")
    np.testing.assert_allclose(loaded.predict_codes(images), gan.predict_codes(images), atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"negative_slope": 1.5},
            r"`negative_slope` must be in \[0, 1\). Received: negative_slope=1.5",
        ),
        (
            {"initializer_stddev": 0},
            r"`initializer_stddev` must be None .* Received: initializer_stddev=0",
        ),
        ({"batch_norm_epsilon": "small"}, r"Received: batch_norm_epsilon='small'"),
        ({"negative_slope": "0.1"}, r"Received: negative_slope='0.1'"),
        ({"initializer_stddev": float("nan")}, r"Received: initializer_stddev=nan"),
    ],
)
def test_bad_layer_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        InfoGANDiscriminator(12, **kwargs)


def test_numpy_numbers_are_accepted_as_layer_settings():
    slope, stddev = np.float32(0.01), np.float64(0.02)
    d = InfoGANDiscriminator(12, negative_slope=slope, initializer_stddev=stddev)
    assert d.negative_slope == pytest.approx(0.01) and d.initializer_stddev == 0.02


@pytest.mark.parametrize(
    "categorical, continuous, message",
    [((1,), 2, "at least 2 categories"), ((), 0, "needs at least one")],
)
def test_bad_codes_are_refused(categorical, continuous, message):
    with pytest.raises(ValueError, match=message):
        InfoGANCodes(categorical=categorical, continuous=continuous)


def test_layouts_of_every_small_code_set_round_trip_through_compose():
    for categorical, continuous in itertools.product([(), (2,), (3, 2)], [0, 1, 2]):
        if not categorical and not continuous:
            continue
        codes = InfoGANCodes(noise_dim=2, categorical=categorical, continuous=continuous)
        z = codes.sample(6, tf.constant([0, 0], tf.int64)).numpy()
        ids = []
        start = 2
        for categories in categorical:
            ids.append(np.argmax(z[:, start : start + categories], axis=1))
            start += categories
        values = z[:, start:] if continuous else None
        np.testing.assert_array_equal(codes.compose(z[:, :2], ids, values), z)


def test_code_accuracy_scores_q_as_an_unsupervised_classifier(mnist_data_dir, tmp_path):
    """Known answer: a Q head that is the shipped MNIST classifier with its classes
    shuffled classifies as well as the classifier, through the inverse shuffle."""
    from keras_gan.metrics.evaluate import evaluate
    from keras_gan.metrics.mnist_classifier import trained_mnist_classifier
    from keras_gan.models.paper_mnist import paper_mnist_gan

    classifier = trained_mnist_classifier()
    shuffle = np.array([3, 7, 0, 9, 1, 5, 8, 2, 6, 4])
    images = keras.Input((28, 28, 1))
    logits = keras.layers.Dense(1)(keras.layers.Flatten()(images))
    q = keras.ops.take(classifier(images), shuffle, axis=1)  # category k = class shuffle[k]
    codes = InfoGANCodes(noise_dim=4, categorical=(10,), continuous=0)
    gan = InfoGAN(InfoGANGenerator(codes.latent_dim), keras.Model(images, [logits, q]), codes)
    gan.save(tmp_path / "infogan.keras")
    options = dict(
        metrics=["code_accuracy"], data_dir=mnist_data_dir, test_split="test[:1000]", num_samples=10
    )
    results = evaluate(str(tmp_path / "infogan.keras"), "mnist", **options)
    assert results["code_mapping"] == shuffle.tolist()
    assert results["code_accuracy"] > 0.97
    counts = np.array(results["code_counts"])  # category x class: the shuffle, nearly
    assert counts.shape == (10, 10) and counts.sum() == 1000
    assert (counts[np.arange(10), shuffle] > 0.95 * counts.sum(axis=1)).all()
    # A GAN without a Q head is refused before anything is scored.
    paper_mnist_gan(seed=0).save(tmp_path / "plain.keras")
    with pytest.raises(ValueError, match=r"\['code_accuracy'\] read an InfoGAN's Q head"):
        evaluate(str(tmp_path / "plain.keras"), "mnist", **options)


def test_plot_codes_draws_each_code_and_refuses_what_it_cannot_draw(tmp_path):
    import subprocess
    import sys

    from keras_gan.models.paper_mnist import paper_mnist_gan
    from tests.conftest import REPO

    codes = InfoGANCodes(noise_dim=4, categorical=(3,), continuous=2)
    gan = _small_infogan(codes)
    gan.save(tmp_path / "infogan.keras")
    paper_mnist_gan(seed=0).save(tmp_path / "plain.keras")

    def plot(source):
        return subprocess.run(
            [
                sys.executable,
                "scripts/plot_codes.py",
                f"--source={tmp_path / source}",
                f"--output_dir={tmp_path / 'codes'}",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = plot("infogan.keras")
    assert done.returncode == 0, done.stderr[-2000:]
    written = sorted(p.name for p in (tmp_path / "codes").iterdir())
    assert written == ["categorical.png", "continuous_0.png", "continuous_1.png"]
    again = plot("infogan.keras")
    assert again.returncode == 1 and "exist and are never overwritten" in again.stderr
    plain = plot("plain.keras")
    assert plain.returncode == 1
    assert "holds a GAN, not an InfoGAN (train with --model=infogan)" in plain.stderr


def _train_toy_on(strategy, weights=None):
    data = np.random.default_rng(0).normal(size=(128, 2, 2, 1)).astype("float32")
    with strategy.scope():
        gan = _toy_infogan(info_weight=1.0, seed=3)
        if weights is not None:  # the same start on both strategies
            gan.set_weights(weights)
        initial = [w.copy() for w in gan.get_weights()]
        gan.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.1))
    history = gan.fit(data, batch_size=32, epochs=1, shuffle=False, verbose=0).history
    return gan, initial, history


def test_two_replicas_update_an_infogan_exactly_like_one_device():
    from keras_gan import distribute

    one, initial, one_history = _train_toy_on(tf.distribute.OneDeviceStrategy("/cpu:0"))
    two, _, two_history = _train_toy_on(
        distribute.get_strategy("mirrored", num_cpu_devices=2), initial
    )
    moved = max(np.abs(w - w0).max() for w, w0 in zip(one.get_weights(), initial, strict=True))
    assert moved > 0.01
    for a, b in zip(one.get_weights(), two.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    for key in ("d_loss", "g_loss", "info_loss"):
        np.testing.assert_allclose(one_history[key], two_history[key], rtol=1e-4)
