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
    if shuffle:
        dataset = dataset.shuffle(buffer, seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
