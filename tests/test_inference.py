"""keras_gan.inference: lines in latent space and the pictures of a GAN with an encoder."""

import numpy as np
import pytest

from keras_gan import inference
from keras_gan import plots
from tests import test_case


def test_interpolate_runs_straight_from_start_to_end():
    start, end = np.array([[0.0, 2.0], [1.0, 1.0]]), np.array([[4.0, -2.0], [1.0, 3.0]])
    lines = inference.interpolate(start, end, 5)
    assert lines.shape == (2, 5, 2)
    np.testing.assert_array_equal(lines[:, 0], start)
    np.testing.assert_array_equal(lines[:, -1], end)
    np.testing.assert_allclose(lines[0, 1], [1.0, 1.0])  # a quarter of the way
    np.testing.assert_allclose(np.diff(lines, axis=1), np.diff(lines, axis=1)[:, :1].repeat(4, 1))
    with pytest.raises(ValueError, match=r"`steps` must be >= 2"):
        inference.interpolate(start, end, 1)


def test_interpolations_decode_lines_between_samples_or_between_encoded_images():
    gan = test_case.small_image_gan()
    rows = inference.interpolations(gan, rows=3, steps=4, seed=1)
    assert rows.shape == (3, 4, 4, 4, 1)
    # The first column is the generator's sample of the first noise end.
    ends = gan.sample_latent(6, seed=1).numpy()
    np.testing.assert_allclose(rows[:, 0], gan.generator(ends[0::2]), atol=1e-6)
    np.testing.assert_allclose(rows[:, -1], gan.generator(ends[1::2]), atol=1e-6)

    from keras_gan.models import MLPEncoder

    encoder = MLPEncoder(latent_dim=8, hidden_units=(8,))
    images = test_case.small_images(6)
    rows = inference.interpolations(gan, rows=3, steps=4, encoder=encoder, images=images)
    codes = inference.encode(encoder, images)
    np.testing.assert_allclose(rows[:, 0], gan.generator(codes[0::2]), atol=1e-6)
    with pytest.raises(ValueError, match=r"6 images. Received: 5 images"):
        inference.interpolations(gan, rows=3, encoder=encoder, images=images[:5])


def test_write_pictures_draws_figure_3_and_with_an_encoder_the_real_image_pictures(tmp_path):
    from keras_gan.models import MLPEncoder

    gan = test_case.small_image_gan()
    written = inference.write_pictures(gan, tmp_path / "plain")
    assert [p.name for p in written] == ["interpolations.png"]
    encoder = MLPEncoder(latent_dim=8, hidden_units=(8,))
    written = inference.write_pictures(gan, tmp_path / "coded", encoder, test_case.small_images(40))
    assert [p.name for p in written] == [
        "interpolations.png",
        "interpolations_data.png",
        "reconstructions.png",
    ]
    assert all(p.stat().st_size > 1000 for p in written)


def test_plot_interpolations_names_bad_shapes(tmp_path):
    with pytest.raises(ValueError, match=r"\(n, steps, height, width, channels\)"):
        plots.plot_interpolations(np.zeros((3, 4, 4, 1)), tmp_path / "x.png")
    with pytest.raises(ValueError, match=r"`ends` must be the 4 images"):
        plots.plot_interpolations(
            np.zeros((2, 5, 4, 4, 1)), tmp_path / "x.png", ends=np.zeros((3, 4, 4, 1))
        )


def test_the_readme_s_module_paths_resolve_after_import_keras_gan():
    import keras_gan

    assert keras_gan.inference.interpolations is inference.interpolations
    assert keras_gan.plots.plot_interpolations is plots.plot_interpolations
