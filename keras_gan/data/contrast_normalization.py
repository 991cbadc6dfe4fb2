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


def contrast_statistics(images):
    """What `global_contrast_normalize` takes from each image: its mean and centred norm.

    Args:
        images: `(N, ...)` array.

    Returns:
        `(means, norms)`, float64 arrays of shape `(N,)`: each image's mean
        over all its values and the Euclidean norm of the image minus it.
    """
    flat = np.asarray(images, np.float64).reshape(len(images), -1)
    means = flat.mean(axis=1)
    return means, np.sqrt(((flat - means[:, None]) ** 2).sum(axis=1))


def restore_contrast(images, means, norms, scale=GCN_SCALE):
    """The inverse of `global_contrast_normalize` given each image's mean and norm.

    `x * norm / scale + mean` per image: `restore_contrast(
    global_contrast_normalize(x), *contrast_statistics(x)) == x` (up to
    rounding) for images that are not flat.

    Returns:
        float32 array of the shape of `images`, not clipped.
    """
    images = np.asarray(images, np.float64)
    flat = images.reshape(len(images), -1)
    means, norms = np.asarray(means, np.float64), np.asarray(norms, np.float64)
    restored = flat * (norms / scale)[:, None] + means[:, None]
    return restored.reshape(images.shape).astype("float32")


def gcn_to_pixels(images, reference, scale=GCN_SCALE, seed=0):
    """Contrast-normalised images (a GCN model's samples) as pixels in [0, 1], for metrics.

    Global contrast normalisation removes each image's mean and contrast
    (norm), so there are no pixels to recover. Each image gets those of a
    random image of `reference` (drawn with replacement, independently of
    its content: the data's own spread of brightness and contrast), then is
    clipped to [0, 1]. Metrics on real pixels (the standard FID) can then
    score a GCN model; put real images through `global_contrast_normalize`
    and this function to measure what the round trip alone costs.

    Args:
        images: `(N, ...)` contrast-normalised images.
        reference: `(M, ...)` images in [0, 1] (the training images).
        scale: the normalisation's scale (the run's `--gcn`).
        seed: seed of the draw of reference images.

    Returns:
        float32 array of the shape of `images`, in [0, 1].
    """
    means, norms = contrast_statistics(reference)
    drawn = np.random.default_rng(seed).integers(len(means), size=len(images))
    restored = restore_contrast(images, means[drawn], norms[drawn], scale=scale)
    return np.clip(restored, 0.0, 1.0)
