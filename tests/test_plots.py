"""Pictures are written whole: a PNG is renamed into place only once it is complete."""

import numpy as np
import pytest

from keras_gan import plots


def test_a_picture_that_fails_midway_leaves_the_earlier_one_whole(tmp_path, monkeypatch):
    path = tmp_path / "grid.png"
    plots.plot_image_grid(np.zeros((4, 8, 8, 1)), path)
    earlier = path.read_bytes()
    assert earlier[:8] == b"\x89PNG\r\n\x1a\n"

    def interrupted(source, target):
        raise KeyboardInterrupt  # the run is killed between writing and renaming

    monkeypatch.setattr(plots.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        plots.plot_image_grid(np.ones((4, 8, 8, 1)), path)
    assert path.read_bytes() == earlier
    monkeypatch.undo()
    plots.plot_image_grid(np.ones((4, 8, 8, 1)), path)
    assert path.read_bytes() != earlier
    assert [p.name for p in tmp_path.iterdir()] == ["grid.png"]


def test_a_picture_goes_into_a_folder_that_is_missing(tmp_path):
    # A run kept or copied without samples/ (its checkpoints only) is resumed: its loss
    # curve is drawn again at the end.
    record = {"d_loss": 1.2, "g_loss": 0.8, "d_real": 0.6, "d_fake": 0.4}
    history = [{"epoch": 1, **record}, {"epoch": 2, **record}]
    plots.plot_losses(history, tmp_path / "samples" / "losses.png")
    assert (tmp_path / "samples" / "losses.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
