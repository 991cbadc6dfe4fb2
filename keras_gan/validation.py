"""Argument checks shared by the package's layers and models.

Each raises a `ValueError` that names the argument and the value received.
"""

import math
import numbers

import numpy as np


def is_finite_number(value):
    """True for a real number (NumPy's too) that is not a bool, NaN or infinity."""
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool | np.bool_)
        and math.isfinite(value)
    )


def positive_int(name, value):
    """Returns `value` as an int, or raises if it is not an integer >= 1."""
    try:
        valid = not isinstance(value, bool) and int(value) == value and value >= 1
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def dropout_rate(name, value):
    """Returns `value` as a float, or raises if it is not in [0, 1)."""
    if not (is_finite_number(value) and 0.0 <= value < 1.0):
        raise ValueError(f"`{name}` must be in [0, 1). Received: {name}={value!r}")
    return float(value)
