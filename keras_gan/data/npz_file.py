"""A NumPy `.npz` array file as a data set."""

import os
import zipfile

import numpy as np


def load_npz(path, key=None):
    """Reads samples from a `.npz` file as float32.

    Integer arrays are taken as 8-bit pixels and scaled to [0, 1]; float
    arrays are returned as they are. A `(N, H, W)` array gets a channel axis.

    Args:
        path: the `.npz` file.
        key: the array to read; default: `"x"` if present, else the only array.

    Returns:
        `(N, ...)` float32 array.

    Raises:
        ValueError: if the file is missing or not an `.npz` archive, the array
            is not found, holds fewer than one sample dimension, or holds NaN
            or infinite values.
    """
    if not os.path.isfile(path):
        raise ValueError(f"The .npz file does not exist. Received: data_dir={str(path)!r}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            keys = list(archive.keys())
            if key is None:
                if "x" in keys:
                    key = "x"
                elif len(keys) == 1:
                    key = keys[0]
                else:
                    raise ValueError(
                        f"{str(path)!r} holds several arrays {keys} and none is named 'x'; "
                        "name the one to use."
                    )
            if key not in keys:
                raise ValueError(f"{str(path)!r} has no array {key!r}. Received arrays: {keys}")
            array = archive[key]
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ValueError(f"Cannot read {str(path)!r} as an .npz archive: {error}") from error
    if array.ndim < 2 or len(array) == 0:
        raise ValueError(
            f"The array {key!r} in {str(path)!r} must be shaped (num_samples, ...). "
            f"Received: shape {array.shape}"
        )
    if np.issubdtype(array.dtype, np.floating) and not np.isfinite(array).all():
        first = int(np.argwhere(~np.isfinite(array.reshape(len(array), -1)))[0, 0])
        raise ValueError(
            f"The array {key!r} in {str(path)!r} holds NaN or infinite values "
            f"(the first in sample {first}); a GAN cannot learn from them."
        )
    if array.ndim == 3:
        array = array[..., None]
    if np.issubdtype(array.dtype, np.integer):
        return array.astype("float32") / 255.0
    return array.astype("float32")
