"""Metrics of an encoder E (z from x): do G(E(x)) and E(x) keep what x is?"""

import numpy as np


def reconstruction_error(images, reconstructions, seed=0):
    """Pixel mean squared error of G(E(x)) against x, and its chance level.

    Args:
        images: `(N, ...)` real samples x.
        reconstructions: `(N, ...)` G(E(x)), in the same order.
        seed: seed of the baseline's pairing.

    Returns:
        `{"reconstruction_mse": mean over samples and values of (G(E(x)) - x)^2,
        "reconstruction_mse_baseline": the same against another real sample
        x' (a fixed random pairing)}`: no reconstruction at all scores the
        baseline (the BiGAN code's `EGr_b`).
    """
    images = np.asarray(images, "float32").reshape(len(images), -1)
    reconstructions = np.asarray(reconstructions, "float32").reshape(len(reconstructions), -1)
    if images.shape != reconstructions.shape:
        raise ValueError(
            "`reconstructions` must match `images` one to one. Received: shapes "
            f"{images.shape} and {reconstructions.shape}"
        )
    others = np.random.default_rng(seed).permutation(len(images))
    return {
        "reconstruction_mse": float(np.mean(np.square(reconstructions - images))),
        "reconstruction_mse_baseline": float(np.mean(np.square(reconstructions - images[others]))),
    }


def label_agreement(classifier, reconstructions, labels, batch_size=500):
    """How often a classifier gives G(E(x)) the label of x.

    Args:
        classifier: a Keras model from samples to class logits.
        reconstructions: G(E(x)) of the labelled samples x.
        labels: the labels of x, `(N,)` ints.

    Returns:
        `{"reconstruction_label_agreement": the fraction}`.
    """
    labels = np.asarray(labels).reshape(-1)
    if len(labels) != len(reconstructions):
        raise ValueError(
            f"`labels` must hold one class per reconstruction ({len(reconstructions)}). "
            f"Received: {len(labels)}"
        )
    predicted = np.concatenate(
        [
            np.argmax(
                np.asarray(classifier(reconstructions[i : i + batch_size], training=False)), -1
            )
            for i in range(0, len(reconstructions), batch_size)
        ]
    )
    return {"reconstruction_label_agreement": float(np.mean(predicted == labels))}


def nearest_neighbour_accuracy(reference, reference_labels, queries, query_labels, chunk=500):
    """1-nearest-neighbour classification accuracy in a feature space.

    Each query takes the label of its nearest reference row (Euclidean),
    the protocol of BiGAN's Table 1 with E(x) of the training set as the
    reference and E(x) of the test set as the queries.

    Args:
        reference, queries: `(N, d)` and `(M, d)` features.
        reference_labels, query_labels: their labels.
        chunk: queries per distance block (memory: chunk x N floats).

    Returns:
        The fraction of queries labelled right.
    """
    reference = np.asarray(reference, "float32")
    queries = np.asarray(queries, "float32")
    reference_labels = np.asarray(reference_labels).reshape(-1)
    query_labels = np.asarray(query_labels).reshape(-1)
    if reference.ndim != 2 or queries.ndim != 2 or reference.shape[1] != queries.shape[1]:
        raise ValueError(
            "`reference` and `queries` must be (N, d) features of one size d. Received: "
            f"shapes {reference.shape} and {queries.shape}"
        )
    if len(reference_labels) != len(reference) or len(query_labels) != len(queries):
        raise ValueError(
            "Every feature row needs its label. Received: "
            f"{len(reference)} reference rows with {len(reference_labels)} labels, "
            f"{len(queries)} queries with {len(query_labels)} labels"
        )
    squared_norms = np.sum(np.square(reference), axis=1)
    predicted = []
    for start in range(0, len(queries), chunk):
        block = queries[start : start + chunk]
        # |q - r|^2 = |q|^2 - 2 q.r + |r|^2; |q|^2 does not change the argmin.
        distances = squared_norms[None, :] - 2.0 * block @ reference.T
        predicted.append(reference_labels[np.argmin(distances, axis=1)])
    return float(np.mean(np.concatenate(predicted) == query_labels))
