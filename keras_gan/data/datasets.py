"""Data sets by name: synthetic, a folder of images, an .npz file, or any TFDS name;
loaded into memory (`load_dataset`) or read as a run needs them (`open_stream`)."""

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from keras_gan.data import synthetic
from keras_gan.data.cifar10_npz import is_cifar10_npz_folder
from keras_gan.data.cifar10_npz import load_cifar10_npz
from keras_gan.data.image_folder import list_image_files
from keras_gan.data.image_folder import load_image_folder
from keras_gan.data.npz_file import load_npz_files
from keras_gan.data.streaming import DataSourceImages
from keras_gan.data.streaming import ImageFiles
from keras_gan.data.streaming import make_data_source_pipeline
from keras_gan.data.streaming import make_streaming_pipeline
from keras_gan.data.tfds_images import load_tfds_images
from keras_gan.data.tfds_images import tfds_data_source

SYNTHETIC = {
    "gaussian_1d": lambda n, seed: synthetic.gaussian_1d(n, mean=4.0, std=0.5, seed=seed),
    "ring": lambda n, seed: synthetic.ring(n, seed=seed),
    "grid": lambda n, seed: synthetic.grid(n, seed=seed),
}
# The labelled synthetic sets: (samples, labels), labels the mixture component.
LABELLED_SYNTHETIC = {
    "ring": lambda n, seed: synthetic.ring(n, seed=seed, return_labels=True),
    "grid": lambda n, seed: synthetic.grid(n, seed=seed, return_labels=True),
}
FILE_SETS = ("folder", "npz")
# Mixtures whose modes are known: (mode centres, the std of every mode).
MODES = {
    "ring": (synthetic.ring_modes(), 0.02),
    "grid": (synthetic.grid_modes(), 0.05),
}
# Images of a stream held in memory for what reads data outside the batches (pictures,
# evaluation): `Stream.in_memory_sample`.
STREAM_IN_MEMORY = 10_000


@dataclasses.dataclass(frozen=True)
class LabelledSamples:
    """Samples with one integer class id each, and the names of the classes.

    Attributes:
        samples: `(N, ...)` float32 array.
        labels: `(N,)` int32 class ids in [0, len(class_names)).
        class_names: the name of each class id.
    """

    samples: np.ndarray
    labels: np.ndarray
    class_names: tuple

    @property
    def num_classes(self):
        return len(self.class_names)


def load_dataset(
    name,
    data_dir=None,
    manual_dir=None,
    split="train",
    num_samples=50000,
    seed=0,
    with_labels=False,
):
    """Loads a data set's samples by name.

    Args:
        name: `"ring"`, `"grid"`, `"gaussian_1d"` (synthetic, no files);
            `"folder"` (images below `data_dir`); `"npz"` (the `.npz` files
            `data_dir` names: one, a folder of them, or a comma-separated
            list); anything else is a tensorflow-datasets name such as
            `"mnist"`, `"fashion_mnist"` or `"cifar10"`.
        data_dir: the folder or files for `folder` / `npz`; TFDS's data
            directory for TFDS names.
        manual_dir: for TFDS names, a folder of the original files to prepare
            the data set from without network. For `"cifar10"` it may
            instead hold the three lossless .npz files `keras_gan.data.
            cifar10_npz` reads (then TFDS is not used).
        split: TFDS split.
        num_samples: size of a synthetic set.
        seed: seed of a synthetic set.
        with_labels: return the samples' classes too, as `LabelledSamples`:
            TFDS's supervised label, the class subfolders of a folder, the
            array `y` of an .npz file, the component of `ring` and `grid`.

    Returns:
        A NumPy array of samples (synthetic, folder, npz), or a
        `tf.data.Dataset` of `(image, label)` pairs (TFDS; an array for
        CIFAR-10 from .npz files), images in [0, 1];
        with labels, `LabelledSamples` (in memory).

    Raises:
        ValueError: if the data cannot be found or read; the message names it.
    """
    if with_labels:
        return _load_labelled(name, data_dir, manual_dir, split, num_samples, seed)
    if name in SYNTHETIC:
        return SYNTHETIC[name](num_samples, seed)
    if name in FILE_SETS:
        _check_data_dir(name, data_dir)
        return load_image_folder(data_dir) if name == "folder" else load_npz_files(data_dir)
    if _cifar10_from_npz(name, manual_dir):
        return load_cifar10_npz(manual_dir, split=split)
    return load_tfds_images(name, split=split, data_dir=data_dir, manual_dir=manual_dir)


@dataclasses.dataclass(frozen=True)
class Stream:
    """A data set read from its files as a run needs it (`open_stream`).

    Attributes:
        make_pipeline: `make_pipeline(batch_size, seed, epochs, start_step=0,
            steps_per_epoch=None, labels=None, input_context=None, ...)`,
            the batches of `make_epoch_pipeline` (same order, same values)
            decoded when due; returns `(dataset, steps_per_epoch)`.
        images: every image as a read-only array-like decoded on indexing
            (`ImageFiles`, `DataSourceImages`), for code that walks the whole
            set a chunk at a time, such as the nearest-neighbour search.
        labels: the class ids to pass as `make_pipeline(labels=...)` (an
            image folder's subfolders), or None: unconditional, or a TFDS
            pipeline that reads the label with each image.
        class_names: the class names, or None without labels.
    """

    make_pipeline: Callable[..., Any]
    images: Any
    labels: np.ndarray | None
    class_names: tuple | None

    def in_memory_sample(self, seed, count=STREAM_IN_MEMORY):
        """Up to `count` images drawn by `seed`, in file order, as an array.

        Drawn, not a prefix: a folder's sorted order groups the classes, so
        its first images would hold a few classes only.
        """
        total = len(self.images)
        if total <= count:
            return self.images[:]
        rng = np.random.default_rng(seed)
        return self.images[np.sort(rng.choice(total, count, replace=False))]


def open_stream(name, data_dir=None, manual_dir=None, split="train", with_labels=False):
    """A data set larger than memory: its files, read by the batch (`Stream`).

    The streaming twin of `load_dataset` for image sets: `"folder"` (the
    images below `data_dir`, class subfolders as labels) or a TFDS name,
    prepared as array_record in `data_dir` (offline from `manual_dir`) and
    read by index.

    Args:
        name: `"folder"` or a TFDS name.
        data_dir, manual_dir, split: as for `load_dataset`.
        with_labels: read the images' classes too.

    Returns:
        A `Stream`.

    Raises:
        ValueError: for synthetic sets and .npz files (made or read whole in
            memory), CIFAR-10 from its .npz files, a TFDS set without labels
            when `with_labels`, or data that cannot be found; the message
            names what was received.
    """
    if name in SYNTHETIC or name == "npz":
        raise ValueError(
            "Only image folders and TFDS sets stream; synthetic sets and .npz files are made "
            f"or read whole in memory. Received: dataset={name!r}"
        )
    if name == "folder":
        _check_data_dir(name, data_dir)
        files, labels, class_names = list_image_files(data_dir, with_labels=with_labels)
        return Stream(
            functools.partial(make_streaming_pipeline, files),
            ImageFiles(files),
            labels,
            class_names,
        )
    if _cifar10_from_npz(name, manual_dir):
        raise ValueError(
            "Streaming reads TFDS sets prepared from their original archive; CIFAR-10 from its "
            ".npz files is read into memory (150 MB), so load it instead of streaming. "
            f"Received: manual_dir={manual_dir}"
        )
    source, keys, class_names = tfds_data_source(
        name, split=split, data_dir=data_dir, manual_dir=manual_dir
    )
    if with_labels and class_names is None:
        raise ValueError(
            f"Class labels were asked for, and {name!r} has none. Received: dataset={name!r}"
        )
    make = functools.partial(make_data_source_pipeline, source, with_labels=with_labels, keys=keys)
    return Stream(
        make, DataSourceImages(source, keys[0]), None, class_names if with_labels else None
    )


def _load_labelled(name, data_dir, manual_dir, split, num_samples, seed):
    if name in LABELLED_SYNTHETIC:
        samples, labels = LABELLED_SYNTHETIC[name](num_samples, seed)
        names = tuple(f"mode {i}" for i in range(int(labels.max()) + 1))
        return LabelledSamples(samples, labels, names)
    if name in SYNTHETIC:
        raise ValueError(
            f"dataset={name!r} has no classes; the labelled synthetic sets are "
            f"{sorted(LABELLED_SYNTHETIC)}. Received: dataset={name!r}"
        )
    if name in FILE_SETS:
        _check_data_dir(name, data_dir)
        load = load_image_folder if name == "folder" else load_npz_files
        return LabelledSamples(*load(data_dir, with_labels=True))
    if _cifar10_from_npz(name, manual_dir):
        return LabelledSamples(*load_cifar10_npz(manual_dir, split=split, with_labels=True))
    dataset, names = load_tfds_images(
        name, split=split, data_dir=data_dir, manual_dir=manual_dir, with_class_names=True
    )
    chunks = list(dataset.batch(4096).as_numpy_iterator())
    if not chunks:
        raise ValueError(f"The split {split!r} of {name!r} holds no samples.")
    samples = np.concatenate([images for images, _ in chunks]).astype("float32", copy=False)
    labels = np.concatenate([labels for _, labels in chunks]).astype("int32")
    return LabelledSamples(samples, labels, names)


def _cifar10_from_npz(name, manual_dir):
    return name == "cifar10" and manual_dir is not None and is_cifar10_npz_folder(manual_dir)


def _check_data_dir(name, data_dir):
    if not data_dir:
        raise ValueError(
            f"dataset={name!r} reads its data from data_dir, which is not set. "
            f"Received: data_dir={data_dir!r}"
        )
