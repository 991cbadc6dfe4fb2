"""Data larger than memory: image files read as the run needs them, in its epoch order."""

import numpy as np
import tensorflow as tf

from keras_gan.data.image_folder import read_images
from keras_gan.data.pipeline import _check_labels
from keras_gan.data.pipeline import _scale_and_shift
from keras_gan.data.pipeline import epoch_index_batches


def make_streaming_pipeline(
    files,
    batch_size,
    seed,
    epochs,
    start_step=0,
    steps_per_epoch=None,
    output_range=None,
    labels=None,
    input_context=None,
):
    """The batches of a run from step `start_step` on, decoded from image files.

    The streaming twin of `make_epoch_pipeline`: the same batches in the same
    order (epoch `e` reads the permutation drawn from `(seed, e)`, so a resumed
    run reads what the uninterrupted one read), but only the file names are
    held in memory; each image is read and decoded when its batch is due, in
    parallel, so memory stays flat whatever the number of files. Values equal
    `load_image_folder`'s: pixels / 255, then mapped onto `output_range`.

    Args:
        files: image paths (`keras_gan.data.image_folder.list_image_files`
            lists a folder); every image must have the first one's shape.
        batch_size: the global batch: samples per step over all workers.
        seed, epochs, start_step, steps_per_epoch, output_range, labels: as
            for `make_epoch_pipeline`.
        input_context: a `tf.distribute.InputContext` (what
            `strategy.distribute_datasets_from_function` passes): this input
            pipeline then reads only its share of each global batch
            (`batch_size / num_input_pipelines` images), so no worker reads
            another's files, and yields it as one batch per local replica
            (`batch_size / num_replicas_in_sync` images each), in replica
            order: replica r of the run gets slice r of the global batch, as
            `experimental_distribute_dataset` gives it from memory.

    Returns:
        `(dataset, steps_per_epoch)`; the dataset yields float32 images (and
        int32 labels) in batches (per replica, with `input_context`).

    Raises:
        ValueError: if there are no files, the first does not decode, a batch
            does not fit in the data or divide among the input pipelines, or
            the labels are not one per file. A later file that does not
            decode, or has another shape, stops iteration with TensorFlow's
            `InvalidArgumentError` (naming the file for a shape).
    """
    files = [str(f) for f in files]
    if not files:
        raise ValueError("No image files to stream. Received: files=[]")
    _check_labels(labels, len(files))
    shape = _first_shape(files[0])
    indices, steps_per_epoch = epoch_index_batches(
        len(files), batch_size, seed, epochs, start_step, steps_per_epoch
    )
    indices, per_replica = _this_pipelines_batches(indices, batch_size, input_context)
    paths = tf.constant(files)
    classes = None if labels is None else tf.constant(np.asarray(labels, "int32"))
    scale, shift = _scale_and_shift(output_range)

    @tf.autograph.experimental.do_not_convert  # no tensor-dependent Python control flow
    def read(index):
        path = tf.gather(paths, index)
        image = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
        same = tf.reduce_all(tf.equal(tf.shape(image), tf.constant(shape, tf.int32)))
        message = f"Every image must have the shape of the first, {shape}. Received:"
        with tf.control_dependencies([tf.debugging.Assert(same, [message, path, tf.shape(image)])]):
            image = tf.ensure_shape(image, shape)
        image = tf.cast(image, tf.float32) / 255.0 * scale + shift
        return image if classes is None else (image, tf.gather(classes, index))

    batches = (
        indices.unbatch()
        .map(read, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
        .batch(per_replica, drop_remainder=True)
    )
    return _finished(batches, input_context), steps_per_epoch


def make_data_source_pipeline(
    source,
    batch_size,
    seed,
    epochs,
    start_step=0,
    steps_per_epoch=None,
    output_range=None,
    with_labels=False,
    input_context=None,
    keys=("image", "label"),
):
    """`make_streaming_pipeline` for a random-access data source, e.g. TFDS's.

    `source[i]` (or `source.__getitems__(indices)`) gives example `i`: a dict
    with the image (uint8, `(H, W, C)`) and the label under `keys`, as
    `tfds.data_source` returns them (`keras_gan.data.tfds_images.
    tfds_data_source` prepares one offline). Each batch's examples are read
    in one call when the batch is due, in the epoch order every pipeline of
    the package reads, so the batches equal `make_epoch_pipeline`'s on the
    same images in the source's order, and resume stays exact.

    Args:
        source: the data source (`len` and indexing).
        batch_size, seed, epochs, start_step, steps_per_epoch, output_range,
            input_context: as for `make_streaming_pipeline`.
        with_labels: yield `(images, labels)`, the labels int32.
        keys: the image's and the label's keys in an example.

    Returns:
        `(dataset, steps_per_epoch)`.
    """
    images = DataSourceImages(source, keys[0])
    indices, steps_per_epoch = epoch_index_batches(
        len(images), batch_size, seed, epochs, start_step, steps_per_epoch
    )
    indices, per_replica = _this_pipelines_batches(indices, batch_size, input_context)
    scale, shift = _scale_and_shift(output_range)
    shape = images.shape[1:]

    def read(batch):
        examples = images.examples(batch)
        pixels = np.stack([example[keys[0]] for example in examples])
        if pixels.shape[1:] != shape:
            raise ValueError(f"Every image must have the shape {shape}. Received: {pixels.shape}")
        if not with_labels:
            return pixels, np.zeros(len(examples), "int32")
        return pixels, np.array([example[keys[1]] for example in examples], "int32")

    @tf.autograph.experimental.do_not_convert  # no tensor-dependent Python control flow
    def batch_of(batch):
        pixels, labels = tf.numpy_function(read, [batch], (tf.uint8, tf.int32), stateful=False)
        pixels = tf.ensure_shape(pixels, (per_replica, *shape))
        pixels = tf.cast(pixels, tf.float32) / 255.0 * scale + shift
        return (pixels, tf.ensure_shape(labels, (per_replica,))) if with_labels else pixels

    batches = indices.map(batch_of, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return _finished(batches, input_context), steps_per_epoch


def _this_pipelines_batches(indices, batch_size, input_context):
    """The index batches this input pipeline reads, and their size.

    Without a context: the global batches. With one: this pipeline's share of
    each global batch, cut into one batch per local replica in replica order.
    """
    if input_context is None:
        return indices, batch_size
    pipelines = input_context.num_input_pipelines
    replicas = input_context.num_replicas_in_sync
    if batch_size % replicas or replicas % pipelines:
        raise ValueError(
            f"The batch of {batch_size} does not divide among {replicas} replicas in "
            f"{pipelines} input pipelines (workers). Received: batch_size={batch_size}"
        )
    share = batch_size // pipelines
    per_replica = batch_size // replicas
    first = input_context.input_pipeline_id * share
    indices = indices.map(lambda batch: batch[first : first + share])
    return indices.unbatch().batch(per_replica, drop_remainder=True), per_replica


def _finished(batches, input_context):
    if input_context is not None:
        # Already this worker's share: tf.distribute must not shard it again.
        options = tf.data.Options()
        options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.OFF
        batches = batches.with_options(options)
    return batches.prefetch(tf.data.AUTOTUNE)


def _first_shape(path):
    try:
        image = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
    except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError) as error:
        raise ValueError(f"Cannot read image file {path!r}: {error.message}") from error
    return tuple(int(d) for d in image.shape)


class _RandomAccessImages:
    """An array-like of images decoded when indexed: `len`, `shape`, `ndim`,
    `[slice]`, `[indices]`, `[i]`, values float32 in [0, 1].

    For code written against an in-memory `(N, H, W, C)` array that only
    slices it, such as `keras_gan.metrics.nearest_training_images`: it then
    walks a data set larger than memory a chunk at a time. Subclasses give
    `_read(indices)`: the uint8 images at those positions.
    """

    def _set_shape(self, count, image_shape):
        self.shape = (count, *(int(d) for d in image_shape))
        self.ndim = len(self.shape)

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, key):
        positions = np.arange(len(self))[key]
        if positions.ndim == 0:
            return self[[int(positions)]][0]
        if not len(positions):
            return np.zeros((0, *self.shape[1:]), "float32")
        images = self._read(positions)
        if images.shape[1:] != self.shape[1:]:
            raise ValueError(
                f"Every image must have the shape of the first, {self.shape[1:]}. Received: "
                f"images of shape {images.shape[1:]} at positions {positions[:5].tolist()}..."
            )
        return images


class DataSourceImages(_RandomAccessImages):
    """The images of a random-access data source (`tfds.data_source`) as an array-like.

    Args:
        source: indexable examples, dicts holding the image under `key`.
        key: the image's key.
    """

    def __init__(self, source, key="image"):
        if not len(source):
            raise ValueError("The data source holds no examples. Received: an empty source")
        self.source = source
        self.key = key
        self._set_shape(len(source), np.shape(self.examples([0])[0][key]))

    def examples(self, indices):
        indices = [int(i) for i in indices]
        if hasattr(self.source, "__getitems__"):
            return self.source.__getitems__(indices)
        return [self.source[i] for i in indices]

    def _read(self, positions):
        pixels = np.stack([example[self.key] for example in self.examples(positions)])
        return pixels.astype("float32") / 255.0


class ImageFiles(_RandomAccessImages):
    """Image files as a read-only array-like, decoded when indexed (values equal
    `load_image_folder`'s); see `_RandomAccessImages`.

    Args:
        files: image paths; each must have the first one's shape.

    Raises:
        ValueError: if there are no files or the first does not decode.
    """

    def __init__(self, files):
        self.files = np.array([str(f) for f in files])
        if not len(self.files):
            raise ValueError("No image files. Received: files=[]")
        self._set_shape(len(self.files), _first_shape(self.files[0]))

    def _read(self, positions):
        return read_images(list(self.files[positions]))
