"""Class labels of a conditional GAN: their checks, their draws, their defaults.

A conditional GAN models p(x | c) by giving the class c to both networks
(Goodfellow et al. 2014, section 7; Mirza & Osindero 2014). keras_gan's
convention: labels are integer class ids in [0, num_classes), one per
sample, and the networks are called as `generator([z, labels])` and
`discriminator([x, labels])`. A discriminator of `BiGAN` pairs takes a
latent code in the labels' place, `discriminator([x, z])`; `split_inputs`
serves both.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.distribute import replica_share
from keras_gan.models import initializers
from keras_gan.validation import positive_int

# Where the generator step's labels come from (GAN's `label_distribution`).
LABEL_DISTRIBUTIONS = ("data", "uniform")


def check_distribution(distribution):
    if distribution not in LABEL_DISTRIBUTIONS:
        raise ValueError(
            f"Unknown `label_distribution`: expected one of {list(LABEL_DISTRIBUTIONS)}. "
            f"Received: label_distribution={distribution!r}"
        )
    return distribution


def check_label_array(labels, num_classes, num_samples=None, name="labels"):
    """`labels` as a flat int32 NumPy array, or a ValueError naming what is wrong.

    Args:
        labels: array-like of integer class ids, shape `(n,)` or `(n, 1)`.
        num_classes: the ids must lie in [0, num_classes).
        num_samples: if given, the number of labels required.
        name: what the error calls the labels.
    """
    array = np.asarray(labels)
    if array.dtype.kind not in "iu":
        raise ValueError(
            f"`{name}` must be integer class ids in [0, {num_classes}). "
            f"Received: an array of dtype {array.dtype}"
        )
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"`{name}` must hold one class id per sample, shape (n,) or (n, 1). "
            f"Received: shape {array.shape}"
        )
    if num_samples is not None and len(array) != num_samples:
        raise ValueError(
            f"`{name}` must hold one class id for each of the {num_samples} samples. "
            f"Received: {len(array)} labels"
        )
    if len(array) and (array.min() < 0 or array.max() >= num_classes):
        bad = array[(array < 0) | (array >= num_classes)]
        raise ValueError(
            f"`{name}` must be class ids in [0, {num_classes}). Received: {bad.size} outside, "
            f"e.g. {bad[0]}"
        )
    return array.astype("int32")


def check_batch_labels(labels, num_classes, batch_size):
    """A batch's labels as flat int32, checked in the graph before they are used.

    The dtype and rank are checked when the step is traced (a ValueError);
    the count and the range when the batch arrives (an InvalidArgumentError
    from the assertion, before anything of the step runs).
    """
    if labels is None:
        raise ValueError(
            f"This GAN is conditional (num_classes={num_classes}): fit it on (samples, labels) "
            "pairs, e.g. `gan.fit(images, labels)` or a dataset of (images, labels). "
            "Received: samples without labels"
        )
    labels = tf.convert_to_tensor(labels)
    if not labels.dtype.is_integer:
        raise ValueError(
            f"The labels must be integer class ids in [0, {num_classes}). Received: labels of "
            f"dtype {labels.dtype.name}"
        )
    if labels.shape.rank == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.shape.rank != 1:
        raise ValueError(
            "The labels must hold one class id per sample, shape (batch,) or (batch, 1). "
            f"Received: labels of shape {tuple(labels.shape)}"
        )
    labels = tf.cast(labels, tf.int32)
    check = tf.debugging.Assert(
        tf.logical_and(
            tf.equal(tf.shape(labels)[0], batch_size),
            tf.reduce_all((labels >= 0) & (labels < num_classes)),
        ),
        [
            f"labels must hold one class id in [0, {num_classes}) per sample. Received: "
            "batch size, labels:",
            batch_size,
            labels,
        ],
        summarize=20,
    )
    with tf.control_dependencies([check]):
        return tf.identity(labels)


def balanced_labels(num_samples, num_classes):
    """`num_samples` labels in class order, each class (nearly) equally often.

    With `num_samples = rows * num_classes`, a grid of the samples shows one
    class per row.
    """
    return (np.arange(num_samples) * num_classes // num_samples).astype("int32")


def uniform_labels(batch_size, num_classes, seed):
    """This replica's slice of one uniform draw of class ids for the global batch."""

    def draw(n):
        return tf.random.stateless_uniform((n,), seed, minval=0, maxval=num_classes, dtype=tf.int32)

    return replica_share(draw, batch_size)


def label_embedding(num_classes, dim, init_range):
    """The learned class embedding the MLP networks join to their input."""
    return keras.layers.Embedding(
        num_classes,
        dim,
        embeddings_initializer=initializers.uniform(init_range),
        name="label_embedding",
    )


def split_inputs(inputs, num_classes, name, latent_dim=None):
    """`(x, second)` of a network's call: `[x, labels]` if conditional (or
    `[x, z]` for a discriminator of BiGAN pairs, `latent_dim` set), else
    `(x, None)`."""
    conditional = isinstance(inputs, list | tuple)
    paired = num_classes is not None or latent_dim is not None
    if conditional != paired:
        second = "latent codes" if latent_dim is not None else "labels"
        expected = f"[inputs, {second}]" if paired else "one tensor"
        arguments = (
            f"latent_dim={latent_dim}" if latent_dim is not None else f"num_classes={num_classes}"
        )
        raise ValueError(
            f"{name}({arguments}) is called on {expected}. Received: "
            + (f"a list of {len(inputs)}" if conditional else "one tensor")
        )
    if not conditional:
        return inputs, None
    x, second = inputs
    return x, second


def input_shape_of(input_shape):
    """The first input's shape of a possibly conditional network's input shape(s)."""
    if (
        isinstance(input_shape, list | tuple)
        and input_shape
        and isinstance(input_shape[0], list | tuple)
    ):
        return tuple(input_shape[0])
    return None if input_shape is None else tuple(input_shape)


def joint_latent_dim(latent_dim, num_classes):
    """A discriminator's `latent_dim` argument, checked: None or a size, never with labels."""
    if latent_dim is None:
        return None
    if num_classes is not None:
        raise ValueError(
            "A discriminator judges either labels (num_classes) or latent codes (latent_dim), "
            f"not both. Received: num_classes={num_classes}, latent_dim={latent_dim}"
        )
    return positive_int("latent_dim", latent_dim)
