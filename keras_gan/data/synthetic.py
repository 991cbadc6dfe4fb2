"""Synthetic data sets with known densities: no download, for tests and quick runs."""

import math

import numpy as np


def gaussian_1d(num_samples, mean=0.0, std=1.0, seed=None):
    """Samples of N(mean, std^2) shaped `(num_samples, 1)`: the paper's Figure 1 setting."""
    rng = np.random.default_rng(seed)
    return rng.normal(mean, std, size=(num_samples, 1)).astype("float32")


def ring_modes(num_modes=8, radius=2.0):
    """The `(num_modes, 2)` centres of the ring mixture, evenly spaced on a circle."""
    angles = 2 * math.pi * np.arange(num_modes) / num_modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype("float32")


def ring(num_samples, num_modes=8, radius=2.0, std=0.02, seed=None, return_labels=False):
    """An equal mixture of isotropic Gaussians on a circle, shaped `(num_samples, 2)`.

    The 8-mode ring of the unrolled-GAN and VEEGAN papers (radius 2, std 0.02).
    With `return_labels=True`, returns `(points, labels)`: each point's
    component, an int32 index into `ring_modes(num_modes, radius)`.
    """
    rng = np.random.default_rng(seed)
    labels = rng.integers(num_modes, size=num_samples).astype("int32")
    centres = ring_modes(num_modes, radius)[labels]
    points = (centres + rng.normal(0.0, std, size=(num_samples, 2))).astype("float32")
    return (points, labels) if return_labels else points


def grid_modes(size=5, spacing=2.0):
    """The `(size**2, 2)` centres of the grid mixture, centred on the origin."""
    axis = (np.arange(size) - (size - 1) / 2) * spacing
    xs, ys = np.meshgrid(axis, axis)
    return np.stack([xs.ravel(), ys.ravel()], axis=1).astype("float32")


def grid(num_samples, size=5, spacing=2.0, std=0.05, seed=None, return_labels=False):
    """An equal mixture of isotropic Gaussians on a square grid, shaped `(num_samples, 2)`.

    The 25-mode grid of the VEEGAN and PacGAN papers (5x5, spacing 2, std 0.05).
    With `return_labels=True`, returns `(points, labels)`: each point's
    component, an int32 index into `grid_modes(size, spacing)`.
    """
    rng = np.random.default_rng(seed)
    modes = grid_modes(size, spacing)
    labels = rng.integers(len(modes), size=num_samples).astype("int32")
    points = (modes[labels] + rng.normal(0.0, std, size=(num_samples, 2))).astype("float32")
    return (points, labels) if return_labels else points


def mixture_density(points, modes, std):
    """Density of the equal mixture of N(mode, std^2 I) components at `points`.

    Args:
        points: `(n, d)` points.
        modes: `(m, d)` component means.
        std: standard deviation of every component.

    Returns:
        `(n,)` densities, e.g. to draw the data density under samples.
    """
    points = np.asarray(points, dtype="float64")
    modes = np.asarray(modes, dtype="float64")
    dim = points.shape[1]
    squared = ((points[:, None, :] - modes[None, :, :]) ** 2).sum(-1)
    normaliser = (2 * math.pi * std**2) ** (dim / 2)
    return np.exp(-squared / (2 * std**2)).mean(axis=1) / normaliser
