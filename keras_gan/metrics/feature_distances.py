"""Distances between feature distributions: Fréchet (FID), kernel (KID), precision/recall.

Each takes two `(N, d)` feature arrays, e.g. a classifier's penultimate layer
on real and generated images (`extract_features`). Statistics are computed in
float64, batch by batch, so large sample sets never need an N x N matrix in
memory at once.
"""

import keras
import numpy as np
import tensorflow as tf


def extract_features(model, images, batch_size=None):
    """`model`'s outputs on `images`, batch by batch, as a float64 `(N, d)` array.

    `batch_size` defaults to the model's `feature_batch_size` attribute if it
    has one (large extractors such as `InceptionFeatures` want small batches),
    else 500.
    """
    batch_size = batch_size or getattr(model, "feature_batch_size", 500)
    outputs = [
        keras.ops.convert_to_numpy(model(images[i : i + batch_size], training=False))
        for i in range(0, len(images), batch_size)
    ]
    features = np.concatenate(outputs).astype("float64")
    return features.reshape(len(features), -1)


def frechet_distance(features_a, features_b):
    """Fréchet distance between Gaussians fitted to two feature sets (FID on Inception features).

    ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)), with the trace of the
    matrix square root taken as the sum of the square roots of the eigenvalues
    of S_a^(1/2) S_b S_a^(1/2), which is symmetric, so no complex arithmetic.

    Reference:
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge
        to a Local Nash Equilibrium", NeurIPS 2017.
    """
    a, b = _pair(features_a, features_b)
    return frechet_distance_of_moments(*_moments(a), *_moments(b))


def frechet_distance_of_moments(mean_a, cov_a, mean_b, cov_b):
    """`frechet_distance` from each set's mean `(d,)` and covariance `(d, d)`,
    e.g. reference statistics read by `keras_gan.metrics.load_fid_statistics`."""
    # NumPy's LAPACK eigh: 2.6 times faster than tf.linalg.eigh at d = 2048 here.
    mean_a, cov_a, mean_b, cov_b = (
        np.asarray(v, "float64") for v in (mean_a, cov_a, mean_b, cov_b)
    )
    if mean_a.shape != mean_b.shape or cov_a.shape != cov_b.shape:
        raise ValueError(
            "The two sets' moments must have the same dimension. Received: means "
            f"{mean_a.shape} and {mean_b.shape}, covariances {cov_a.shape} and {cov_b.shape}"
        )
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(np.maximum(values, 0.0))) @ vectors.T
    middle = root_a @ cov_b @ root_a
    trace_root = np.sum(np.sqrt(np.maximum(np.linalg.eigvalsh(middle), 0.0)))
    distance = np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2.0 * trace_root
    return float(distance)


def kernel_distance(features_a, features_b, num_subsets=100, subset_size=1000, seed=0):
    """Kernel Inception Distance: unbiased MMD^2 with k(x, y) = (x.y / d + 1)^3.

    Averaged over `num_subsets` random subsets of `subset_size` from each set
    (fewer if a set is smaller).

    Returns:
        `(mean, std)` over the subsets.

    Reference:
        Bińkowski et al., "Demystifying MMD GANs", ICLR 2018.
    """
    a, b = _pair(features_a, features_b)
    size = min(subset_size, len(a), len(b))
    if size < 2:
        raise ValueError(f"KID needs at least 2 samples per set. Received: {len(a)}, {len(b)}")
    rng = np.random.default_rng(seed)
    dims = a.shape[1]

    def kernel(x, y):
        return (x @ y.T / dims + 1.0) ** 3

    estimates = []
    for _ in range(num_subsets):
        x = a[rng.choice(len(a), size, replace=False)]
        y = b[rng.choice(len(b), size, replace=False)]
        k_xx, k_yy, k_xy = kernel(x, x), kernel(y, y), kernel(x, y)
        within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / (size * (size - 1))
        estimates.append(within - 2.0 * k_xy.mean())
    return float(np.mean(estimates)), float(np.std(estimates))


def precision_recall(real_features, generated_features, k=3, batch_size=1000):
    """Improved precision and recall of a generated distribution.

    Precision: the share of generated samples inside the real manifold (within
    the distance of some real sample to its k-th nearest real neighbour).
    Recall: the share of real samples inside the generated manifold.

    Returns:
        `(precision, recall)`.

    Reference:
        Kynkäänniemi et al., "Improved Precision and Recall Metric for
        Assessing Generative Models", NeurIPS 2019.
    """
    real, generated = _pair(real_features, generated_features)
    if min(len(real), len(generated)) <= k:
        raise ValueError(f"Each set needs more than k={k} samples.")
    real_radii = _kth_neighbour_distances(real, k, batch_size)
    generated_radii = _kth_neighbour_distances(generated, k, batch_size)
    precision = _inside_share(generated, real, real_radii, batch_size)
    recall = _inside_share(real, generated, generated_radii, batch_size)
    return precision, recall


def _squared_distances(x, y):
    x, y = tf.constant(x), tf.constant(y)
    squared = (
        tf.reduce_sum(x**2, axis=1, keepdims=True)
        - 2.0 * tf.matmul(x, y, transpose_b=True)
        + tf.reduce_sum(y**2, axis=1)
    )
    return tf.maximum(squared, 0.0)


def _kth_neighbour_distances(points, k, batch_size):
    radii = []
    for start in range(0, len(points), batch_size):
        squared = _squared_distances(points[start : start + batch_size], points)
        # The smallest distance is the point to itself (0); the k-th neighbour is k+1-th.
        smallest = -tf.math.top_k(-squared, k=k + 1).values
        radii.append(smallest[:, k].numpy())
    return np.concatenate(radii)


def _inside_share(points, centres, squared_radii, batch_size):
    inside = 0
    radii = tf.constant(squared_radii)
    for start in range(0, len(points), batch_size):
        squared = _squared_distances(points[start : start + batch_size], centres)
        inside += int(tf.reduce_sum(tf.cast(tf.reduce_any(squared <= radii, axis=1), tf.int32)))
    return inside / len(points)


def _moments(features):
    data = tf.constant(features)
    mean = tf.reduce_mean(data, axis=0)
    centred = data - mean
    covariance = tf.matmul(centred, centred, transpose_a=True) / (len(features) - 1)
    return mean, covariance


def _pair(a, b):
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise ValueError(
            "Features must be two (N, d) arrays with the same d and N >= 2. "
            f"Received: shapes {a.shape} and {b.shape}"
        )
    return a, b


def inception_score(logits, splits=10, seed=0):
    """Inception Score: exp(E_x KL(p(y | x) || p(y))), over `splits` equal parts.

    As Salimans et al.'s reference code computes it: p(y) is the mean of
    p(y | x) within each part, and the score is reported as the mean and
    standard deviation over the parts (10 parts of 5,000 samples in papers).
    Their code takes the parts in the order the samples come, which assumes
    a random order: class-ordered samples (a conditional generator's
    class-balanced labels, one class per part) would score about 1. Here the
    parts are a seeded random partition of the samples, drawn after putting
    them in an order of their own, so the score does not depend on the order
    the samples are given in.

    Args:
        logits: `(N, classes)` logits of a classifier, for the usual score the
            FID Inception network's 1008 (`FIDInceptionFeatures(logits=True)`).
        splits: number of equal parts (the last samples that do not fill a
            part are left out).
        seed: seed of the random partition.

    Returns:
        `(mean, std)` over the parts; 1 for samples the classifier cannot
        tell apart, up to the number of classes for confident, even classes.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016.
    """
    logits = np.asarray(logits, np.float64)
    if logits.ndim != 2 or len(logits) < splits:
        raise ValueError(
            f"inception_score needs (N, classes) logits with N >= splits={splits}. "
            f"Received: shape {logits.shape}"
        )
    log_p = logits - logits.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    log_p = log_p[_order_free_permutation(logits, seed)]
    size = len(logits) // splits
    scores = []
    for part in np.split(log_p[: size * splits], splits):
        log_marginal = np.log(np.exp(part).mean(axis=0))
        kl = (np.exp(part) * (part - log_marginal)).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))


def _order_free_permutation(rows, seed):
    """A seeded random order of `rows` that is the same whatever order they come in.

    The rows are first sorted by their bytes (a canonical order: equal rows
    are interchangeable), then shuffled by `seed`.
    """
    rows = np.ascontiguousarray(rows)
    as_bytes = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    canonical = np.argsort(as_bytes, kind="stable")
    return canonical[np.random.default_rng(seed).permutation(len(rows))]
