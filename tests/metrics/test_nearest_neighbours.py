"""The memorisation check: each sample's nearest training image, and its picture."""

import pathlib

import numpy as np
import pytest

from keras_gan.metrics.nearest_neighbours import nearest_training_images
from keras_gan.metrics.nearest_neighbours import write_nearest_neighbours


def test_copies_find_their_originals_and_distances_are_euclidean():
    rng = np.random.default_rng(0)
    training = rng.uniform(size=(5000, 4, 4, 3)).astype("float32")
    picks = np.array([4999, 0, 1234, 4096, 4095])  # across the chunk boundaries
    samples = training[picks] + rng.normal(0, 0.01, (5, 4, 4, 3)).astype("float32")
    indices, distances = nearest_training_images(samples, training, chunk=1000)
    np.testing.assert_array_equal(indices, picks)
    expected = np.linalg.norm((samples - training[picks]).reshape(5, -1).astype("float64"), axis=1)
    np.testing.assert_allclose(distances, expected, rtol=1e-5)
    exact, zero = nearest_training_images(training[picks], training)
    np.testing.assert_array_equal(exact, picks)
    np.testing.assert_allclose(zero, 0.0, atol=1e-6)


def test_the_picture_and_shape_errors(tmp_path):
    rng = np.random.default_rng(1)
    training = rng.uniform(size=(300, 8, 8, 1)).astype("float32")
    samples = training[:24]
    indices, _ = write_nearest_neighbours(samples, training, tmp_path / "pairs.png")
    np.testing.assert_array_equal(indices, np.arange(24))
    assert (tmp_path / "pairs.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match=r"samples of shape \(2, 8, 8, 3\), training images"):
        nearest_training_images(np.zeros((2, 8, 8, 3)), training)


def test_a_saved_generator_is_drawn_against_a_split(tiny_mnist_generator, tmp_path):
    from keras_gan.metrics.nearest_neighbours import write_memorisation_check

    keras_file, export = tiny_mnist_generator
    images = np.random.default_rng(0).integers(0, 256, (50, 28, 28), np.uint8)
    np.savez(tmp_path / "digits.npz", x=images)
    for model in (keras_file, export):
        path = tmp_path / f"{pathlib.Path(model).name}.png"
        indices, distances = write_memorisation_check(
            model, "npz", path, data_dir=str(tmp_path / "digits.npz")
        )
        assert len(indices) == 24 and indices.max() < 50 and (distances > 0).all()
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match=r"draws images; 'ring' holds samples of shape \(2,\)"):
        write_memorisation_check(keras_file, "ring", tmp_path / "ring.png")


def test_a_contrast_normalised_run_is_compared_with_normalised_images(
    tmp_path, monkeypatch, gcn_run
):
    from keras_gan import plots
    from keras_gan.data import global_contrast_normalize
    from keras_gan.metrics.nearest_neighbours import write_memorisation_check

    titles = []
    original = plots.plot_nearest_neighbours

    def spy(*args, title=None, **kwargs):
        titles.append(title)
        return original(*args, title=title, **kwargs)

    monkeypatch.setattr(plots, "plot_nearest_neighbours", spy)
    gan, checkpoint = gcn_run((8, 8, 3), 10.0)
    images = np.random.default_rng(0).integers(0, 256, (40, 8, 8, 3), np.uint8)
    np.savez(tmp_path / "images.npz", x=images)
    options = dict(data_dir=str(tmp_path / "images.npz"))
    indices, distances = write_memorisation_check(
        checkpoint, "npz", tmp_path / "gcn.png", **options
    )
    samples = gan.generate(24, seed=0)
    normalised = global_contrast_normalize(images / 255.0, scale=10.0)
    expected = nearest_training_images(samples, normalised)
    np.testing.assert_array_equal(indices, expected[0])
    np.testing.assert_allclose(distances, expected[1], rtol=1e-5)
    assert f"(contrast-normalised distance, median {np.median(distances):.2f})" in titles[0]
    # Told it was trained on pixels (a file outside the run), it compares with pixels.
    gan.save(tmp_path / "gan.keras")
    _, in_pixels = write_memorisation_check(
        tmp_path / "gan.keras", "npz", tmp_path / "pixels.png", **options
    )
    assert not np.allclose(in_pixels, distances)
    assert f"(pixel distance, median {np.median(in_pixels):.2f})" in titles[1]
