"""Global contrast normalisation, as pylearn2 applied it to the paper's CIFAR-10 data."""

import numpy as np

GCN_SCALE = 55.0  # the paper's CIFAR-10 configs (pylearn2's CIFAR10(gcn=55.))


def global_contrast_normalize(images, scale=GCN_SCALE, min_divisor=1e-8):
    """pylearn2's `global_contrast_normalize` as its CIFAR10(gcn=55.) applies it.

    Each image loses its mean over all its values and is scaled to Euclidean
    norm `scale` (not to unit standard deviation: `use_std=False`), so a
    32x32x3 image at scale 55 has values of about unit variance.

    Args:
        images: `(N, ...)` array, any pixel range (the result does not depend
            on it).
        scale: the norm each image gets.
        min_divisor: norms below it are left unscaled (a flat image).

    Returns:
        float32 array of the same shape.
    """
    images = np.asarray(images, np.float64)
    flat = images.reshape(len(images), -1)
    flat = flat - flat.mean(axis=1, keepdims=True)
    norms = np.sqrt((flat**2).sum(axis=1)) / scale
    norms[norms < min_divisor] = 1.0
    return (flat / norms[:, None]).reshape(images.shape).astype("float32")


def gcn_to_display(images):
    """Contrast-normalised images in [0, 1] for a picture, as the paper's figure shows them.

    `(x / s + 1) / 2` with `s` the largest absolute value in the whole batch
    (goodfeli/adversarial's `show_samples_cifar_*_paper.py`), so images keep
    their contrast relative to each other.
    """
    images = np.asarray(images, np.float32)
    scale = float(np.abs(images).max()) or 1.0
    return (images / scale + 1.0) / 2.0
