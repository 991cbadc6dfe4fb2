"""Reference statistics of the standard FID, computed once and kept in a file.

FID compares the mean and covariance of two sets of Inception features. The
reference side (CIFAR-10's 50,000 training images) is the same for every
evaluation, and here it costs hours of CPU, so it is computed once into an
.npz that holds `mu` and `sigma` as TTUR's and pytorch-fid's precomputed
statistics do (either program's files can be read, and ours by them), plus
what they were computed from, so a file of another data set, split or network
is refused instead of silently compared with.

The computation keeps float64 running sums and saves them every `save_every`
images beside the output (`.partial-NAME`), so an interrupted run continues
where it stopped; the output appears only when complete.
"""

import hashlib
import os
import pathlib

import numpy as np

from keras_gan.progress import progress_bar

# What a statistics file records besides `mu` and `sigma`; a file without
# these keys (TTUR's, pytorch-fid's) is taken as the caller says it is.
DESCRIPTION_KEYS = ("dataset", "split", "weights_sha256")


class FeatureMoments:
    """Running count, sum and sum of outer products of feature vectors (float64).

    `mean()` and `covariance()` equal `np.mean(f, 0)` and `np.cov(f, rowvar=False)`
    of all the rows added, in any batching.
    """

    def __init__(self, dim):
        self.count = 0
        self.total = np.zeros(dim, "float64")
        self.outer = np.zeros((dim, dim), "float64")

    def add(self, features):
        features = np.asarray(features, "float64")
        if features.ndim != 2 or features.shape[1] != len(self.total):
            raise ValueError(
                f"Features must be (N, {len(self.total)}). Received: shape {features.shape}"
            )
        self.count += len(features)
        self.total += features.sum(axis=0)
        self.outer += features.T @ features

    def mean(self):
        return self.total / self.count

    def covariance(self):
        if self.count < 2:
            raise ValueError(f"A covariance needs 2 or more features. Received: {self.count}")
        mean = self.mean()
        return (self.outer - self.count * np.outer(mean, mean)) / (self.count - 1)

    def state(self):
        return {"count": np.int64(self.count), "total": self.total, "outer": self.outer}

    @classmethod
    def from_state(cls, state):
        moments = cls(len(state["total"]))
        moments.count = int(state["count"])
        moments.total = np.array(state["total"], "float64")
        moments.outer = np.array(state["outer"], "float64")
        return moments


def file_sha256(path):
    """Hex SHA-256 of a file's bytes (names the network weights a file was made with)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def compute_fid_statistics(
    network, images, output, description, save_every=1000, batch_size=None, progress=False
):
    """Writes the mean and covariance of `network`'s features on `images` to `output`.

    Args:
        network: a callable from an image batch to `(N, d)` features, such as
            `FIDInceptionFeatures` (its `feature_batch_size` sets the batch).
        images: an array (or anything sliceable with `len`) of the images.
        output: the `.npz` to write; it must not exist (never overwritten).
        description: dict of strings saved with the statistics, at least
            `DESCRIPTION_KEYS`; a partial file made for another description
            is refused.
        save_every: images between saves of the running sums.
        batch_size: images per network call (default: the network's
            `feature_batch_size`, else 50).
        progress: show a progress bar.

    Returns:
        `(mu, sigma)` as float64 arrays.

    Raises:
        ValueError: if `output` exists, or a partial file beside it was made
            from other images or another network.
    """
    import keras

    output = pathlib.Path(output)
    if output.exists():
        raise ValueError(f"The statistics file exists and is never overwritten. Received: {output}")
    # Before hours of work, not after: the folder the result goes to.
    output.parent.mkdir(parents=True, exist_ok=True)
    description = {key: str(value) for key, value in description.items()}
    description["num_images"] = str(len(images))
    partial = output.with_name(f".partial-{output.name}")
    moments = _resume(partial, description)
    batch_size = batch_size or getattr(network, "feature_batch_size", 50)
    bar = progress_bar(len(images), "image") if progress else None
    if bar is not None and moments is not None:
        bar.update(moments.count)
    saved = moments.count if moments is not None else 0
    start = saved
    while start < len(images):
        batch = images[start : start + batch_size]
        features = network(batch)
        if isinstance(features, (list, tuple)):  # (features, logits)
            features = features[0]
        features = keras.ops.convert_to_numpy(features)
        if moments is None:
            moments = FeatureMoments(features.shape[-1])
        moments.add(features.reshape(len(batch), -1))
        start += len(batch)
        if bar is not None:
            bar.update(start)
        if start - saved >= save_every and start < len(images):
            _save(partial, {**moments.state(), **_strings(description)})
            saved = start
    if moments is None:
        raise ValueError("No images to compute statistics of. Received: 0 images")
    mu, sigma = moments.mean(), moments.covariance()
    _save(output, {"mu": mu, "sigma": sigma, **_strings(description)})
    partial.unlink(missing_ok=True)
    return mu, sigma


def load_fid_statistics(path, expected=None):
    """`(mu, sigma)` from a statistics `.npz` (ours, TTUR's or pytorch-fid's).

    Args:
        path: the file.
        expected: dict of the description the caller needs (keys of
            `DESCRIPTION_KEYS`); a file that records another value is refused.
            A file that records none (TTUR's, pytorch-fid's) is accepted.

    Raises:
        ValueError: naming the file, if it is unreadable, lacks `mu`/`sigma`,
            their shapes do not agree, or it describes other data or weights.
    """
    try:
        with np.load(path) as stored:
            values = {key: stored[key] for key in stored.files}
    except (OSError, ValueError) as error:
        raise ValueError(f"Cannot read FID statistics: {error}. Received: {path}") from error
    mu, sigma = values.get("mu"), values.get("sigma")
    if mu is None or sigma is None:
        raise ValueError(
            f"FID statistics need arrays `mu` and `sigma`. Received: {path} with {sorted(values)}"
        )
    if mu.ndim != 1 or sigma.shape != (len(mu), len(mu)):
        raise ValueError(
            "FID statistics need mu (d,) and sigma (d, d). Received: "
            f"mu {mu.shape}, sigma {sigma.shape} in {path}"
        )
    for key, wanted in (expected or {}).items():
        if key in values and str(values[key]) != str(wanted):
            raise ValueError(
                f"The FID statistics in {path} were computed for {key}={values[key]}, "
                f"not {wanted}. Received: {path}"
            )
    return mu.astype("float64"), sigma.astype("float64")


def _resume(partial, description):
    """The running sums saved in `partial` for this description, or None."""
    if not partial.exists():
        return None
    with np.load(partial) as stored:
        saved = {key: str(stored[key]) for key in description if key in stored.files}
        if saved != description:
            raise ValueError(
                f"{partial} holds partial statistics of {saved}, not of {description}. "
                "Delete it to start again, or ask for what it holds."
            )
        return FeatureMoments.from_state({k: stored[k] for k in ("count", "total", "outer")})


def _strings(description):
    return {key: np.array(value) for key, value in description.items()}


def _save(path, arrays):
    """Writes an .npz under a temporary name, then renames it: never half a file."""
    temporary = path.with_name(f"{path.name}.tmp.npz")
    np.savez(temporary, **arrays)
    os.replace(temporary, path)
