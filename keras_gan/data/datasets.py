"""Data sets by name: synthetic, a folder of images, an .npz file, or any TFDS name."""

from keras_gan.data import synthetic
from keras_gan.data.image_folder import load_image_folder
from keras_gan.data.npz_file import load_npz
from keras_gan.data.tfds_images import load_tfds_images

SYNTHETIC = {
    "gaussian_1d": lambda n, seed: synthetic.gaussian_1d(n, mean=4.0, std=0.5, seed=seed),
    "ring": lambda n, seed: synthetic.ring(n, seed=seed),
    "grid": lambda n, seed: synthetic.grid(n, seed=seed),
}
FILE_SETS = ("folder", "npz")
# Mixtures whose modes are known: (mode centres, the std of every mode).
MODES = {
    "ring": (synthetic.ring_modes(), 0.02),
    "grid": (synthetic.grid_modes(), 0.05),
}


def load_dataset(name, data_dir=None, manual_dir=None, split="train", num_samples=50000, seed=0):
    """Loads a data set's samples by name.

    Args:
        name: `"ring"`, `"grid"`, `"gaussian_1d"` (synthetic, no files);
            `"folder"` (images below `data_dir`); `"npz"` (the `.npz` file
            `data_dir`); anything else is a tensorflow-datasets name such as
            `"mnist"`, `"fashion_mnist"` or `"cifar10"`.
        data_dir: the folder or file for `folder` / `npz`; TFDS's data
            directory for TFDS names.
        manual_dir: for TFDS names, a folder of the original files to prepare
            the data set from without network.
        split: TFDS split.
        num_samples: size of a synthetic set.
        seed: seed of a synthetic set.

    Returns:
        A NumPy array of samples (synthetic, folder, npz), or a
        `tf.data.Dataset` of `(image, label)` pairs (TFDS), images in [0, 1].

    Raises:
        ValueError: if the data cannot be found or read; the message names it.
    """
    if name in SYNTHETIC:
        return SYNTHETIC[name](num_samples, seed)
    if name in FILE_SETS:
        if not data_dir:
            raise ValueError(
                f"dataset={name!r} reads its data from data_dir, which is not set. "
                f"Received: data_dir={data_dir!r}"
            )
        return load_image_folder(data_dir) if name == "folder" else load_npz(data_dir)
    return load_tfds_images(name, split=split, data_dir=data_dir, manual_dir=manual_dir)
