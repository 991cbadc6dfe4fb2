import numpy as np
import pytest
import tensorflow as tf

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
