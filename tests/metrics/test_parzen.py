import math

import numpy as np
import pytest
from scipy.special import logsumexp

from keras_gan.metrics import parzen_estimate
from keras_gan.metrics import parzen_log_likelihood
from keras_gan.metrics import validation_parzen
from keras_gan.metrics.parzen import DEFAULT_SIGMAS


def reference(points, centres, sigma):
    """parzen_ll.py's formula, brute force in NumPy."""
    x = points.reshape(len(points), -1)[:, None, :]
    mu = centres.reshape(len(centres), -1)[None, :, :]
    a = (x - mu) / sigma
    e = logsumexp(-0.5 * (a**2).sum(axis=2), axis=1) - math.log(len(centres))
    return e - mu.shape[2] * math.log(sigma * math.sqrt(2 * math.pi))


def test_matches_a_brute_force_reference_in_batches():
    rng = np.random.default_rng(0)
    points = rng.uniform(size=(23, 4, 4, 1))
    centres = rng.uniform(size=(37, 4, 4, 1))
    for sigma in (0.1, 0.35, 1.0):
        np.testing.assert_allclose(
            parzen_log_likelihood(points, centres, sigma, batch_size=5),
            reference(points, centres, sigma),
            rtol=1e-9,
        )
    several = parzen_log_likelihood(points, centres, (0.1, 1.0), batch_size=7)
    assert several.shape == (2, 23)
    np.testing.assert_allclose(several[1], reference(points, centres, 1.0), rtol=1e-9)


def test_the_paper_sigma_grid():
    assert len(DEFAULT_SIGMAS) == 10
    assert DEFAULT_SIGMAS[0] == pytest.approx(0.1) and DEFAULT_SIGMAS[-1] == pytest.approx(1.0)


def test_data_is_likelier_under_itself_than_noise_is():
    rng = np.random.default_rng(1)
    data = rng.normal(0.0, 0.05, size=(200, 10)) + np.repeat(rng.uniform(size=(4, 10)), 50, 0)
    noise = rng.uniform(size=(200, 10))
    held_out = data[::2] + rng.normal(0, 0.01, size=(100, 10))
    assert (
        parzen_log_likelihood(held_out, data, 0.1).mean()
        > parzen_log_likelihood(held_out, noise, 0.1).mean()
    )


def test_sigma_search_picks_the_known_best_and_reports_the_test_mean():
    # One centre at 0 and 1-D points at +-s: ll(sigma) = -s^2/(2 sigma^2) - log(sigma sqrt(2 pi)),
    # largest at sigma = s, here the 4th width of the paper's grid.
    s = DEFAULT_SIGMAS[3]
    validation = np.array([[s], [-s]] * 5)
    test = np.random.default_rng(2).normal(0.0, 0.3, size=(50, 1))
    result = parzen_estimate(np.zeros((1, 1)), test, validation)
    assert result["parzen_sigma"] == pytest.approx(s)
    expected = reference(test, np.zeros((1, 1)), s)
    assert result["parzen_ll"] == pytest.approx(expected.mean())
    assert result["parzen_se"] == pytest.approx(expected.std() / math.sqrt(50))
    assert max(result["validation_ll"], key=result["validation_ll"].get) == pytest.approx(s)


def test_validation_parzen_is_the_value_at_the_width_the_estimate_picks():
    # The checkpoint chooser (--keep_best) and the reported estimate agree on the width:
    # the analytic case above, where the best mean is at the 4th width.
    s = DEFAULT_SIGMAS[3]
    validation = np.array([[s], [-s]] * 5)
    value = validation_parzen(np.zeros((1, 1)), validation)
    assert value == pytest.approx(-0.5 - math.log(s * math.sqrt(2 * math.pi)))
    result = parzen_estimate(np.zeros((1, 1)), np.zeros((3, 1)), validation)
    assert value == pytest.approx(result["validation_ll"][result["parzen_sigma"]])


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.zeros((2, 3)), np.zeros((2, 4)), 0.1), "same size per sample"),
        ((np.zeros((2, 3)), np.zeros((2, 3)), 0.0), "`sigma` must be positive"),
        ((np.zeros(3), np.zeros((2, 3)), 0.1), "`points` must be shaped"),
    ],
)
def test_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        parzen_log_likelihood(*args)
