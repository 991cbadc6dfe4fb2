"""A NumPy `.npz` array file as a data set."""

import os
import zipfile

import numpy as np


def load_npz(path, key=None, with_labels=False):
    """Reads samples from a `.npz` file as float32.

    Integer arrays are taken as 8-bit pixels and scaled to [0, 1]; float
    arrays are returned as they are. A `(N, H, W)` array gets a channel axis.

    With labels, the array `y` holds one integer class id per sample (ids
    0..max(y)); an optional array `class_names` names them (else the ids
    as strings).

    Args:
        path: the `.npz` file.
        key: the array to read; default: `"x"` if present, else the only array.
        with_labels: also return each sample's class.

    Returns:
        `(N, ...)` float32 array; with labels, `(samples, labels,
        class_names)`, labels int32.

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
            if with_labels:
                labels, class_names = _labels(archive, path, len(array))
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
        array = array.astype("float32") / 255.0
    array = array.astype("float32", copy=False)
    return (array, labels, class_names) if with_labels else array


def _labels(archive, path, num_samples):
    if "y" not in archive:
        raise ValueError(
            f"{str(path)!r} has no array 'y' of class labels. Received arrays: "
            f"{list(archive.keys())}"
        )
    labels = archive["y"]
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.dtype.kind not in "iu" or labels.shape != (num_samples,):
        raise ValueError(
            f"The array 'y' in {str(path)!r} must hold one integer class id per sample, "
            f"shape ({num_samples},). Received: {labels.dtype} of shape {labels.shape}"
        )
    if labels.min() < 0:
        raise ValueError(
            f"The class ids in 'y' of {str(path)!r} must be >= 0. Received: {labels.min()}"
        )
    num_classes = int(labels.max()) + 1
    if "class_names" in archive:
        names = tuple(str(n) for n in archive["class_names"])
        if len(names) < num_classes:
            raise ValueError(
                f"'class_names' in {str(path)!r} names {len(names)} classes, but 'y' holds "
                f"ids up to {num_classes - 1}"
            )
    else:
        names = tuple(str(i) for i in range(num_classes))
    return labels.astype("int32"), names


def npz_paths(source):
    """The .npz files `source` names: a file, a folder of them, or a comma-separated list.

    A folder gives its `*.npz` files in name order.

    Raises:
        ValueError: if a folder holds no .npz file.
    """
    if isinstance(source, (list, tuple)):
        return [os.fspath(path) for path in source]
    source = os.fspath(source)
    if os.path.isdir(source):
        paths = sorted(
            os.path.join(source, name) for name in os.listdir(source) if name.endswith(".npz")
        )
        if not paths:
            raise ValueError(f"The folder holds no .npz file. Received: data_dir={source!r}")
        return paths
    return [path for path in source.split(",") if path]


def load_npz_files(source, with_labels=False):
    """Reads and concatenates the samples of one or several .npz files (see `load_npz`).

    Args:
        source: an .npz file, a folder of them (read in name order), a
            comma-separated string or a list of files.
        with_labels: also return each sample's class; every file needs `y`,
            and files that name their classes must name them alike.

    Returns:
        As `load_npz`, over all files in order.

    Raises:
        ValueError: as `load_npz` for each file, and when the files' sample
            shapes or class names differ (naming the two files).
    """
    paths = npz_paths(source)
    if not paths:
        raise ValueError(f"No .npz file given. Received: data_dir={source!r}")
    loaded = [load_npz(path, with_labels=with_labels) for path in paths]
    if len(loaded) == 1:
        return loaded[0]
    arrays = [item[0] if with_labels else item for item in loaded]
    for path, array in zip(paths[1:], arrays[1:], strict=True):
        if array.shape[1:] != arrays[0].shape[1:]:
            raise ValueError(
                f"The .npz files hold samples of different shapes: {arrays[0].shape[1:]} in "
                f"{paths[0]!r}, {array.shape[1:]} in {path!r}"
            )
    samples = np.concatenate(arrays)
    if not with_labels:
        return samples
    named = [(path, names) for path, (_, _, names) in zip(paths, loaded, strict=True)]
    names = max((names for _, names in named), key=len)
    for path, theirs in named:
        if tuple(theirs) != tuple(names[: len(theirs)]):
            raise ValueError(
                f"The .npz files name their classes differently: {list(theirs)} in {path!r}, "
                f"{list(names)} in another"
            )
    return samples, np.concatenate([labels for _, labels, _ in loaded]), names
