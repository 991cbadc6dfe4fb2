"""Image data sets from tensorflow-datasets, prepared offline when asked."""

import os

import requests
import tensorflow as tf


def load_tfds_images(name, split="train", data_dir=None, manual_dir=None, with_class_names=False):
    """Loads a TFDS image data set as a `tf.data.Dataset` of float32 images in [0, 1].

    Args:
        name: TFDS name, e.g. `"mnist"`, `"fashion_mnist"`, `"cifar10"`.
        split: TFDS split, e.g. `"train"` or `"train[:50000]"`.
        data_dir: TFDS data directory (prepared data is kept and reused there).
        manual_dir: folder of the data set's original files (for MNIST the
            four `*-ubyte.gz` IDX files); the data set is then prepared from
            them without network access.
        with_class_names: also return the names of the label's classes.

    Returns:
        A dataset of `(image, label)` pairs, images float32 in [0, 1]; with
        `with_class_names`, `(dataset, class_names)`.

    Raises:
        ValueError: for an unknown name, a `manual_dir` that is not a folder,
            a file in it that is not the original (wrong checksum), or a data
            set that needs a download when there is no network.
    """
    builder = _prepared_builder(name, data_dir, manual_dir)
    dataset = builder.as_dataset(split=split, as_supervised=True).map(
        lambda image, label: (tf.cast(image, tf.float32) / 255.0, label),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    if not with_class_names:
        return dataset
    return dataset, _class_names(builder, name)


def tfds_data_source(name, split="train", data_dir=None, manual_dir=None):
    """A TFDS image data set as a random-access source, for data larger than memory.

    Prepared (once, offline with `manual_dir`, as `load_tfds_images`) in
    TFDS's `array_record` format, which `tfds.data_source` reads by index;
    `keras_gan.data.make_data_source_pipeline` streams it in the run's epoch
    order. The examples are in the order `load_tfds_images` gives them.

    Returns:
        `(source, keys, class_names)`: the source, the supervised (image,
        label) keys, and the label's class names (None if it has none).

    Raises:
        ValueError: as `load_tfds_images`, and if `data_dir` already holds
            the data set in another format (prepare it in another folder).
    """
    try:
        builder = _prepared_builder(name, data_dir, manual_dir, file_format="array_record")
    except ValueError as error:
        if "File format is already set" not in str(error):
            raise
        # TFDS's words: "File format is already set to FileFormat.TFRECORD. Got ...".
        raise ValueError(
            f"Streaming reads TFDS sets by index, from the array_record format; data_dir holds "
            f"{name!r} in another format ({str(error).split('already set to ')[-1]}). Give "
            f"another data_dir (it is prepared there once). Received: data_dir={data_dir!r}"
        ) from error
    keys = builder.info.supervised_keys or ("image", "label")
    try:
        names = _class_names(builder, name)
    except ValueError:
        names = None
    return builder.as_data_source(split=split), tuple(keys), names


def _class_names(builder, name):
    supervised = builder.info.supervised_keys
    names = getattr(builder.info.features[supervised[1]], "names", None) if supervised else None
    if not names:
        raise ValueError(
            f"{name!r} has no class labels (tensorflow-datasets lists no ClassLabel as its "
            f"supervised target), so it cannot train a conditional GAN. Received: "
            f"supervised keys {supervised}"
        )
    return tuple(str(n) for n in names)


def _prepared_builder(name, data_dir, manual_dir, file_format=None):
    """The TFDS builder of `name`, prepared in `data_dir` (offline from `manual_dir`)."""
    # Imported when used: `import keras_gan` stays free of tensorflow-datasets.
    import tensorflow_datasets as tfds

    # Not re-exported by tfds' public API; it is the error for a file that fails its checksum.
    from tensorflow_datasets.core.download.download_manager import NonMatchingChecksumError

    download_config = None
    if manual_dir is not None:
        if not os.path.isdir(manual_dir):
            raise ValueError(f"`manual_dir` is not a folder. Received: manual_dir={manual_dir!r}")
        download_config = tfds.download.DownloadConfig(manual_dir=os.fspath(manual_dir))
    try:
        builder = tfds.builder(name, data_dir=data_dir, file_format=file_format)
    except tfds.core.DatasetNotFoundError as error:
        raise ValueError(
            f"Unknown data set {name!r}: not a tensorflow-datasets name. Received: dataset={name!r}"
        ) from error
    if manual_dir is not None and not builder.is_prepared():
        # Checked here because TFDS, missing a file, silently tries to download
        # it and retries for minutes before failing without network.
        expected = sorted(info.filename for info in builder.url_infos.values() if info.filename)
        missing = [f for f in expected if not os.path.isfile(os.path.join(manual_dir, f))]
        if missing:
            raise ValueError(
                f"{name!r} needs the files {expected} in manual_dir; missing: {missing}. "
                f"Received: manual_dir={os.fspath(manual_dir)!r}"
            )
    try:
        builder.download_and_prepare(download_config=download_config)
    except NonMatchingChecksumError as error:
        raise ValueError(
            f"A file for {name!r} does not match the checksum tensorflow-datasets registers: "
            f"it is corrupt or not the original file. {str(error).splitlines()[0]}"
        ) from error
    except (requests.exceptions.ConnectionError, ConnectionError) as error:
        raise ValueError(
            f"{name!r} is not prepared in data_dir={data_dir!r} and preparing it needs a "
            f"download, which failed (no network?). Pass manual_dir= a folder holding the "
            f"original files. Received: manual_dir={manual_dir!r}"
        ) from error
    except FileExistsError:
        # Two processes (say two training runs started together) prepared it into the same
        # data_dir: TFDS prepares into a temporary folder and renames it into place, and the
        # second rename fails. The first one's copy is complete: use it.
        builder = tfds.builder(name, data_dir=data_dir, file_format=file_format)
        if not builder.is_prepared():
            raise
    return builder
