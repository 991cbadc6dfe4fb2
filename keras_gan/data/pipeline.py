"""The one input pipeline: scale, cache, shuffle, batch, prefetch."""

import numpy as np
import tensorflow as tf

from keras_gan.validation import positive_int

# Shuffle buffer for data sets that are not in memory as one array.
STREAM_SHUFFLE_BUFFER = 10_000


def make_pipeline(samples, batch_size, output_range=None, shuffle=True, seed=None, cache=True):
    """Turns samples into batches for `GAN.fit`.

    Args:
        samples: a NumPy array `(N, ...)`, or a `tf.data.Dataset` of samples or
            of `(sample, label)` pairs (labels are dropped). Image samples are
            expected in [0, 1].
        batch_size: samples per batch; the last partial batch is dropped so
            every step sees the same batch size (and one traced step).
        output_range: `(low, high)` to map [0, 1] onto, matching the
            generator's output (e.g. `(-1, 1)` for tanh); None leaves values.
        shuffle: reshuffle every epoch.
        seed: shuffle seed, for a reproducible data order.
        cache: keep the prepared samples in memory after the first epoch.

    Returns:
        A batched, prefetched `tf.data.Dataset`.

    Raises:
        ValueError: if `batch_size` is not positive or larger than the data.
    """
    dataset, buffer = _prepared(samples, batch_size, output_range, cache)
    if shuffle:
        dataset = dataset.shuffle(buffer, seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def make_epoch_pipeline(
    samples,
    batch_size,
    seed,
    epochs,
    start_step=0,
    steps_per_epoch=None,
    output_range=None,
    labels=None,
):
    """The batches of a run from step `start_step` to its end, in one dataset.

    Epoch `e` reads the data in a permutation drawn by a stateless random op
    from `(seed, e)` alone: not from how many epochs this process has read,
    nor from any global seed. So a run resumed at step `s`, in any process,
    reads exactly the batches the uninterrupted run read from step `s` on.
    Pass `steps_per_epoch` to `fit` as well, so Keras keeps one iterator
    across epochs. The samples are held in memory.

    Args:
        samples: a NumPy array `(N, ...)`, or a finite `tf.data.Dataset` of
            samples or of `(sample, label)` pairs (read into memory once).
        batch_size: samples per batch; partial batches are dropped.
        seed: the run's seed.
        epochs: the run's total number of epochs.
        start_step: batches already trained on.
        steps_per_epoch: batches per epoch (None: every full batch; more
            than that reads further passes, `epoch_index_batches`).
        output_range: as for `make_pipeline`.
        labels: None, or one int32 class id per sample: the batches are then
            `(samples, labels)` pairs, for a conditional GAN.

    Returns:
        `(dataset, steps_per_epoch)`.

    Raises:
        ValueError: if a batch does not fit in the data, `steps_per_epoch` is
            not a positive integer, or the labels are not one per sample.
    """
    samples = to_array(samples)
    num_samples = len(samples)
    _check_labels(labels, num_samples)
    indices, steps_per_epoch = epoch_index_batches(
        num_samples, batch_size, seed, epochs, start_step, steps_per_epoch
    )
    data = tf.constant(samples)
    scale, shift = _scale_and_shift(output_range)

    def gather(indices):
        return tf.gather(data, indices) * scale + shift

    if labels is not None:
        classes = tf.constant(np.asarray(labels, "int32"))
        images_of = gather

        def gather(indices):
            return images_of(indices), tf.gather(classes, indices)

    batches = indices.map(gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return batches.prefetch(tf.data.AUTOTUNE), steps_per_epoch


# Pass k >= 1 of an epoch (an epoch of more steps than one pass has) shuffles with the
# seed (run seed, epoch + k * PASS_STRIDE): never an epoch's own (seed, epoch).
PASS_STRIDE = 2**32


def epoch_index_batches(num_samples, batch_size, seed, epochs, start_step=0, steps_per_epoch=None):
    """The sample indices of each batch of a run from `start_step` on.

    The one order both the in-memory and the streaming pipelines read: epoch
    `e` is the permutation `stateless_shuffle(range(num_samples), (seed, e))`
    cut into batches, whatever process asks and however many epochs it read.
    An epoch of more steps than the data's full batches (a small data set)
    reads further passes, each a permutation of its own, cut the same way;
    its first pass is the one-pass epoch's order.

    Returns:
        `(dataset of int32 index batches, steps_per_epoch)`.

    Raises:
        ValueError: if a batch does not fit in the data, or `steps_per_epoch`
            is not a positive integer.
    """
    batch_size = positive_int("batch_size", batch_size)
    available = num_samples // batch_size
    if available < 1:
        raise ValueError(
            f"`batch_size` is larger than the data set ({num_samples} samples), so no "
            f"full batch can be formed. Received: batch_size={batch_size}"
        )
    steps_per_epoch = available if steps_per_epoch is None else steps_per_epoch
    steps_per_epoch = positive_int("steps_per_epoch", steps_per_epoch)
    passes = -(-steps_per_epoch // available)
    run_seed = tf.constant(int(seed), tf.int64)

    def epoch(index):
        def one_pass(k):
            order = tf.random.experimental.stateless_shuffle(
                tf.range(num_samples), seed=tf.stack([run_seed, index + k * PASS_STRIDE])
            )
            indices = tf.data.Dataset.from_tensor_slices(order[: available * batch_size])
            return indices.batch(batch_size, drop_remainder=True)

        return tf.data.Dataset.range(passes).flat_map(one_pass).take(steps_per_epoch)

    first_epoch, skip = divmod(int(start_step), steps_per_epoch)
    batches = tf.data.Dataset.range(first_epoch, epochs).flat_map(epoch).skip(skip)
    return batches, steps_per_epoch


def _check_labels(labels, num_samples):
    if labels is not None and np.shape(labels) != (num_samples,):
        raise ValueError(
            f"`labels` must hold one class id for each of the {num_samples} samples. "
            f"Received: labels of shape {np.shape(labels)}"
        )


def _scale_and_shift(output_range):
    """The affine map from [0, 1] onto `output_range` (identity for None)."""
    if output_range is None:
        return 1.0, 0.0
    low, high = (float(v) for v in output_range)
    return high - low, low


def to_array(samples):
    """Samples as one float32 NumPy array; a dataset is read to its end (labels dropped)."""
    if isinstance(samples, np.ndarray):
        return samples.astype("float32", copy=False)
    if isinstance(samples.element_spec, tuple):
        samples = samples.map(lambda sample, *_: sample)
    chunks = [chunk.numpy() for chunk in samples.batch(4096)]
    if not chunks:
        raise ValueError("The data set holds no samples.")
    return np.concatenate(chunks).astype("float32", copy=False)


def _prepared(samples, batch_size, output_range, cache):
    """Samples as a scaled, cached dataset, and a shuffle buffer that suits them."""
    batch_size = positive_int("batch_size", batch_size)
    if isinstance(samples, np.ndarray):
        num_samples = len(samples)
        buffer = num_samples
        dataset = tf.data.Dataset.from_tensor_slices(samples.astype("float32"))
    else:
        dataset = samples
        if isinstance(dataset.element_spec, tuple):
            dataset = dataset.map(lambda sample, *_: sample)
        num_samples = int(dataset.cardinality())
        buffer = STREAM_SHUFFLE_BUFFER
    if num_samples >= 0 and batch_size > num_samples:
        raise ValueError(
            f"`batch_size` is larger than the data set ({num_samples} samples), so no "
            f"full batch can be formed. Received: batch_size={batch_size}"
        )
    if output_range is not None:
        low, high = (float(v) for v in output_range)
        dataset = dataset.map(
            lambda x: tf.cast(x, tf.float32) * (high - low) + low,
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    if cache:
        dataset = dataset.cache()
    return dataset, buffer
