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
    share = per_replica = batch_size
    if input_context is not None:
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
    if input_context is not None:
        # Already this worker's share: tf.distribute must not shard it again.
        options = tf.data.Options()
        options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.OFF
        batches = batches.with_options(options)
    return batches.prefetch(tf.data.AUTOTUNE), steps_per_epoch


def _first_shape(path):
    try:
        image = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
    except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError) as error:
        raise ValueError(f"Cannot read image file {path!r}: {error.message}") from error
    return tuple(int(d) for d in image.shape)


class ImageFiles:
    """Image files as a read-only array-like, decoded when indexed.

    For code written against an in-memory `(N, H, W, C)` array that only
    slices it (`files[a:b]`, `files[indices]`) and reads `len` and `shape`,
    such as `keras_gan.metrics.nearest_training_images`: it then walks a data
    set larger than memory a chunk at a time. Values equal
    `load_image_folder`'s.

    Args:
        files: image paths; each must have the first one's shape.

    Raises:
        ValueError: if there are no files or the first does not decode.
    """

    def __init__(self, files):
        self.files = np.array([str(f) for f in files])
        if not len(self.files):
            raise ValueError("No image files. Received: files=[]")
        self.shape = (len(self.files), *_first_shape(self.files[0]))
        self.ndim = len(self.shape)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, key):
        chosen = self.files[key]
        if chosen.ndim == 0:
            return self[[key]][0]
        if not len(chosen):
            return np.zeros((0, *self.shape[1:]), "float32")
        images = read_images(list(chosen))
        if images.shape[1:] != self.shape[1:]:
            raise ValueError(
                f"Every image must have the shape of the first, {self.shape[1:]}. Received: "
                f"{chosen[0]!r} of shape {images.shape[1:]}"
            )
        return images
