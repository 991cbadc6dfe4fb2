"""Image folders and .npz files: what they load, and the errors for bad ones."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data import load_dataset
from keras_gan.data import load_image_folder
from keras_gan.data import load_npz


def write_png(path, image):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tf.io.encode_png(image).numpy())


def test_folder_reads_every_image_below_it_in_sorted_order(tmp_path):
    first = np.full((4, 4, 1), 255, np.uint8)
    second = np.zeros((4, 4, 1), np.uint8)
    write_png(tmp_path / "b" / "2.png", second)
    write_png(tmp_path / "a" / "1.png", first)
    (tmp_path / "notes.txt").write_text("not an image")
    images = load_dataset("folder", data_dir=str(tmp_path))
    assert images.shape == (2, 4, 4, 1) and images.dtype == np.float32
    np.testing.assert_array_equal(images[0], 1.0)
    np.testing.assert_array_equal(images[1], 0.0)


def test_folder_errors_name_the_file(tmp_path):
    write_png(tmp_path / "good.png", np.zeros((4, 4, 1), np.uint8))
    (tmp_path / "broken.png").write_bytes(b"\x89PNG but not really")
    with pytest.raises(ValueError, match=r"Cannot read image file '.*broken\.png'"):
        load_image_folder(tmp_path)
    (tmp_path / "broken.png").unlink()
    write_png(tmp_path / "wide.png", np.zeros((4, 6, 1), np.uint8))
    with pytest.raises(ValueError, match=r"Received: '.*wide\.png' of shape \(4, 6, 1\)"):
        load_image_folder(tmp_path)


def test_folder_missing_or_empty(tmp_path):
    with pytest.raises(ValueError, match="does not exist. Received: data_dir='.*nowhere'"):
        load_image_folder(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="No images"):
        load_image_folder(tmp_path)
    with pytest.raises(ValueError, match="reads its data from data_dir, which is not set"):
        load_dataset("folder")


def test_npz_scales_pixels_and_adds_a_channel(tmp_path):
    path = tmp_path / "digits.npz"
    np.savez(path, x=np.full((3, 5, 5), 51, np.uint8), y=np.arange(3))
    images = load_dataset("npz", data_dir=str(path))
    assert images.shape == (3, 5, 5, 1)
    np.testing.assert_allclose(images, 0.2)
    vectors = tmp_path / "points.npz"
    np.savez(vectors, np.array([[0.5, -1.5]], np.float64))
    np.testing.assert_array_equal(load_npz(vectors), np.array([[0.5, -1.5]], np.float32))


def test_npz_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load_npz(tmp_path / "missing.npz")
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ValueError, match=r"Cannot read '.*corrupt\.npz' as an \.npz archive"):
        load_npz(corrupt)
    several = tmp_path / "several.npz"
    np.savez(several, a=np.zeros((2, 2)), b=np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"several arrays \['a', 'b'\] and none is named 'x'"):
        load_npz(several)
    with pytest.raises(ValueError, match=r"has no array 'c'"):
        load_npz(several, key="c")
    flat = tmp_path / "flat.npz"
    np.savez(flat, x=np.zeros(5))
    with pytest.raises(ValueError, match=r"Received: shape \(5,\)"):
        load_npz(flat)


def test_npz_with_nan_or_inf_is_rejected_naming_the_sample(tmp_path):
    path = tmp_path / "points.npz"
    points = np.zeros((5, 2), np.float32)
    points[3, 1] = np.inf
    np.savez(path, x=points)
    with pytest.raises(ValueError, match=r"NaN or infinite values \(the first in sample 3\)"):
        load_npz(path)


def test_unreadable_folder_is_named(tmp_path, monkeypatch):
    # Root reads everything, so the permission answer is simulated.
    monkeypatch.setattr("os.access", lambda path, mode: False)
    with pytest.raises(ValueError, match="not readable. Received: data_dir="):
        load_image_folder(tmp_path)


def test_folder_with_labels_takes_the_sorted_class_subfolders(tmp_path):
    for name, value in (("dog", 0), ("cat", 255), ("cat/kitten", 128)):
        write_png(tmp_path / name / "x.png", np.full((4, 4, 1), value, np.uint8))
    labelled = load_dataset("folder", data_dir=str(tmp_path), with_labels=True)
    assert labelled.class_names == ("cat", "dog") and labelled.num_classes == 2
    # Files in sorted path order: cat/kitten/x.png, cat/x.png, dog/x.png.
    np.testing.assert_array_equal(labelled.labels, [0, 0, 1])
    assert labelled.labels.dtype == np.int32
    np.testing.assert_allclose(labelled.samples[:, 0, 0, 0], [128 / 255, 1.0, 0.0])
    write_png(tmp_path / "loose.png", np.zeros((4, 4, 1), np.uint8))
    with pytest.raises(ValueError, match=r"in a class subfolder.*Received: '.*loose\.png'"):
        load_image_folder(tmp_path, with_labels=True)


def test_npz_with_labels_reads_y_and_optional_class_names(tmp_path):
    path = tmp_path / "data.npz"
    x = np.zeros((4, 2, 2), np.uint8)
    np.savez(path, x=x, y=np.array([0, 2, 1, 2], np.uint8))
    labelled = load_dataset("npz", data_dir=str(path), with_labels=True)
    assert labelled.samples.shape == (4, 2, 2, 1)
    np.testing.assert_array_equal(labelled.labels, [0, 2, 1, 2])
    assert labelled.class_names == ("0", "1", "2")
    np.savez(path, x=x, y=np.array([0, 2, 1, 2]), class_names=np.array(["a", "b", "c"]))
    assert load_npz(path, with_labels=True)[2] == ("a", "b", "c")
    for y, message in (
        (None, r"has no array 'y' of class labels. Received arrays: \['x'\]"),
        (np.array([0.0, 1.0, 1.0, 0.0]), r"one integer class id per sample.*float64"),
        (np.array([0, 1, 1]), r"shape \(4,\). Received: int64 of shape \(3,\)"),
        (np.array([0, -1, 1, 0]), r"must be >= 0. Received: -1"),
    ):
        np.savez(path, x=x, **({} if y is None else {"y": y}))
        with pytest.raises(ValueError, match=message):
            load_npz(path, with_labels=True)


def test_synthetic_mixtures_label_each_point_with_its_component():
    from keras_gan.data import ring_modes

    labelled = load_dataset("ring", num_samples=1000, seed=3, with_labels=True)
    assert labelled.num_classes == 8 and labelled.class_names[0] == "mode 0"
    distance = np.linalg.norm(labelled.samples - ring_modes()[labelled.labels], axis=1)
    assert distance.max() < 0.02 * 6
    # The same points as without labels.
    np.testing.assert_array_equal(labelled.samples, load_dataset("ring", num_samples=1000, seed=3))
    with pytest.raises(ValueError, match="has no classes"):
        load_dataset("gaussian_1d", with_labels=True)


def test_npz_reads_several_files_or_a_folder_of_them_in_order(tmp_path):
    np.savez(tmp_path / "b.npz", x=np.full((2, 4, 4, 3), 255, np.uint8), y=np.array([1, 2]))
    np.savez(tmp_path / "a.npz", x=np.zeros((1, 4, 4, 3), np.uint8), y=np.array([0]))
    (tmp_path / "notes.txt").write_text("not an array")
    folder = load_dataset("npz", data_dir=str(tmp_path), with_labels=True)
    assert folder.samples.shape == (3, 4, 4, 3)
    np.testing.assert_array_equal(folder.samples[:, 0, 0, 0], [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(folder.labels, [0, 1, 2])
    assert folder.class_names == ("0", "1", "2")
    listed = load_dataset("npz", data_dir=f"{tmp_path / 'b.npz'},{tmp_path / 'a.npz'}")
    np.testing.assert_array_equal(listed[:, 0, 0, 0], [1.0, 1.0, 0.0])


def test_npz_files_that_disagree_are_named(tmp_path):
    np.savez(tmp_path / "a.npz", x=np.zeros((1, 4, 4, 3), np.uint8))
    np.savez(tmp_path / "b.npz", x=np.zeros((1, 4, 4, 1), np.uint8))
    with pytest.raises(ValueError, match=r"\(4, 4, 3\) in '.*a\.npz', \(4, 4, 1\) in '.*b\.npz'"):
        load_dataset("npz", data_dir=str(tmp_path))
    np.savez(tmp_path / "b.npz", x=np.zeros((1, 4, 4, 3)), y=[0], class_names=["cat"])
    np.savez(tmp_path / "a.npz", x=np.zeros((1, 4, 4, 3)), y=[0], class_names=["dog"])
    with pytest.raises(ValueError, match=r"name their classes differently: \['cat'\]"):
        load_dataset("npz", data_dir=str(tmp_path), with_labels=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match=r"holds no .npz file. Received: data_dir='.*empty'"):
        load_dataset("npz", data_dir=str(empty))
