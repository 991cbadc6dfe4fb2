"""Streaming image files: the in-memory pipeline's batches, resumable, shared among workers."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data import ImageFiles
from keras_gan.data import list_image_files
from keras_gan.data import load_image_folder
from keras_gan.data import make_data_source_pipeline
from keras_gan.data import make_epoch_pipeline
from keras_gan.data import make_streaming_pipeline


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """30 distinct 4x4 RGB PNGs in two class subfolders."""
    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    for index in range(30):
        kind = root / ("a" if index % 3 else "b")
        kind.mkdir(exist_ok=True)
        image = rng.integers(0, 256, (4, 4, 3), np.uint8)
        (kind / f"{index:03d}.png").write_bytes(tf.io.encode_png(image).numpy())
    return root


def _batches(dataset):
    return [tuple(np.asarray(t) for t in batch) for batch in dataset]


def test_streamed_batches_equal_the_in_memory_ones_and_resume_exactly(folder):
    images, labels, names = load_image_folder(folder, with_labels=True)
    files, file_labels, file_names = list_image_files(folder, with_labels=True)
    np.testing.assert_array_equal(labels, file_labels)
    assert names == file_names == ("a", "b")
    options = dict(batch_size=4, seed=3, epochs=2, output_range=(-1, 1))
    memory, steps = make_epoch_pipeline(images, labels=labels, **options)
    streamed, streamed_steps = make_streaming_pipeline(files, labels=file_labels, **options)
    assert steps == streamed_steps == 7
    expected = _batches(memory)
    got = _batches(streamed)
    assert len(got) == len(expected) == 14
    for (image, label), (want_image, want_label) in zip(got, expected, strict=True):
        np.testing.assert_array_equal(image, want_image)  # bit for bit, not close
        np.testing.assert_array_equal(label, want_label)
    for start_step in (1, 7, 10):
        resumed, _ = make_streaming_pipeline(
            files, labels=file_labels, start_step=start_step, **options
        )
        for (image, _), (want, _) in zip(_batches(resumed), expected[start_step:], strict=True):
            np.testing.assert_array_equal(image, want)


@pytest.mark.parametrize("pipelines, replicas", [(3, 3), (2, 6), (1, 2)])
def test_each_worker_reads_its_share_and_the_replicas_get_the_whole_batch(
    folder, pipelines, replicas
):
    files, _, _ = list_image_files(folder)
    whole, _ = make_streaming_pipeline(files, batch_size=6, seed=0, epochs=1)
    per_worker = replicas // pipelines
    replica_batches = []  # in replica order: worker 0's replicas, then worker 1's, ...
    for worker in range(pipelines):
        context = tf.distribute.InputContext(
            num_input_pipelines=pipelines, input_pipeline_id=worker, num_replicas_in_sync=replicas
        )
        dataset, _ = make_streaming_pipeline(
            files, batch_size=6, seed=0, epochs=1, input_context=context
        )
        batches = [np.asarray(batch) for batch in dataset]
        # One batch per local replica and step, consecutive.
        replica_batches.append(
            [batches[i : i + per_worker] for i in range(0, len(batches), per_worker)]
        )
        policy = dataset.options().experimental_distribute.auto_shard_policy
        assert policy == tf.data.experimental.AutoShardPolicy.OFF
    for step, batch in enumerate(whole):
        parts = [part for worker in replica_batches for part in worker[step]]
        assert len(parts) == replicas and all(len(part) == 6 // replicas for part in parts)
        np.testing.assert_array_equal(np.concatenate(parts), np.asarray(batch))


def test_a_batch_that_does_not_divide_among_replicas_is_refused(folder):
    files, _, _ = list_image_files(folder)
    context = tf.distribute.InputContext(
        num_input_pipelines=2, input_pipeline_id=0, num_replicas_in_sync=4
    )
    with pytest.raises(ValueError, match="batch of 6 does not divide among 4 replicas in 2 input"):
        make_streaming_pipeline(files, batch_size=6, seed=0, epochs=1, input_context=context)


def test_bad_files_are_named(folder, tmp_path):
    files, _, _ = list_image_files(folder)
    broken = tmp_path / "broken.png"
    broken.write_text("not an image")
    with pytest.raises(ValueError, match=r"Cannot read image file '.*broken.png'"):
        make_streaming_pipeline([broken, *files], batch_size=4, seed=0, epochs=1)
    with pytest.raises(ValueError, match=r"Received: files=\[\]"):
        make_streaming_pipeline([], batch_size=4, seed=0, epochs=1)
    grey = tmp_path / "grey.png"
    grey.write_bytes(tf.io.encode_png(np.zeros((4, 4, 1), np.uint8)).numpy())
    # A file of another shape stops the stream with its name, when its batch is due.
    dataset, _ = make_streaming_pipeline([*files[:3], grey], batch_size=4, seed=0, epochs=1)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"shape of the first, \(4, 4, 3\). Received:.*grey.png",
    ):
        _batches(dataset)
    with pytest.raises(ValueError, match="one class id for each of the 30 samples"):
        make_streaming_pipeline(files, batch_size=4, seed=0, epochs=1, labels=[0, 1])


def test_image_files_index_like_the_loaded_array_and_feed_the_neighbour_search(folder):
    from keras_gan.metrics import nearest_training_images

    images = load_image_folder(folder)
    files = ImageFiles(list_image_files(folder)[0])
    assert len(files) == 30 and files.shape == images.shape == (30, 4, 4, 3)
    np.testing.assert_array_equal(files[3:9], images[3:9])
    np.testing.assert_array_equal(files[np.array([7, 0, 7])], images[[7, 0, 7]])
    np.testing.assert_array_equal(files[5], images[5])
    samples = np.random.default_rng(1).uniform(size=(5, 4, 4, 3))
    from_files = nearest_training_images(samples, files, chunk=7)
    from_memory = nearest_training_images(samples, images)
    np.testing.assert_array_equal(from_files[0], from_memory[0])
    np.testing.assert_allclose(from_files[1], from_memory[1], rtol=1e-12)


def test_a_tfds_set_streams_by_index_the_batches_it_gives_in_memory(
    mnist_array_record_dir, mnist_data_dir
):
    from keras_gan.data.datasets import load_dataset
    from keras_gan.data.tfds_images import tfds_data_source

    split = "train[:1000]"
    source, keys, names = tfds_data_source(
        "mnist", split=split, data_dir=str(mnist_array_record_dir)
    )
    assert keys == ("image", "label") and names == tuple(str(d) for d in range(10))
    loaded = load_dataset(
        "mnist", data_dir=mnist_data_dir, split=split, with_labels=True
    )  # the tfrecord copy, read into memory
    options = dict(batch_size=50, seed=5, epochs=2, output_range=(-1, 1))
    memory, steps = make_epoch_pipeline(loaded.samples, labels=loaded.labels, **options)
    expected = _batches(memory)
    for start_step in (0, 23):
        streamed, streamed_steps = make_data_source_pipeline(
            source, with_labels=True, start_step=start_step, **options
        )
        assert streamed_steps == steps == 20
        got = _batches(streamed)
        assert len(got) == 40 - start_step
        for (image, label), (want_image, want_label) in zip(
            got, expected[start_step:], strict=True
        ):
            np.testing.assert_array_equal(image, want_image)
            np.testing.assert_array_equal(label, want_label)
    with pytest.raises(
        ValueError,
        match=r"data_dir holds 'mnist' in another format \(FileFormat.TFRECORD",
    ):
        tfds_data_source("mnist", data_dir=mnist_data_dir)


def test_open_stream_gives_a_folders_batches_and_a_sample_that_spans_its_classes(folder):
    from keras_gan.data import open_stream

    images, labels, _ = load_image_folder(folder, with_labels=True)
    stream = open_stream("folder", data_dir=str(folder), with_labels=True)
    assert stream.class_names == ("a", "b")
    np.testing.assert_array_equal(stream.labels, labels)
    options = dict(batch_size=4, seed=1, epochs=1, labels=stream.labels)
    memory, _ = make_epoch_pipeline(images, **options)
    streamed, _ = stream.make_pipeline(**options)
    for (image, _), (want, _) in zip(_batches(streamed), _batches(memory), strict=True):
        np.testing.assert_array_equal(image, want)
    # Files are sorted by class subfolder ("a" holds 20, then "b" 10): a prefix of 12
    # would be all "a"; the drawn sample holds both, in file order, the same for a seed.
    sample = stream.in_memory_sample(seed=0, count=12)
    assert sample.shape == (12, 4, 4, 3)
    rows = [int(np.flatnonzero((images == image).all(axis=(1, 2, 3)))[0]) for image in sample]
    assert rows == sorted(rows) and len(set(labels[rows])) == 2
    np.testing.assert_array_equal(stream.in_memory_sample(seed=0, count=12), sample)
    assert not np.array_equal(stream.in_memory_sample(seed=1, count=12), sample)
    np.testing.assert_array_equal(stream.in_memory_sample(seed=0), images)  # all 30 fit


@pytest.mark.parametrize("name", ["ring", "npz"])
def test_open_stream_refuses_what_is_made_or_read_whole_in_memory(name, tmp_path):
    from keras_gan.data import open_stream

    with pytest.raises(ValueError, match=f"Only image folders and TFDS sets stream.*'{name}'"):
        open_stream(name, data_dir=str(tmp_path))
