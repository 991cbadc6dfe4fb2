import numpy as np
import pytest

from keras_gan.metrics import mode_coverage

MODES = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])


def test_exact_counts_on_hand_made_samples():
    samples = np.concatenate(
        [
            np.tile([0.05, 0.0], (25, 1)),  # mode 0: 25 good samples, covered
            np.tile([10.0, 0.05], (19, 1)),  # mode 1: 19 good samples, one short
            np.tile([5.0, 5.0], (6, 1)),  # far from every mode
        ]
    )
    result = mode_coverage(samples, MODES, std=0.1, min_samples=20)
    assert result == {"modes_covered": 1, "num_modes": 3, "high_quality_fraction": 44 / 50}
    assert mode_coverage(samples, MODES, std=0.1, min_samples=19)["modes_covered"] == 2


def test_quality_radius_is_num_stds_standard_deviations():
    samples = np.array([[0.29, 0.0], [0.31, 0.0]])
    assert mode_coverage(samples, MODES, std=0.1, min_samples=1)["high_quality_fraction"] == 0.5
    result = mode_coverage(samples, MODES, std=0.1, min_samples=1, num_stds=4)
    assert result["high_quality_fraction"] == pytest.approx(1.0)
