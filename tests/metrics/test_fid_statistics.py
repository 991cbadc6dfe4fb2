"""Reference statistics of the standard FID: computed once, resumable, checked when read."""

import numpy as np
import pytest

from keras_gan.metrics import compute_fid_statistics
from keras_gan.metrics import frechet_distance
from keras_gan.metrics import frechet_distance_of_moments
from keras_gan.metrics import load_fid_statistics
from keras_gan.metrics.fid_statistics import FeatureMoments

DESCRIPTION = {"dataset": "cifar10", "split": "train", "weights_sha256": "ab12"}


class Features:
    """A cheap stand-in network: fixed random projection of the flattened images,
    counting the images it is shown and failing after `fail_after` of them."""

    feature_batch_size = 4

    def __init__(self, fail_after=None):
        self.projection = np.random.default_rng(1).normal(size=(2 * 2 * 3, 5))
        self.seen = 0
        self.fail_after = fail_after

    def __call__(self, images):
        if self.fail_after is not None and self.seen >= self.fail_after:
            raise KeyboardInterrupt("stopped by the test")
        self.seen += len(images)
        return np.asarray(images, "float64").reshape(len(images), -1) @ self.projection


def images(count=30):
    return np.random.default_rng(0).uniform(size=(count, 2, 2, 3))


def moments_of(features):
    return features.mean(axis=0), np.cov(features, rowvar=False)


def test_running_moments_equal_numpy_in_any_batching():
    features = np.random.default_rng(0).normal(3.0, 2.0, size=(101, 7))
    moments = FeatureMoments(7)
    for start, stop in ((0, 1), (1, 50), (50, 101)):
        moments.add(features[start:stop])
    mean, covariance = moments_of(features)
    np.testing.assert_allclose(moments.mean(), mean, rtol=1e-12)
    np.testing.assert_allclose(moments.covariance(), covariance, rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match=r"Features must be \(N, 7\). Received: shape \(3, 6\)"):
        moments.add(np.zeros((3, 6)))


def test_the_fid_of_moments_is_the_fid_of_the_features():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(200, 6)), rng.normal(0.5, 1.5, size=(150, 6))
    expected = frechet_distance(a, b)
    assert frechet_distance_of_moments(*moments_of(a), *moments_of(b)) == pytest.approx(expected)
    with pytest.raises(ValueError, match="same dimension"):
        frechet_distance_of_moments(*moments_of(a), *moments_of(b[:, :5]))


def test_statistics_are_written_in_ttur_format_and_never_overwritten(tmp_path):
    network = Features()
    output = tmp_path / "stats.npz"
    mu, sigma = compute_fid_statistics(network, images(), output, DESCRIPTION)
    nested = compute_fid_statistics(Features(), images(), tmp_path / "new/stats.npz", DESCRIPTION)
    np.testing.assert_array_equal(nested[0], mu)  # a missing folder is made, before the work
    expected = moments_of(Features()(images()))
    np.testing.assert_allclose(mu, expected[0], rtol=1e-12)
    np.testing.assert_allclose(sigma, expected[1], rtol=1e-10, atol=1e-12)
    with np.load(output) as stored:  # TTUR's and pytorch-fid's readers use these two keys
        np.testing.assert_array_equal(stored["mu"], mu)
        np.testing.assert_array_equal(stored["sigma"], sigma)
        assert str(stored["num_images"]) == "30" and str(stored["split"]) == "train"
    before = output.read_bytes()
    with pytest.raises(ValueError, match="never overwritten"):
        compute_fid_statistics(network, images(), output, DESCRIPTION)
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "stats.npz"]


def test_an_interrupted_computation_continues_where_it_saved(tmp_path):
    output = tmp_path / "stats.npz"
    with pytest.raises(KeyboardInterrupt):
        compute_fid_statistics(Features(fail_after=20), images(), output, DESCRIPTION, save_every=8)
    assert not output.exists()
    assert (tmp_path / ".partial-stats.npz").exists()  # saved at 8 and 16 images
    with pytest.raises(ValueError, match=r"partial statistics of .*'split': 'train'.*not of"):
        compute_fid_statistics(Features(), images(), output, {**DESCRIPTION, "split": "test"})
    resumed = Features()
    mu, sigma = compute_fid_statistics(resumed, images(), output, DESCRIPTION, save_every=8)
    assert resumed.seen == 30 - 16
    straight = compute_fid_statistics(Features(), images(), tmp_path / "straight.npz", DESCRIPTION)
    np.testing.assert_allclose(mu, straight[0], rtol=1e-12)
    np.testing.assert_allclose(sigma, straight[1], rtol=1e-10, atol=1e-12)
    assert not (tmp_path / ".partial-stats.npz").exists()


def test_reading_checks_the_keys_shapes_and_description(tmp_path):
    mu, sigma = np.zeros(3), np.eye(3)
    ttur = tmp_path / "fid_stats_cifar10_train.npz"
    np.savez(ttur, mu=mu, sigma=sigma)
    read = load_fid_statistics(ttur, DESCRIPTION)  # records nothing: taken as described
    np.testing.assert_array_equal(read[1], sigma)
    ours = tmp_path / "ours.npz"
    np.savez(ours, mu=mu, sigma=sigma, **DESCRIPTION)
    with pytest.raises(ValueError, match=r"computed for split=train, not test"):
        load_fid_statistics(ours, {**DESCRIPTION, "split": "test"})
    np.savez(tmp_path / "bad.npz", mu=mu, sigma=np.eye(2))
    with pytest.raises(ValueError, match=r"mu \(3,\), sigma \(2, 2\)"):
        load_fid_statistics(tmp_path / "bad.npz")
    np.savez(tmp_path / "other.npz", mean=mu)
    with pytest.raises(ValueError, match=r"need arrays `mu` and `sigma`.*\['mean'\]"):
        load_fid_statistics(tmp_path / "other.npz")
    (tmp_path / "text.npz").write_text("not numpy")
    with pytest.raises(ValueError, match="Cannot read FID statistics"):
        load_fid_statistics(tmp_path / "text.npz")


def test_evaluate_writes_the_reference_statistics_once_and_reads_them_after(tmp_path):
    from keras_gan import GAN
    from keras_gan.metrics.evaluate import evaluate
    from keras_gan.metrics.fid_inception import fid_inception_v3
    from keras_gan.models import MaxoutDiscriminator
    from keras_gan.models import MLPGenerator

    # The 2015 graph with random weights: this test is about the bookkeeping, not the
    # network (tests/metrics/test_fid_inception.py compares the real weights with torch).
    weights = tmp_path / "random_fid_inception.weights.h5"
    fid_inception_v3().save_weights(weights)
    gan = GAN(
        MLPGenerator(latent_dim=4, data_shape=(32, 32, 3), hidden_units=(8,)),
        MaxoutDiscriminator(hidden_units=(4,), num_pieces=2),
        seed=0,
    )
    gan.compile()
    gan.save(tmp_path / "gan.keras")
    data = tmp_path / "images.npz"
    np.savez(data, x=np.random.default_rng(0).integers(0, 256, (6, 32, 32, 3), np.uint8))
    options = dict(metrics=["fid_inception"], num_samples=4, inception_weights=weights)
    direct = evaluate(tmp_path / "gan.keras", "npz", data_dir=str(data), **options)
    stats = tmp_path / "reference.npz"
    first = evaluate(
        tmp_path / "gan.keras", "npz", data_dir=str(data), reference_statistics=stats, **options
    )
    assert first["fid_inception"] == pytest.approx(direct["fid_inception"], rel=1e-6)
    assert stats.exists()
    data.unlink()  # the reference images are no longer needed
    again = evaluate(
        tmp_path / "gan.keras", "npz", data_dir=str(data), reference_statistics=stats, **options
    )
    assert again["fid_inception"] == first["fid_inception"]
    with pytest.raises(ValueError, match=r"computed for split=train, not train\[:3\]"):
        evaluate(
            tmp_path / "gan.keras",
            "npz",
            reference_split="train[:3]",
            reference_statistics=stats,
            **options,
        )
    with pytest.raises(ValueError, match="reference side of fid_inception"):
        evaluate(tmp_path / "gan.keras", "npz", metrics=["fid"], reference_statistics=stats)


def test_a_contrast_normalised_run_is_scored_on_restored_pixels(tmp_path, gcn_run):
    from keras_gan.data import gcn_to_pixels
    from keras_gan.data import global_contrast_normalize
    from keras_gan.metrics.evaluate import evaluate
    from keras_gan.metrics.evaluate import trained_contrast_normalization
    from keras_gan.metrics.fid_inception import FIDInceptionFeatures
    from keras_gan.metrics.fid_inception import fid_inception_v3

    weights = tmp_path / "random_fid_inception.weights.h5"
    fid_inception_v3().save_weights(weights)
    # A run's layout: config.json records --gcn, the checkpoint holds the GAN.
    gan, checkpoint = gcn_run((32, 32, 3), 55.0)
    run = tmp_path / "run"
    images = np.random.default_rng(0).integers(0, 256, (6, 32, 32, 3), np.uint8)
    data = tmp_path / "images.npz"
    np.savez(data, x=images)
    options = dict(data_dir=str(data), num_samples=4, inception_weights=weights)
    results = evaluate(
        checkpoint, "npz", metrics=["fid_inception", "fid_inception_round_trip"], **options
    )
    assert results["gcn"] == 55.0
    # By hand: samples and real images get the brightness and contrast of reference images.
    network = FIDInceptionFeatures(weights)
    real = images / 255.0
    features = network.features_and_logits(real)[0]
    samples = gcn_to_pixels(gan.generate(4, seed=0), real, scale=55.0, seed=0)
    round_trip = gcn_to_pixels(global_contrast_normalize(real), real, scale=55.0, seed=0)
    expected = frechet_distance(features, network.features_and_logits(samples)[0])
    assert results["fid_inception"] == pytest.approx(expected, rel=1e-5)
    expected = frechet_distance(features, network.features_and_logits(round_trip)[0])
    assert results["fid_inception_round_trip"] == pytest.approx(expected, rel=1e-5)
    # Read from the run whichever way the model is named; a contradiction is refused.
    for named in (run, run / "checkpoints", checkpoint / "gan.keras"):
        assert trained_contrast_normalization(named) == 55.0
    with pytest.raises(ValueError, match=r"match the run, which trained with gcn=55.0.*gcn=0"):
        evaluate(checkpoint / "gan.keras", "npz", metrics=["fid_inception"], gcn=0, **options)
    # A .keras file outside a run was trained on pixels unless told otherwise.
    gan.save(tmp_path / "gan.keras")
    assert trained_contrast_normalization(tmp_path / "gan.keras") == 0.0
    assert trained_contrast_normalization(tmp_path / "gan.keras", gcn=55) == 55.0
    with pytest.raises(ValueError, match=r"trained on pixels.*gcn=0.0"):
        evaluate(tmp_path / "gan.keras", "npz", metrics=["fid_inception_round_trip"], **options)
