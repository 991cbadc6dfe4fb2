"""Mode coverage and sample quality on mixtures with known modes."""

import numpy as np


def mode_coverage(samples, modes, std, min_samples=20, num_stds=3.0):
    """Counts the modes a generator covers and the share of good samples.

    A sample is high quality when it lies within `num_stds` standard
    deviations of its nearest mode; a mode is covered when at least
    `min_samples` high-quality samples are nearest to it.

    Args:
        samples: `(n, d)` generated samples.
        modes: `(m, d)` mode centres.
        std: standard deviation of each mixture component.
        min_samples: high-quality samples a mode needs to count as covered.
        num_stds: radius of "high quality", in standard deviations.

    Returns:
        A dict with `modes_covered` (int), `num_modes` (int) and
        `high_quality_fraction` (float in [0, 1]).

    Reference:
        Metz et al., "Unrolled Generative Adversarial Networks", ICLR 2017;
        Srivastava et al., "VEEGAN", NIPS 2017.
    """
    samples = np.asarray(samples, dtype="float64")
    modes = np.asarray(modes, dtype="float64")
    distances = np.linalg.norm(samples[:, None, :] - modes[None, :, :], axis=-1)
    nearest = distances.argmin(axis=1)
    good = distances[np.arange(len(samples)), nearest] <= num_stds * std
    counts = np.bincount(nearest[good], minlength=len(modes))
    return {
        "modes_covered": int((counts >= min_samples).sum()),
        "num_modes": len(modes),
        "high_quality_fraction": float(good.mean()) if len(samples) else 0.0,
    }
