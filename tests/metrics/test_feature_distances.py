import keras
import numpy as np
import pytest
import scipy.linalg

from keras_gan.metrics import extract_features
from keras_gan.metrics import frechet_distance
from keras_gan.metrics import inception_score
from keras_gan.metrics import kernel_distance
from keras_gan.metrics import precision_recall
from keras_gan.models.labels import balanced_labels


def reference_fid(a, b):
    """The usual FID code: scipy's matrix square root."""
    mean_a, mean_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(cov_a @ cov_b).real
    return ((mean_a - mean_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root)


def reference_kid(x, y):
    d = x.shape[1]
    k = lambda u, v: (u @ v.T / d + 1) ** 3  # noqa: E731
    m = len(x)
    kxx, kyy = k(x, x), k(y, y)
    return (
        (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
        + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
        - 2 * k(x, y).mean()
    )


def test_frechet_distance_matches_scipy_and_grows_with_a_shift():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(500, 6))
    b = rng.normal(size=(400, 6)) @ rng.normal(size=(6, 6)) * 0.5 + 0.3
    assert frechet_distance(a, b) == pytest.approx(reference_fid(a, b), rel=1e-6)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    shifts = [frechet_distance(a, a + shift) for shift in (0.1, 0.5, 1.0)]
    assert shifts == pytest.approx([6 * s**2 for s in (0.1, 0.5, 1.0)], rel=1e-6)


def test_kernel_distance_matches_the_unbiased_formula():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(60, 5)), rng.normal(0.5, 1.0, size=(60, 5))
    mean, std = kernel_distance(a, b, num_subsets=1, subset_size=60)
    assert mean == pytest.approx(reference_kid(a, b), rel=1e-9) and std == 0
    # Unbiased: two samples of one distribution are ~0 apart (the same set is not exactly 0).
    c, d = rng.normal(size=(1000, 5)), rng.normal(size=(1000, 5))
    same, spread = kernel_distance(c, d, num_subsets=20, subset_size=500)
    assert abs(same) < 0.02 * mean and abs(same) < 3 * spread
    near, _ = kernel_distance(c, d + 0.3, num_subsets=20, subset_size=500)
    far, _ = kernel_distance(c, d + 1.0, num_subsets=20, subset_size=500)
    assert abs(same) < near < far


def test_precision_and_recall():
    rng = np.random.default_rng(2)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    real = np.repeat(centres, 100, axis=0) + rng.normal(0, 0.5, size=(400, 2))
    assert precision_recall(real, real) == (1.0, 1.0)
    # A generator that dropped two of the four modes: precise, but recalls half.
    dropped = real[:200] + rng.normal(0, 0.05, size=(200, 2))
    precision, recall = precision_recall(real, dropped)
    assert precision > 0.9
    assert 0.4 < recall < 0.6
    # Samples off the data: recall and precision both fall.
    off = precision_recall(real, real + 5.0)[0]
    assert off < 0.1


def test_features_come_batch_by_batch_from_any_keras_model():
    model = keras.Sequential(
        [keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(3)]
    )
    images = np.random.default_rng(3).uniform(size=(11, 4, 4, 1)).astype("float32")
    features = extract_features(model, images, batch_size=4)
    assert features.shape == (11, 3) and features.dtype == np.float64
    np.testing.assert_allclose(features, model.predict(images, verbose=0), rtol=1e-5, atol=1e-6)


def test_mismatched_features_are_refused():
    with pytest.raises(ValueError, match=r"Received: shapes \(3, 2\) and \(3, 4\)"):
        frechet_distance(np.zeros((3, 2)), np.zeros((3, 4)))


def test_inception_score_known_answers():
    # Confident and evenly spread over 10 classes: the score is 10 in one part.
    confident = np.full((1000, 10), -50.0)
    confident[np.arange(1000), np.arange(1000) % 10] = 50.0
    mean, std = inception_score(confident, splits=1)
    assert abs(mean - 10.0) < 1e-9 and std == 0.0
    # In 10 random parts of 100 the classes are nearly even: just under 10.
    mean, std = inception_score(confident, splits=10)
    assert 9.5 < mean < 10.0 and 0.0 < std < 0.2
    # One class for all, or no opinion at all: 1.
    assert abs(inception_score(np.tile(confident[:1], (100, 1)))[0] - 1.0) < 1e-9
    assert abs(inception_score(np.zeros((100, 10)))[0] - 1.0) < 1e-9
    # Confident over 4 of the classes: 4.
    four = confident[np.arange(1000) % 10 < 4]
    assert abs(inception_score(four, splits=1)[0] - 4.0) < 1e-9
    with pytest.raises(ValueError, match=r"N >= splits=10. Received: shape \(5, 10\)"):
        inception_score(np.zeros((5, 10)))


def test_inception_score_does_not_depend_on_the_order_of_the_samples():
    # A conditional generator's samples come in class order (balanced_labels):
    # cut into 10 consecutive parts, each part would hold one class and score 1.
    class_ordered = np.full((10000, 10), -50.0)
    class_ordered[np.arange(10000), balanced_labels(10000, 10)] = 50.0
    shuffled = class_ordered[np.random.default_rng(1).permutation(10000)]
    ordered_score = inception_score(class_ordered)
    assert ordered_score[0] > 9.9
    assert inception_score(shuffled) == ordered_score
    # Any logits, any order: the same parts, so the same score to the last bit.
    logits = np.random.default_rng(0).normal(scale=3.0, size=(500, 7))
    assert inception_score(logits[::-1], splits=5) == inception_score(logits, splits=5)
    # The seed draws the parts.
    assert inception_score(logits, splits=5, seed=1) != inception_score(logits, splits=5)
