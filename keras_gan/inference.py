"""What an encoder E (z from x) lets a GAN do: codes, reconstructions, interpolations.

The functions take the networks themselves, so they serve a `BiGAN` (its
`encoder` and `sampler`) and a GAN with an encoder fitted afterwards
(`keras_gan.models.LatentRegression`) alike.
"""

import numpy as np

from keras_gan import mixed_precision
from keras_gan.models import labels as class_labels


def encode(encoder, samples, batch_size=256):
    """E(x) in inference mode, batch by batch: a NumPy array `(n, latent_dim)`."""
    return _in_batches(encoder, np.asarray(samples), batch_size)


def reconstruct(generator, encoder, samples, batch_size=256):
    """G(E(x)) in inference mode, batch by batch: a NumPy array of samples."""
    codes = encode(encoder, samples, batch_size)
    return _in_batches(generator, codes, batch_size)


def _in_batches(model, inputs, batch_size):
    """`model(inputs, training=False)` batch by batch, as one NumPy array.

    Direct calls, not `Model.predict`: under a multi-worker strategy `predict`
    is a collective every worker must join, and only the chief draws pictures.
    """
    parts = inputs if isinstance(inputs, list) else [inputs]
    outputs = []
    for start in range(0, len(parts[0]), batch_size):
        batch = [part[start : start + batch_size] for part in parts]
        output = model(batch if isinstance(inputs, list) else batch[0], training=False)
        outputs.append(mixed_precision.to_numpy(output))
    return np.concatenate(outputs)


def interpolate(start, end, steps):
    """Points on the straight lines from `start` to `end` in latent space.

    Args:
        start, end: `(n, latent_dim)` arrays, the ends of n lines.
        steps: points per line (>= 2), both ends included.

    Returns:
        A float32 array `(n, steps, latent_dim)`.
    """
    if int(steps) < 2:
        raise ValueError(f"`steps` must be >= 2 (both ends). Received: steps={steps}")
    start, end = np.asarray(start, "float32"), np.asarray(end, "float32")
    if start.shape != end.shape or start.ndim != 2:
        raise ValueError(
            "`start` and `end` must be arrays of the same shape (n, latent_dim). Received: "
            f"{start.shape} and {end.shape}"
        )
    weights = np.linspace(0.0, 1.0, int(steps), dtype="float32")[None, :, None]
    return (1.0 - weights) * start[:, None] + weights * end[:, None]


def interpolations(gan, rows=8, steps=10, seed=0, encoder=None, images=None):
    """Samples along straight lines in z, as in Figure 3 of Goodfellow et al. (2014).

    Without `images`, each row runs between two noise vectors drawn with
    `seed`. With an `encoder` and `images`, row i runs from E(images[2i]) to
    E(images[2i + 1]): between two real images. A conditional GAN keeps one
    class per row (row i: class i mod num_classes).

    Args:
        gan: a trained `GAN` (its `sampler` decodes).
        rows: lines to draw.
        steps: samples per line, both ends included.
        seed: seed of the noise ends.
        encoder: with `images`, the network that gives their codes.
        images: `2 * rows` images, the ends of the lines.

    Returns:
        An array `(rows, steps, *data_shape)`.
    """
    if images is None:
        ends = gan.sample_latent(2 * rows, seed=seed).numpy()
    else:
        if encoder is None:
            raise ValueError("Interpolating between images needs their `encoder`.")
        images = np.asarray(images)
        if len(images) != 2 * rows:
            raise ValueError(
                f"`images` holds the two ends of each of the {rows} rows: {2 * rows} images. "
                f"Received: {len(images)} images"
            )
        ends = encode(encoder, images)
    codes = interpolate(ends[0::2], ends[1::2], steps).reshape(rows * steps, -1)
    inputs = codes
    if getattr(gan, "num_classes", None):
        labels = np.repeat(np.arange(rows) % gan.num_classes, steps).astype("int32")
        inputs = [codes, class_labels.check_label_array(labels, gan.num_classes)]
    samples = _in_batches(gan.sampler, inputs, batch_size=256)
    return np.asarray(samples).reshape(rows, steps, *samples.shape[1:])


INTERPOLATION_ROWS = 8
INTERPOLATION_STEPS = 10
RECONSTRUCTION_COLUMNS = 10


def write_pictures(gan, folder, encoder=None, images=None, seed=0, display=None):
    """Writes the pictures of a trained image GAN's latent space into `folder`.

    `interpolations.png`: lines in z between samples (the paper's Figure 3).
    With an `encoder` and at least 16 `images`, also
    `interpolations_data.png` (lines between the codes of pairs of real
    images, drawn at both ends) and `reconstructions.png` (rows of real
    images, each followed by its G(E(x)) row). `display` maps a batch of
    generated images to [0, 1] for a picture (contrast-normalised data).

    Returns:
        The paths written.
    """
    import pathlib

    from keras_gan import plots  # matplotlib loads when a picture is drawn

    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "interpolations.png"]
    rows = interpolations(gan, INTERPOLATION_ROWS, INTERPOLATION_STEPS, seed=seed)
    if display is not None:
        rows = np.reshape(display(np.reshape(rows, (-1, *rows.shape[2:]))), rows.shape)
    plots.plot_interpolations(rows, paths[0], title="interpolations in z between samples")
    if encoder is None or images is None:
        return paths
    ends = np.asarray(images[: 2 * INTERPOLATION_ROWS])
    rows = interpolations(
        gan, INTERPOLATION_ROWS, INTERPOLATION_STEPS, encoder=encoder, images=ends
    )
    paths.append(folder / "interpolations_data.png")
    plots.plot_interpolations(
        rows, paths[-1], title="between the codes E(x) of real images (at the ends)", ends=ends
    )
    real = np.asarray(images[: 4 * RECONSTRUCTION_COLUMNS])
    rebuilt = reconstruct(gan.sampler, encoder, real)
    shape = (-1, RECONSTRUCTION_COLUMNS, *real.shape[1:])
    grid = np.stack([real.reshape(shape), rebuilt.reshape(shape)], axis=1).reshape(
        real.shape[0] * 2, *real.shape[1:]
    )
    paths.append(folder / "reconstructions.png")
    plots.plot_image_grid(
        grid,
        paths[-1],
        title="real images x (odd rows) and G(E(x)) (even rows)",
        columns=RECONSTRUCTION_COLUMNS,
    )
    return paths
