"""Global contrast normalisation (the paper's CIFAR-10 data) and its way back to pixels."""

import numpy as np

from keras_gan.data import contrast_statistics
from keras_gan.data import gcn_to_display
from keras_gan.data import gcn_to_pixels
from keras_gan.data import global_contrast_normalize
from keras_gan.data import restore_contrast


def test_global_contrast_normalisation_as_pylearn2():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 32, 32, 3)).astype("float32")
    normalised = global_contrast_normalize(images)
    flat = normalised.reshape(5, -1).astype("float64")
    np.testing.assert_allclose(flat.mean(axis=1), 0.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(flat, axis=1), 55.0, rtol=1e-5)
    np.testing.assert_allclose(global_contrast_normalize(images / 255.0), normalised, atol=1e-5)
    flat_image = np.full((1, 4, 4, 3), 7.0)
    np.testing.assert_array_equal(global_contrast_normalize(flat_image), 0.0)
    shown = gcn_to_display(normalised)
    assert shown.min() >= 0.0 and shown.max() <= 1.0
    assert np.isclose(shown.max(), 1.0) or np.isclose(shown.min(), 0.0)


def test_restoring_an_image_s_own_mean_and_norm_undoes_the_normalisation():
    images = np.random.default_rng(1).uniform(0.1, 0.9, (6, 8, 8, 3)).astype("float32")
    means, norms = contrast_statistics(images)
    np.testing.assert_allclose(means, images.reshape(6, -1).mean(axis=1), rtol=1e-6)
    for scale in (55.0, 1.0):
        restored = restore_contrast(global_contrast_normalize(images, scale), means, norms, scale)
        np.testing.assert_allclose(restored, images, atol=1e-5)


def test_gcn_samples_become_pixels_with_the_reference_s_brightness_and_contrast():
    rng = np.random.default_rng(2)
    # Two kinds of reference image: dark and flat, bright and contrasty.
    dark = 0.2 + 0.01 * rng.standard_normal((50, 8, 8, 3))
    bright = 0.7 + 0.1 * rng.standard_normal((50, 8, 8, 3))
    reference = np.clip(np.concatenate([dark, bright]), 0, 1).astype("float32")
    samples = global_contrast_normalize(rng.standard_normal((400, 8, 8, 3)))
    pixels = gcn_to_pixels(samples, reference, seed=0)
    assert pixels.shape == samples.shape and pixels.dtype == np.float32
    assert pixels.min() >= 0.0 and pixels.max() <= 1.0
    means, norms = contrast_statistics(pixels)
    # Each sample took one reference image's mean and norm, the two kinds about equally often.
    dark_ones = means < 0.45
    assert 0.35 < dark_ones.mean() < 0.65
    ref_means, ref_norms = contrast_statistics(reference)
    assert np.abs(means[dark_ones] - ref_means[:50].mean()).max() < 0.01
    assert norms[dark_ones].max() < ref_norms[50:].min()
    # The content is the sample's: normalising again gives the sample back (no clipping here).
    flat = pixels.reshape(400, -1)
    inside = (flat.min(axis=1) > 0) & (flat.max(axis=1) < 1)
    assert inside.sum() > 200
    np.testing.assert_allclose(
        global_contrast_normalize(pixels[inside]), samples[inside], atol=1e-3
    )
    np.testing.assert_array_equal(pixels, gcn_to_pixels(samples, reference, seed=0))
    assert not np.array_equal(pixels, gcn_to_pixels(samples, reference, seed=1))
