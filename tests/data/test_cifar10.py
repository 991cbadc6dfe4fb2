"""CIFAR-10 from its three lossless .npz files through `--dataset=cifar10 --manual_dir`."""

import hashlib

import numpy as np
import pytest

from keras_gan.data import load_dataset
from keras_gan.data.cifar10_npz import CLASS_NAMES


@pytest.fixture(scope="module")
def train(cifar10_manual_dir):
    return load_dataset("cifar10", manual_dir=str(cifar10_manual_dir), with_labels=True)


def digest(images):
    return [hashlib.sha1(image.tobytes()).digest() for image in images]


def test_counts_classes_and_pixels(cifar10_manual_dir, train):
    folder = str(cifar10_manual_dir)
    test = load_dataset("cifar10", manual_dir=folder, split="test", with_labels=True)
    assert train.samples.shape == (50000, 32, 32, 3) and test.samples.shape == (10000, 32, 32, 3)
    np.testing.assert_array_equal(np.bincount(train.labels), [5000] * 10)
    np.testing.assert_array_equal(np.bincount(test.labels), [1000] * 10)
    assert train.class_names == test.class_names == CLASS_NAMES
    assert train.samples.dtype == np.float32
    assert train.samples.min() == 0.0 and train.samples.max() == 1.0
    # The published CIFAR-10 training means per channel.
    means = train.samples.mean(axis=(0, 1, 2), dtype=np.float64)
    np.testing.assert_allclose(means, [0.4914, 0.4822, 0.4465], atol=5e-5)
    assert not set(digest(train.samples)) & set(digest(test.samples))


def test_slices_partition_the_split_and_mix_the_classes(cifar10_manual_dir, train):
    folder = str(cifar10_manual_dir)
    first = load_dataset("cifar10", manual_dir=folder, split="train[:40000]", with_labels=True)
    rest = load_dataset("cifar10", manual_dir=folder, split="train[40000:]", with_labels=True)
    np.testing.assert_array_equal(np.concatenate([first.labels, rest.labels]), train.labels)
    np.testing.assert_array_equal(np.concatenate([first.samples, rest.samples]), train.samples)
    # The shared files sort by class; a slice of them would miss classes.
    assert np.bincount(rest.labels, minlength=10).min() > 900
    unlabelled = load_dataset("cifar10", manual_dir=folder, split="train[:1%]+test[:100]")
    assert isinstance(unlabelled, np.ndarray) and unlabelled.shape == (600, 32, 32, 3)


def test_order_follows_the_images_not_the_files(cifar10_manual_dir, train, tmp_path):
    """Files holding the same images in another order give the same split."""
    for name in ("train_part1.npz", "train_part2.npz", "test.npz"):
        with np.load(cifar10_manual_dir / name) as archive:
            x, y = archive["x"], archive["y"]
        order = np.random.default_rng(0).permutation(len(x))
        np.savez(tmp_path / name, x=x[order], y=y[order])
    # Swap the two training files' contents too.
    part1, part2 = tmp_path / "train_part1.npz", tmp_path / "train_part2.npz"
    part1.rename(tmp_path / "swap.npz")
    part2.rename(part1)
    (tmp_path / "swap.npz").rename(part2)
    again = load_dataset("cifar10", manual_dir=str(tmp_path), split="train", with_labels=True)
    np.testing.assert_array_equal(again.labels, train.labels)
    np.testing.assert_array_equal(again.samples, train.samples)


def test_bad_folders_and_splits(tmp_path, cifar10_manual_dir):
    np.savez(tmp_path / "test.npz", x=np.zeros((3, 32, 32, 3), np.uint8), y=np.zeros(3))
    with pytest.raises(ValueError, match=r"missing: \['train_part1.npz', 'train_part2.npz'\]"):
        load_dataset("cifar10", manual_dir=str(tmp_path))
    for name in ("train_part1.npz", "train_part2.npz"):
        np.savez(tmp_path / name, x=np.zeros((3, 32, 32, 3), np.uint8), y=np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match=r"shape \(50000, 32, 32, 3\). Received: uint8 of shape"):
        load_dataset("cifar10", manual_dir=str(tmp_path))
    with pytest.raises(ValueError, match=r"Cannot read the split 'validation' of cifar10"):
        load_dataset("cifar10", manual_dir=str(cifar10_manual_dir), split="validation")
