"""The per-epoch pictures: a conditional GAN's grid has one named row per class."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import plots
from keras_gan.callbacks import sample_pictures
from tests.models.test_conditional_gan import small_conditional_gan


def test_a_conditional_grid_has_one_row_per_class_in_class_order(tmp_path, monkeypatch):
    gan = small_conditional_gan(class_names=["a", "b", "c"])
    drawn = {}

    def spy(images, path, title=None, columns=None, row_labels=None):
        drawn.update(images=images, columns=columns, row_labels=row_labels)
        return plot(images, path, title=title, columns=columns, row_labels=row_labels)

    plot = plots.plot_image_grid
    monkeypatch.setattr(plots, "plot_image_grid", spy)
    assert sample_pictures.draw(gan, None, tmp_path / "grid.png", seed=4)
    columns = sample_pictures.CLASS_COLUMNS
    assert drawn["columns"] == columns and drawn["row_labels"] == ["a", "b", "c"]
    # Row r holds the samples generated for class r.
    expected = gan.generate(3 * columns, seed=4, labels=np.repeat([0, 1, 2], columns))
    np.testing.assert_array_equal(drawn["images"], expected)
    image = tf.io.decode_png((tmp_path / "grid.png").read_bytes())
    assert image.shape[0] > 0 and image.shape[1] > 0


def test_row_labels_must_name_every_row(tmp_path):
    with pytest.raises(ValueError, match="name each of the 2 rows. Received: 3 labels"):
        plots.plot_image_grid(
            np.zeros((4, 3, 3, 1)), tmp_path / "grid.png", columns=2, row_labels=["a", "b", "c"]
        )
