"""A folder of image files as a data set."""

import os
import pathlib

import numpy as np
import tensorflow as tf

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def load_image_folder(path, with_labels=False):
    """Reads every image below `path` into one float32 array in [0, 1].

    All images must have the same height, width and channels. Files are read
    in sorted path order, so the array is the same on every run.

    With labels, each subfolder of `path` is a class (as
    `keras.utils.image_dataset_from_directory` reads them): the sorted
    subfolder names are the class names, their positions the class ids, and
    images anywhere below a subfolder belong to its class.

    Args:
        path: a folder; images are found in it and its subfolders.
        with_labels: also return each image's class.

    Returns:
        `(N, H, W, C)` float32 array; with labels, `(images, labels,
        class_names)`, labels int32.

    Raises:
        ValueError: if `path` is not a folder, holds no images, holds a file
            that does not decode as an image, or images of different shapes;
            with labels, if an image lies outside every class subfolder.
    """
    files, labels, class_names = list_image_files(path, with_labels)
    images = read_images(files)
    if not with_labels:
        return images
    return images, labels, class_names


def read_images(files):
    """Decodes image files into one float32 array in [0, 1], in the order given.

    Raises:
        ValueError: naming a file that does not decode, or whose shape is not
            the first file's.
    """
    images = []
    for file in files:
        try:
            image = tf.io.decode_image(pathlib.Path(file).read_bytes(), expand_animations=False)
        except (tf.errors.InvalidArgumentError, OSError) as error:
            message = getattr(error, "message", str(error))
            raise ValueError(f"Cannot read image file {str(file)!r}: {message}") from error
        image = image.numpy()
        if images and image.shape != images[0].shape:
            raise ValueError(
                f"Images in a folder must all have one shape; {str(files[0])!r} is "
                f"{images[0].shape}. Received: {str(file)!r} of shape {image.shape}"
            )
        images.append(image)
    return np.stack(images).astype("float32") / 255.0


def list_image_files(path, with_labels=False):
    """The image files below `path` in sorted order, and with labels their classes.

    The listing `load_image_folder` reads, without reading the images: for
    data sets too large for memory (`keras_gan.data.make_streaming_pipeline`).

    Returns:
        `(files, labels, class_names)`: a list of `pathlib.Path`; with labels
        an int32 array of class ids and the tuple of class names (the sorted
        subfolder names), else None and None.

    Raises:
        ValueError: as `load_image_folder` for the folder and its layout.
    """
    folder = pathlib.Path(path)
    if not folder.is_dir():
        raise ValueError(f"The image folder does not exist. Received: data_dir={str(path)!r}")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise ValueError(f"The image folder is not readable. Received: data_dir={str(path)!r}")
    files = sorted(f for f in folder.rglob("*") if f.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise ValueError(
            f"No images ({', '.join(IMAGE_SUFFIXES)}) found in the folder. "
            f"Received: data_dir={str(path)!r}"
        )
    if not with_labels:
        return files, None, None
    class_names = sorted(d.name for d in folder.iterdir() if d.is_dir())
    loose = [f for f in files if f.parent == folder]
    if loose or not class_names:
        raise ValueError(
            "With labels, every image must be in a class subfolder of the folder (one "
            f"subfolder per class). Received: {str((loose or files)[0])!r} directly in "
            f"data_dir={str(path)!r}"
        )
    ids = {name: i for i, name in enumerate(class_names)}
    labels = np.array([ids[f.relative_to(folder).parts[0]] for f in files], "int32")
    return files, labels, tuple(class_names)
