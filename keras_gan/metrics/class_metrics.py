"""Class metrics: are a conditional generator's samples of class c of class c, and like it?

And, for any generator, are its samples' classes in the data's proportions?
"""

import numpy as np

from keras_gan.metrics.feature_distances import frechet_distance


def class_accuracy(classifier, samples, labels, num_classes, batch_size=500):
    """How often a classifier assigns generated samples to the class they were asked for.

    Args:
        classifier: a Keras model from samples to class logits (or probabilities).
        samples: samples generated for `labels`.
        labels: the class each sample was generated for, `(N,)` ints.
        num_classes: the number of classes.
        batch_size: samples per classifier call.

    Returns:
        `{"class_accuracy": the mean of the per-class accuracies,
        "class_accuracy_per_class": [accuracy of class 0, ...]}`; a class
        with no sample is NaN and left out of the mean.
    """
    labels = np.asarray(labels).reshape(-1)
    if len(labels) != len(samples):
        raise ValueError(
            f"`labels` must hold one class per sample ({len(samples)}). Received: {len(labels)}"
        )
    predicted = predicted_classes(classifier, samples, batch_size)
    per_class = [
        float(np.mean(predicted[labels == c] == c)) if np.any(labels == c) else float("nan")
        for c in range(num_classes)
    ]
    return {
        "class_accuracy": float(np.nanmean(per_class)),
        "class_accuracy_per_class": per_class,
    }


def predicted_classes(classifier, samples, batch_size=500):
    """The classifier's argmax class of each sample, `(N,)` ints."""
    return np.concatenate(
        [
            np.argmax(np.asarray(classifier(samples[i : i + batch_size], training=False)), -1)
            for i in range(0, len(samples), batch_size)
        ]
    )


def class_balance(classifier, samples, reference_labels, num_classes, batch_size=500):
    """The shares of the classes a classifier sees in the samples, against the data's.

    A generator that drops or favours some classes (or a sampler that keeps the
    samples of some classes more often) shows here, where FID only grows.

    Args:
        classifier: a Keras model from samples to class logits (or probabilities).
        samples: generated samples.
        reference_labels: the labels of real data, `(M,)` ints: the shares to match.
        num_classes: the number of classes.
        batch_size: samples per classifier call.

    Returns:
        `{"class_shares": [share of the samples classified c, ...],
        "class_shares_reference": [share of reference_labels equal to c, ...],
        "class_balance_tv": the total variation distance between the two,
        half the sum of |difference| (0: the data's proportions; 1: disjoint)}`.
    """
    predicted = predicted_classes(classifier, samples, batch_size)
    shares = np.bincount(predicted, minlength=num_classes) / len(predicted)
    reference_labels = np.asarray(reference_labels).reshape(-1)
    reference = np.bincount(reference_labels, minlength=num_classes) / len(reference_labels)
    if len(shares) != num_classes or len(reference) != num_classes:
        raise ValueError(
            f"Classes must be in [0, {num_classes}). Received: predicted up to "
            f"{len(shares) - 1}, reference labels up to {len(reference) - 1}"
        )
    return {
        "class_shares": shares.tolist(),
        "class_shares_reference": reference.tolist(),
        "class_balance_tv": float(0.5 * np.abs(shares - reference).sum()),
    }


def intra_fid(real_features, real_labels, fake_features, fake_labels, num_classes):
    """Intra-class FID: the Frechet distance between the real and the generated
    features of each class, and their mean (Miyato & Koyama 2018).

    Args:
        real_features, fake_features: `(N, d)` features (e.g. `extract_features`).
        real_labels, fake_labels: the class of each row.
        num_classes: the number of classes; each needs at least 2 rows of each.

    Returns:
        `{"intra_fid": mean over classes, "intra_fid_per_class": [...]}`.

    Raises:
        ValueError: if a class has fewer than 2 real or generated samples.
    """
    real_labels = np.asarray(real_labels).reshape(-1)
    fake_labels = np.asarray(fake_labels).reshape(-1)
    per_class = []
    for c in range(num_classes):
        real, fake = real_features[real_labels == c], fake_features[fake_labels == c]
        if len(real) < 2 or len(fake) < 2:
            raise ValueError(
                f"intra_fid needs at least 2 real and 2 generated samples of every class. "
                f"Received: {len(real)} real and {len(fake)} generated of class {c}"
            )
        per_class.append(frechet_distance(real, fake))
    return {"intra_fid": float(np.mean(per_class)), "intra_fid_per_class": per_class}
