"""Image data sets from tensorflow-datasets, prepared offline when asked."""

import os

import tensorflow as tf
import tensorflow_datasets as tfds


def load_tfds_images(name, split="train", data_dir=None, manual_dir=None):
    """Loads a TFDS image data set as a `tf.data.Dataset` of float32 images in [0, 1].

    Args:
        name: TFDS name, e.g. `"mnist"`.
        split: TFDS split, e.g. `"train"` or `"train[:50000]"`.
        data_dir: TFDS data directory (prepared data is kept there).
        manual_dir: folder of the data set's original files (for MNIST the
            four `*-ubyte.gz` IDX files); the data set is then prepared from
            them without any network access.

    Raises:
        ValueError: if `manual_dir` is given but is not a folder.
    """
    download_config = None
    if manual_dir is not None:
        if not os.path.isdir(manual_dir):
            raise ValueError(f"`manual_dir` is not a folder. Received: manual_dir={manual_dir!r}")
        download_config = tfds.download.DownloadConfig(manual_dir=os.fspath(manual_dir))
    builder = tfds.builder(name, data_dir=data_dir)
    builder.download_and_prepare(download_config=download_config)
    dataset = builder.as_dataset(split=split, as_supervised=True)
    return dataset.map(
        lambda image, label: (tf.cast(image, tf.float32) / 255.0, label),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
