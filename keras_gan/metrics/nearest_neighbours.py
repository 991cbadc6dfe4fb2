"""The paper's memorisation check: each sample beside its nearest training image.

Goodfellow et al. (2014), Figure 2: "The rightmost column shows the nearest
training example of the neighboring sample, in order to demonstrate that the
model has not memorized the training set." Nearest is in Euclidean distance of
the pixels, as there.
"""

import numpy as np

NEIGHBOUR_PAIRS = 24  # samples in the picture, each with its neighbour
PAIRS_PER_ROW = 6
GCN_SPACE = "contrast-normalised"  # what a --gcn run's distances are measured between


def nearest_training_images(samples, training, chunk=4096):
    """Each sample's nearest training image in Euclidean pixel distance.

    Args:
        samples: `(n, ...)` array.
        training: `(N, ...)` array of the same sample shape, or an
            array-like that slices (`keras_gan.data.ImageFiles`).
        chunk: training images compared at a time (bounds memory).

    Returns:
        `(indices, distances)`: `(n,)` int64 indices into `training`, and
        the `(n,)` float64 distances.

    Raises:
        ValueError: if the sample shapes differ or `training` is empty.
    """
    # `training` may be any array-like with `shape` (keras_gan.data.ImageFiles: files
    # decoded a chunk at a time), so it is only ever sliced, never converted whole.
    training_shape = tuple(getattr(training, "shape", None) or np.shape(training))
    if len(training) == 0 or training_shape[1:] != np.shape(samples)[1:]:
        raise ValueError(
            "Samples and training images must have the same shape. Received: samples of "
            f"shape {np.shape(samples)}, training images of shape {training_shape}"
        )
    samples = np.asarray(samples, np.float64).reshape(len(samples), -1)
    best = np.full(len(samples), np.inf)
    indices = np.zeros(len(samples), np.int64)
    sample_norms = (samples**2).sum(axis=1)
    for start in range(0, len(training), chunk):
        block = np.asarray(training[start : start + chunk], np.float64).reshape(
            -1, samples.shape[1]
        )
        squared = sample_norms[:, None] + (block**2).sum(axis=1)[None] - 2.0 * samples @ block.T
        nearest = squared.argmin(axis=1)
        values = squared[np.arange(len(samples)), nearest]
        closer = values < best
        best[closer] = values[closer]
        indices[closer] = start + nearest[closer]
    return indices, np.sqrt(np.maximum(best, 0.0))


def write_nearest_neighbours(samples, training, path, title=None, display=None, space="pixel"):
    """Draws each sample followed by its nearest training image, pairs side by side.

    Args:
        samples: `(n, height, width, channels)` images in [0, 1].
        training: the training images, same shape.
        path: the PNG file.
        title: optional; by default it says what the pairs are and the
            median distance.
        display: for data not in [0, 1] (contrast-normalised), a map of a
            batch of images to [0, 1]; samples and neighbours go through it
            together, on one scale. Distances are measured before it.
        space: what the distances are measured between, for the default
            title ("pixel", or "contrast-normalised" with `display`).

    Returns:
        `(indices, distances)` as `nearest_training_images`.
    """
    from keras_gan import plots  # matplotlib loads when a picture is drawn

    samples = np.asarray(samples, np.float32)
    indices, distances = nearest_training_images(samples, training)
    neighbours = np.asarray(training[indices], np.float32)
    if display is not None:
        shown = display(np.concatenate([samples, neighbours]))
        samples, neighbours = shown[: len(samples)], shown[len(samples) :]
    if title is None:
        title = (
            "sample | its nearest training image\n"
            f"({space} distance, median {np.median(distances):.2f})"
        )
    plots.plot_nearest_neighbours(
        samples, neighbours, path, title=title, pairs_per_row=PAIRS_PER_ROW
    )
    return indices, distances


def write_memorisation_check(
    model,
    dataset,
    path,
    data_dir=None,
    manual_dir=None,
    split="train",
    seed=0,
    gcn=None,
    **sampler,
):
    """Draws `write_nearest_neighbours` for a saved generator against a data set's split.

    Args:
        model: anything `keras_gan.metrics.saved_generators.load_sampler` takes.
        dataset, data_dir, manual_dir, split: the training images, as for training.
        path: the PNG file.
        seed: seed of the samples (a conditional generator's are class-balanced).
        gcn: as for `keras_gan.metrics.evaluate.evaluate`: a model trained on
            contrast-normalised images is compared with the normalised
            training images, as the paper did, and both are shown as
            `keras_gan.data.gcn_to_display` shows them.
        **sampler: more arguments of `load_sampler`.

    Raises:
        ValueError: for a model `load_sampler` refuses, or data that are not images.
    """
    from keras_gan.data.contrast_normalization import gcn_to_display
    from keras_gan.data.contrast_normalization import global_contrast_normalize
    from keras_gan.data.datasets import load_dataset
    from keras_gan.data.pipeline import to_array
    from keras_gan.metrics.evaluate import trained_contrast_normalization
    from keras_gan.metrics.saved_generators import load_sampler

    gcn = trained_contrast_normalization(model, gcn)
    sample = load_sampler(model, **sampler)
    training = to_array(
        load_dataset(dataset, data_dir=data_dir, manual_dir=manual_dir, split=split)
    )
    if training.ndim != 4:
        raise ValueError(
            f"The memorisation check draws images; {dataset!r} holds samples of shape "
            f"{training.shape[1:]}"
        )
    if gcn:
        training = global_contrast_normalize(training, scale=gcn)
        shown = dict(display=gcn_to_display, space=GCN_SPACE)
    else:
        shown = {}
    return write_nearest_neighbours(sample(NEIGHBOUR_PAIRS, seed), training, path, **shown)
