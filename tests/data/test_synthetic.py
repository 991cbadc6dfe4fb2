import numpy as np
import pytest

from keras_gan.data import gaussian_1d
from keras_gan.data import ring
from keras_gan.data import ring_modes


def test_gaussian_1d_moments_and_seed():
    x = gaussian_1d(50000, mean=4.0, std=0.5, seed=0)
    assert x.shape == (50000, 1) and x.dtype == np.float32
    assert abs(x.mean() - 4.0) < 0.01 and abs(x.std() - 0.5) < 0.01
    np.testing.assert_array_equal(x, gaussian_1d(50000, mean=4.0, std=0.5, seed=0))


def test_ring_samples_sit_on_their_modes():
    modes = ring_modes(8, radius=2.0)
    np.testing.assert_allclose(np.linalg.norm(modes, axis=1), 2.0, rtol=1e-6)
    x = ring(8000, seed=0)
    nearest = np.linalg.norm(x[:, None] - modes[None], axis=-1)
    assert nearest.min(axis=1).max() < 0.02 * 6  # every sample within 6 std of a mode
    counts = np.bincount(nearest.argmin(axis=1), minlength=8)
    assert counts.min() > 800  # about 1000 each


def test_grid_and_mixture_density():
    from keras_gan.data import grid
    from keras_gan.data import grid_modes
    from keras_gan.data import mixture_density

    modes = grid_modes(5, spacing=2.0)
    assert modes.shape == (25, 2) and modes.min() == -4.0 and modes.max() == 4.0
    x = grid(5000, seed=0)
    assert np.linalg.norm(x[:, None] - modes[None], axis=-1).min(axis=1).max() < 0.05 * 6
    # At a mode (others far away): 1/25 of a 2-D Gaussian peak, 1 / (2 pi std^2).
    peak = mixture_density(np.zeros((1, 2)), modes, std=0.05)[0]
    assert peak == pytest.approx(1 / 25 / (2 * np.pi * 0.05**2), rel=1e-6)
    assert mixture_density(np.array([[1.0, 1.0]]), modes, std=0.05)[0] < 1e-50
