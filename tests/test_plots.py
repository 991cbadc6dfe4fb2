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
