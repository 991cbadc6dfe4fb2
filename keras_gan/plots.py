"""Pictures of what a GAN learned, written as PNG files.

Figures are made with matplotlib's object API (`Figure`), not pyplot: nothing
needs a display, and a notebook's pyplot backend and open figures are left
alone.
"""

import os
import pathlib

import numpy as np
from matplotlib.figure import Figure


def _subplots(*grid, figsize):
    figure = Figure(figsize=figsize)
    return figure, figure.subplots(*grid)


def plot_samples_2d(samples, data, path, title=None):
    """Scatters generated 2-D samples over the data, as in the paper's Figure 1.

    Args:
        samples: `(n, 2)` generated samples.
        data: `(m, 2)` samples of the data distribution.
        path: PNG file to write.
        title: optional figure title.
    """
    figure, axes = _subplots(figsize=(5, 5))
    axes.scatter(samples[:, 0], samples[:, 1], s=4, c="tab:red", alpha=0.4, label="generated")
    axes.scatter(data[:, 0], data[:, 1], s=1, c="black", alpha=0.5, label="data")
    axes.set_aspect("equal")
    axes.legend(loc="upper right")
    _save(figure, axes, path, title)


def plot_samples_1d(samples, data, path, title=None):
    """Histograms of generated 1-D samples against the data, as in the paper's Figure 1.

    Args:
        samples: `(n, 1)` generated samples.
        data: `(m, 1)` samples of the data distribution.
        path: PNG file to write.
        title: optional figure title.
    """
    figure, axes = _subplots(figsize=(6, 4))
    low = min(samples.min(), data.min())
    high = max(samples.max(), data.max())
    bins = np.linspace(low, high, 60)
    axes.hist(data.ravel(), bins=bins, density=True, color="black", alpha=0.4, label="data")
    axes.hist(
        samples.ravel(), bins=bins, density=True, color="tab:green", alpha=0.5, label="generated"
    )
    axes.set_xlabel("x")
    axes.set_ylabel("density")
    axes.legend(loc="upper right")
    _save(figure, axes, path, title)


def plot_image_grid(images, path, title=None, columns=None, row_labels=None):
    """Writes images `(n, height, width, channels)` in [0, 1] as one grid.

    Args:
        images: the images, row by row.
        path: the PNG file.
        title: optional title.
        columns: images per row; default: a square-ish grid.
        row_labels: optional text beside each row (e.g. the class of a
            conditional GAN's row).
    """
    images = np.clip(np.asarray(images, dtype="float32"), 0.0, 1.0)
    count, height, width, channels = images.shape
    columns = int(columns or np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    if row_labels is not None and len(row_labels) != rows:
        raise ValueError(
            f"`row_labels` must name each of the {rows} rows. Received: {len(row_labels)} labels"
        )
    grid = np.ones((rows * (height + 1) + 1, columns * (width + 1) + 1, channels), "float32")
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top, left = 1 + row * (height + 1), 1 + column * (width + 1)
        grid[top : top + height, left : left + width] = image
    figure, axes = _subplots(figsize=(5, 5 * grid.shape[0] / grid.shape[1]))
    axes.imshow(grid[..., 0] if channels == 1 else grid, cmap="gray", vmin=0.0, vmax=1.0)
    if row_labels is None:
        axes.axis("off")
    else:
        axes.set_xticks([])
        axes.set_yticks([1 + row * (height + 1) + height / 2 for row in range(rows)])
        axes.set_yticklabels([str(label) for label in row_labels])
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
    _save(figure, axes, path, title)


def plot_interpolations(rows, path, title=None, ends=None):
    """Writes lines of images, one per row, as in the paper's Figure 3.

    Args:
        rows: `(n, steps, height, width, channels)` images in [0, 1], each
            row a line in latent space (`keras_gan.inference.interpolations`).
        path: the PNG file.
        title: optional title.
        ends: optional `(2n, height, width, channels)` images the rows were
            encoded from; image 2i is drawn before row i, image 2i + 1 after it.
    """
    rows = np.asarray(rows, dtype="float32")
    if rows.ndim != 5:
        raise ValueError(
            "`rows` must be images (n, steps, height, width, channels). Received: "
            f"shape {rows.shape}"
        )
    if ends is not None:
        ends = np.asarray(ends, dtype="float32")
        if ends.shape != (2 * rows.shape[0], *rows.shape[2:]):
            raise ValueError(
                f"`ends` must be the {2 * rows.shape[0]} images the rows run between, of "
                f"shape {rows.shape[2:]}. Received: shape {ends.shape}"
            )
        rows = np.concatenate([ends[0::2, None], rows, ends[1::2, None]], axis=1)
    plot_image_grid(rows.reshape(-1, *rows.shape[2:]), path, title=title, columns=rows.shape[1])


def plot_nearest_neighbours(samples, neighbours, path, title=None, pairs_per_row=6):
    """Writes each sample beside its nearest training image, as the paper's Figure 2.

    Args:
        samples: `(n, height, width, channels)` images in [0, 1].
        neighbours: the nearest training image of each, same shape.
        path: the PNG file.
        title: optional title.
        pairs_per_row: (sample, neighbour) pairs per row, set apart by a gap.
    """
    samples = np.clip(np.asarray(samples, dtype="float32"), 0.0, 1.0)
    neighbours = np.clip(np.asarray(neighbours, dtype="float32"), 0.0, 1.0)
    if samples.ndim != 4 or neighbours.shape != samples.shape:
        raise ValueError(
            "`samples` and `neighbours` must be images of one shape (n, height, width, "
            f"channels). Received: shapes {samples.shape} and {neighbours.shape}"
        )
    count, height, width, channels = samples.shape
    gap = max(2, width // 4)
    pair_width = 2 * width + 1 + gap
    rows = int(np.ceil(count / pairs_per_row))
    grid = np.ones((rows * (height + gap) + gap, pairs_per_row * pair_width + gap, channels))
    for index in range(count):
        row, column = divmod(index, pairs_per_row)
        top, left = gap + row * (height + gap), gap + column * pair_width
        grid[top : top + height, left : left + width] = samples[index]
        grid[top : top + height, left + width + 1 : left + 2 * width + 1] = neighbours[index]
    figure, axes = _subplots(figsize=(8, 8 * grid.shape[0] / grid.shape[1] + 0.4))
    axes.imshow(grid[..., 0] if channels == 1 else grid, cmap="gray", vmin=0.0, vmax=1.0)
    axes.axis("off")
    _save(figure, axes, path, title)


def plot_losses(history, path):
    """Plots per-epoch `d_loss`, `g_loss`, `d_real`, `d_fake` from a list of dicts."""
    epochs = [record["epoch"] for record in history]
    figure, (losses, outputs) = _subplots(1, 2, figsize=(10, 4))
    for name in ("d_loss", "g_loss"):
        losses.plot(epochs, [record[name] for record in history], marker=".", label=name)
    losses.set_xlabel("epoch")
    losses.set_ylabel("loss (epoch mean)")
    losses.legend()
    for name, label in (("d_real", "D(x), data"), ("d_fake", "D(G(z)), generated")):
        outputs.plot(epochs, [record[name] for record in history], marker=".", label=label)
    outputs.axhline(0.5, color="gray", linestyle=":", label="equilibrium, 1/2")
    outputs.set_xlabel("epoch")
    outputs.set_ylim(0.0, 1.0)
    outputs.set_ylabel("mean discriminator output")
    outputs.legend()
    figure.tight_layout()
    _write(figure, path)


def plot_metric_curve(hours, values, path, metric, title=None):
    """A metric against training time: one marker per evaluated checkpoint.

    Args:
        hours: training hours at each point.
        values: the metric's value at each point.
        path: the PNG to write.
        metric: the y axis label, e.g. "FID (10,000 samples)".
        title: optional title.
    """
    plot_metric_curves([(None, hours, values)], path, metric, title)


def plot_metric_curves(curves, path, metric, title=None):
    """A metric against training time for several runs, one line each.

    Runs that share a label (seeds of one setting) share a colour and one legend
    entry. A single curve has its values written above its points instead.

    Args:
        curves: `(label, hours, values)` per run; `label` may be None for a
            single curve.
        path: the PNG to write.
        metric: the y axis label, e.g. "FID (10,000 samples)".
        title: optional title.
    """
    figure, axes = _subplots(1, 1, figsize=(6, 4) if len(curves) == 1 else (7, 4.5))
    colours = {}
    for label, hours, values in curves:
        order = np.argsort(hours)
        first = label not in colours
        colour = colours.setdefault(label, f"C{len(colours) % 10}")
        axes.plot(
            np.asarray(hours)[order],
            np.asarray(values)[order],
            marker="o",
            color=colour,
            label=label if first and label is not None else None,
        )
        if len(curves) == 1:
            for hour, value in zip(hours, values, strict=True):
                axes.annotate(
                    f"{value:.1f}", (hour, value), textcoords="offset points", xytext=(0, 6)
                )
    if any(label is not None for label, _, _ in curves):
        axes.legend()
    axes.set_xlabel("training time (hours)")
    axes.set_ylabel(metric)
    axes.margins(y=0.12)  # room for the labels above the points
    axes.set_xlim(left=0)
    axes.grid(alpha=0.3)
    _save(figure, axes, path, title)


def _save(figure, axes, path, title):
    if title:
        axes.set_title(title)
    figure.tight_layout()
    _write(figure, path)


def _write(figure, path):
    """Writes the PNG under a temporary name and renames it: a killed run leaves it whole or
    absent, and a picture being replaced (a resumed run's) is never half written. The
    folder is made if missing (a run copied or kept without its pictures)."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".partial-{path.name}")
    figure.savefig(partial, dpi=100, format="png")
    os.replace(partial, path)
