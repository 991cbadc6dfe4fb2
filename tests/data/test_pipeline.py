import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data import make_epoch_pipeline
from keras_gan.data import make_pipeline


def test_batches_are_full_scaled_and_shuffled_reproducibly():
    samples = np.linspace(0.0, 1.0, 10, dtype="float32").reshape(10, 1)
    batches = list(make_pipeline(samples, batch_size=4, output_range=(-1, 1), seed=3))
    assert [b.shape[0] for b in batches] == [4, 4]  # the partial batch is dropped
    values = np.concatenate(batches).ravel()
    assert values.min() >= -1.0 and values.max() <= 1.0
    assert set(np.round(values, 5)) <= set(np.round(samples.ravel() * 2 - 1, 5))
    again = np.concatenate(list(make_pipeline(samples, 4, output_range=(-1, 1), seed=3)))
    np.testing.assert_array_equal(values, again.ravel())


def test_each_epoch_gets_a_new_order():
    dataset = make_pipeline(np.arange(64, dtype="float32").reshape(64, 1), batch_size=64, seed=0)
    first, second = (np.asarray(next(iter(dataset))).ravel() for _ in range(2))
    assert sorted(first) == sorted(second) and not np.array_equal(first, second)


def test_labels_are_dropped_from_datasets_of_pairs():
    pairs = tf.data.Dataset.from_tensor_slices((np.ones((6, 2, 2, 1), "float32"), np.arange(6)))
    batch = next(iter(make_pipeline(pairs, batch_size=3)))
    assert batch.shape == (3, 2, 2, 1)


@pytest.mark.parametrize("batch_size, message", [(0, "positive integer"), (11, "larger than")])
def test_bad_batch_size(batch_size, message):
    with pytest.raises(ValueError, match=f"{message}.*{batch_size}"):
        make_pipeline(np.zeros((10, 1), "float32"), batch_size=batch_size)


def _order(dataset):
    return np.concatenate([batch.numpy().ravel() for batch in dataset]).tolist()


def test_epoch_pipeline_resumed_at_any_step_reads_what_the_whole_run_read():
    samples = np.arange(40, dtype="float32")[:, None]
    whole, steps = make_epoch_pipeline(samples, 4, seed=3, epochs=3)
    assert steps == 10
    full = _order(whole)
    assert len(full) == 3 * 40
    for epoch in range(3):  # every epoch is a permutation of the data
        assert sorted(full[epoch * 40 : (epoch + 1) * 40]) == list(range(40))
    assert full[:40] != full[40:80]
    for start_step in (1, 10, 17):
        resumed, _ = make_epoch_pipeline(samples, 4, seed=3, epochs=3, start_step=start_step)
        assert _order(resumed) == full[start_step * 4 :]
    other_seed, _ = make_epoch_pipeline(samples, 4, seed=4, epochs=3)
    assert _order(other_seed) != full
    tf.random.set_seed(123)  # no global seed changes the order
    assert _order(make_epoch_pipeline(samples, 4, seed=3, epochs=3)[0]) == full


def test_epoch_pipeline_reads_datasets_into_memory_and_scales():
    pairs = tf.data.Dataset.from_tensor_slices((np.full((8, 2), 0.5, "float32"), np.arange(8)))
    dataset, steps = make_epoch_pipeline(pairs, 4, seed=0, epochs=1, output_range=(-1, 1))
    assert steps == 2
    np.testing.assert_array_equal(np.concatenate(list(dataset.as_numpy_iterator())), 0.0)


def test_epoch_pipeline_steps_per_epoch_takes_the_first_batches_of_each_epoch():
    samples = np.arange(40, dtype="float32")[:, None]
    full = _order(make_epoch_pipeline(samples, 4, seed=0, epochs=2)[0])
    short, steps = make_epoch_pipeline(samples, 4, seed=0, epochs=2, steps_per_epoch=3)
    assert steps == 3
    assert _order(short) == full[:12] + full[40:52]
    with pytest.raises(
        ValueError,
        match=r"`steps_per_epoch` must be a positive integer. Received: steps_per_epoch=0",
    ):
        make_epoch_pipeline(samples, 4, seed=0, epochs=2, steps_per_epoch=0)


def test_an_epoch_longer_than_the_data_reads_further_passes_and_resumes_exactly():
    samples = np.arange(40, dtype="float32")[:, None]
    one_pass = _order(make_epoch_pipeline(samples, 4, seed=0, epochs=2)[0])
    long, steps = make_epoch_pipeline(samples, 4, seed=0, epochs=2, steps_per_epoch=25)
    assert steps == 25
    full = _order(long)
    assert len(full) == 2 * 100
    for epoch in range(2):
        mine = full[epoch * 100 : (epoch + 1) * 100]
        # The first pass is the one-pass epoch's; then two more passes, each a permutation.
        assert mine[:40] == one_pass[epoch * 40 : (epoch + 1) * 40]
        assert sorted(mine[40:80]) == list(range(40)) and mine[40:80] != mine[:40]
        assert len(set(mine[80:])) == 20  # the first half of a third permutation
    for start_step in (9, 11, 31):
        resumed, _ = make_epoch_pipeline(
            samples, 4, seed=0, epochs=2, start_step=start_step, steps_per_epoch=25
        )
        assert _order(resumed) == full[start_step * 4 :]


def test_epoch_pipeline_keeps_each_label_with_its_sample():
    samples = np.arange(20, dtype="float32").reshape(20, 1)
    labels = (np.arange(20) % 4).astype("int32")
    dataset, steps = make_epoch_pipeline(samples, 5, seed=1, epochs=2, labels=labels)
    batches = list(dataset.as_numpy_iterator())
    assert len(batches) == 2 * steps == 8
    for images, classes in batches:
        assert classes.dtype == np.int32
        np.testing.assert_array_equal(classes, images[:, 0].astype("int32") % 4)
    # The order is the unlabelled pipeline's.
    plain, _ = make_epoch_pipeline(samples, 5, seed=1, epochs=2)
    for (images, _), alone in zip(batches, plain.as_numpy_iterator(), strict=True):
        np.testing.assert_array_equal(images, alone)
    with pytest.raises(ValueError, match=r"each of the 20 samples. Received: labels of shape"):
        make_epoch_pipeline(samples, 5, seed=1, epochs=1, labels=labels[:5])
