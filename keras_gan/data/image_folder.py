"""A folder of image files as a data set."""

import os
import pathlib

import numpy as np
import tensorflow as tf

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def load_image_folder(path):
    """Reads every image below `path` into one float32 array in [0, 1].

    All images must have the same height, width and channels. Files are read
    in sorted path order, so the array is the same on every run.

    Args:
        path: a folder; images are found in it and its subfolders.

    Returns:
        `(N, H, W, C)` float32 array.

    Raises:
        ValueError: if `path` is not a folder, holds no images, holds a file
            that does not decode as an image, or images of different shapes.
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
    images = []
    for file in files:
        try:
            image = tf.io.decode_image(file.read_bytes(), expand_animations=False).numpy()
        except (tf.errors.InvalidArgumentError, OSError) as error:
            message = getattr(error, "message", str(error))
            raise ValueError(f"Cannot read image file {str(file)!r}: {message}") from error
        if images and image.shape != images[0].shape:
            raise ValueError(
                f"Images in a folder must all have one shape; {str(files[0])!r} is "
                f"{images[0].shape}. Received: {str(file)!r} of shape {image.shape}"
            )
        images.append(image)
    return np.stack(images).astype("float32") / 255.0
