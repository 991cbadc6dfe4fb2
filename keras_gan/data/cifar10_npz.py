"""CIFAR-10 from three lossless .npz files, for machines where TFDS cannot prepare it.

TFDS prepares `cifar10` only from the original `cifar-10-binary.tar.gz`
(it checks the archive's checksum). Where only the images are at hand,
a folder holding `train_part1.npz`, `train_part2.npz` and `test.npz`
(each with `x` uint8 `(N, 32, 32, 3)` and `y` the class ids) serves as
`--manual_dir` instead: the same 50,000 training and 10,000 test images.

The files may store the images in any order (the shared copy sorts them by
class), so they are read in an order of their own content: by the SHA-1 of
each image's pixels. A split such as `train[:40000]` is then a fixed,
class-mixed subset whatever order the files hold, though not the subset
TFDS's order would give.
"""

import hashlib
import os

import numpy as np

FILES = {"train": ("train_part1.npz", "train_part2.npz"), "test": ("test.npz",)}
SIZES = {"train": 50000, "test": 10000}
# TFDS's `cifar10` label names, by class id.
CLASS_NAMES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


def is_cifar10_npz_folder(folder):
    """Whether `folder` holds the three CIFAR-10 .npz files.

    Raises:
        ValueError: if it holds some of them but not all (naming the missing).
    """
    names = [name for names in FILES.values() for name in names]
    missing = [name for name in names if not os.path.isfile(os.path.join(folder, name))]
    if missing and len(missing) < len(names):
        raise ValueError(
            f"CIFAR-10 from .npz files needs {names} in manual_dir; missing: {missing}. "
            f"Received: manual_dir={os.fspath(folder)!r}"
        )
    return not missing


def load_cifar10_npz(folder, split="train", with_labels=False):
    """Reads a TFDS-style split of CIFAR-10 from the three .npz files in `folder`.

    Args:
        folder: holds `train_part1.npz`, `train_part2.npz` and `test.npz`.
        split: a TFDS split string over `train` (50,000) and `test`
            (10,000): `"train"`, `"train[:40000]"`, `"train[80%:]+test"`.
        with_labels: also return the class ids and names.

    Returns:
        float32 `(N, 32, 32, 3)` images in [0, 1]; with labels,
        `(images, labels, class_names)`, labels int32.

    Raises:
        ValueError: for a split TFDS cannot parse or a file that is not the
            expected CIFAR-10 array (count, shape, dtype or class ids).
    """
    import tensorflow_datasets as tfds

    infos = {
        name: tfds.core.SplitInfo(name=name, shard_lengths=[size], num_bytes=0)
        for name, size in SIZES.items()
    }
    try:
        instructions = tfds.core.ReadInstruction.from_spec(split).to_absolute(infos)
    except (ValueError, AssertionError) as error:
        raise ValueError(
            f"Cannot read the split {split!r} of cifar10: {str(error).splitlines()[0]}"
        ) from error
    images, labels = [], []
    for instruction in instructions:
        x, y = _read_split(folder, instruction.splitname)
        chosen = slice(instruction.from_, instruction.to)
        images.append(x[chosen])
        labels.append(y[chosen])
    images = np.concatenate(images).astype("float32") / 255.0
    if not with_labels:
        return images
    return images, np.concatenate(labels).astype("int32"), CLASS_NAMES


def _read_split(folder, split):
    """The split's uint8 images and labels, in the order of their pixels' SHA-1."""
    xs, ys = [], []
    for name in FILES[split]:
        path = os.path.join(folder, name)
        try:
            with np.load(path, allow_pickle=False) as archive:
                xs.append(archive["x"])
                ys.append(archive["y"])
        except (KeyError, ValueError, OSError, EOFError) as error:
            raise ValueError(
                f"Cannot read {path!r} as a CIFAR-10 .npz with arrays 'x' and 'y': {error}"
            ) from error
    x, y = np.concatenate(xs), np.concatenate(ys)
    if x.dtype != np.uint8 or x.shape != (SIZES[split], 32, 32, 3):
        raise ValueError(
            f"The CIFAR-10 {split} images in {FILES[split]} of {folder!r} must be uint8 of "
            f"shape ({SIZES[split]}, 32, 32, 3). Received: {x.dtype} of shape {x.shape}"
        )
    if (
        y.shape != (SIZES[split],)
        or y.dtype.kind not in "iu"
        or y.min() < 0
        or y.max() >= len(CLASS_NAMES)
    ):
        raise ValueError(
            f"The CIFAR-10 {split} labels in {FILES[split]} of {folder!r} must be "
            f"{SIZES[split]} class ids in [0, 10). Received: {y.dtype} of shape {y.shape}"
            + (f", from {y.min()} to {y.max()}" if y.size else "")
        )
    order = np.argsort([hashlib.sha1(image.tobytes()).hexdigest() for image in x], kind="stable")
    return x[order], y[order]
