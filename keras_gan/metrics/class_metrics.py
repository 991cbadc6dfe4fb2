"""Metrics of a conditional generator: are the samples of class c of class c, and like it?"""

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
    predicted = np.concatenate(
        [
            np.argmax(np.asarray(classifier(samples[i : i + batch_size], training=False)), -1)
            for i in range(0, len(samples), batch_size)
        ]
    )
    per_class = [
        float(np.mean(predicted[labels == c] == c)) if np.any(labels == c) else float("nan")
        for c in range(num_classes)
    ]
    return {
        "class_accuracy": float(np.nanmean(per_class)),
        "class_accuracy_per_class": per_class,
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
