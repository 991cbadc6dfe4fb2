"""Pictures of what a GAN learned, written as PNG files."""

import matplotlib

matplotlib.use("Agg")  # files only: no display is needed or assumed

import matplotlib.pyplot as plt  # noqa: E402


def plot_samples_2d(samples, data, path, title=None):
    """Scatters generated 2-D samples over the data, as in the paper's Figure 1.

    Args:
        samples: `(n, 2)` generated samples.
        data: `(m, 2)` samples of the data distribution.
        path: PNG file to write.
        title: optional figure title.
    """
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.scatter(samples[:, 0], samples[:, 1], s=4, c="tab:red", alpha=0.4, label="generated")
    axes.scatter(data[:, 0], data[:, 1], s=1, c="black", alpha=0.5, label="data")
    axes.set_aspect("equal")
    axes.legend(loc="upper right")
    if title:
        axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
