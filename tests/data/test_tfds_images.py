"""TFDS preparation from local files: the errors a user meets offline."""

import shutil
import socket

import numpy as np
import pytest

from keras_gan.data import load_dataset
from keras_gan.data import load_tfds_images


@pytest.fixture
def no_network(monkeypatch):
    def refuse(sock, address, *args):
        raise OSError(f"test forbids network access: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def copy_of(mnist_manual_dir, tmp_path):
    folder = tmp_path / "manual"
    shutil.copytree(mnist_manual_dir, folder)
    for file in folder.iterdir():
        file.chmod(0o644)
    return folder


def test_unknown_dataset_name(tmp_path):
    with pytest.raises(ValueError, match="Unknown data set 'mnistt'.*Received: dataset='mnistt'"):
        load_dataset("mnistt", data_dir=str(tmp_path))


def test_manual_dir_must_be_a_folder(tmp_path):
    with pytest.raises(ValueError, match="`manual_dir` is not a folder"):
        load_tfds_images("mnist", data_dir=tmp_path, manual_dir=tmp_path / "absent")


def test_corrupt_idx_file_is_reported_not_downloaded(mnist_manual_dir, tmp_path, no_network):
    manual = copy_of(mnist_manual_dir, tmp_path)
    (manual / "train-labels-idx1-ubyte.gz").write_bytes(b"not the original file")
    with pytest.raises(ValueError, match="does not match the checksum.*train-labels-idx1-ubyte"):
        load_tfds_images("mnist", data_dir=tmp_path / "tfds", manual_dir=manual)


def test_missing_idx_file_says_so_instead_of_hanging_on_the_network(
    mnist_manual_dir, tmp_path, no_network
):
    manual = copy_of(mnist_manual_dir, tmp_path)
    (manual / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(
        ValueError, match=r"missing: \['t10k-images-idx3-ubyte.gz'\]. Received: manual_dir="
    ):
        load_tfds_images("mnist", data_dir=tmp_path / "tfds", manual_dir=manual)


def test_prepared_data_is_reused_without_manual_dir(mnist_data_dir, no_network):
    dataset = load_tfds_images("mnist", split="train", data_dir=mnist_data_dir)
    images, labels = next(iter(dataset.batch(60000)))
    assert images.shape == (60000, 28, 28, 1)
    # SOURCE.md: train label counts and mean pixel (TFDS reorders examples).
    counts = np.bincount(labels.numpy(), minlength=10).tolist()
    assert counts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert float(np.mean(images)) * 255 == pytest.approx(33.3184, abs=1e-3)


def test_mnist_with_labels_gives_its_supervised_labels_and_class_names(mnist_data_dir):
    labelled = load_dataset("mnist", split="test", data_dir=mnist_data_dir, with_labels=True)
    assert labelled.samples.shape == (10000, 28, 28, 1)
    assert labelled.class_names == tuple(str(d) for d in range(10))
    # SOURCE.md: test label counts.
    assert np.bincount(labelled.labels).tolist() == [
        980,
        1135,
        1032,
        1010,
        982,
        892,
        958,
        1028,
        974,
        1009,
    ]


def test_a_data_set_another_process_prepared_at_the_same_time_is_used(
    mnist_data_dir, tmp_path, monkeypatch
):
    import tensorflow_datasets as tfds

    def lose_the_race(builder, *args, **kwargs):
        # What TFDS raises in the second of two processes preparing into one data_dir.
        raise FileExistsError(f"Cannot rename incomplete folder: {builder.data_dir} exists")

    monkeypatch.setattr(tfds.core.DatasetBuilder, "download_and_prepare", lose_the_race)
    dataset = load_tfds_images("mnist", split="test[:10]", data_dir=mnist_data_dir)
    images, _ = next(iter(dataset.batch(10)))
    assert images.shape == (10, 28, 28, 1)
    # Nothing prepared there: the error is not swallowed.
    with pytest.raises(FileExistsError, match="Cannot rename"):
        load_tfds_images("mnist", data_dir=tmp_path / "empty")
