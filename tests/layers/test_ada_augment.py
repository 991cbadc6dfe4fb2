"""ADA's augmentation pipeline: the resampling's conventions, each group's effect, p, and
what `GAN` relies on (identity in inference, gradients, saving, ADA's adaptation)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import AdaAugment
from keras_gan.layers.ada_augment import _rotate2d
from keras_gan.layers.ada_augment import _scale2d
from keras_gan.layers.ada_augment import _translate2d
from keras_gan.layers.ada_augment import warp


def images(batch=3, side=6, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(size=(batch, side, side, channels)).astype("float32")


def same(matrix, batch=3):
    return tf.tile(tf.convert_to_tensor(matrix, tf.float32)[None], (batch, 1, 1))


def test_warp_reads_pixels_about_the_centre_and_mirrors_beyond_the_border():
    x = images()
    ones = tf.ones(3)
    np.testing.assert_array_equal(warp(x, same(np.eye(3))), x)
    np.testing.assert_array_equal(warp(x, _scale2d(-ones, ones)), x[:, :, ::-1])  # x-flip
    quarter = warp(x, _rotate2d(np.pi / 2 * ones)).numpy()
    np.testing.assert_allclose(quarter, np.rot90(x, k=1, axes=(1, 2)), atol=1e-6)
    # Output pixel (.., x) reads input x + 2; past the edge, the mirror without the edge.
    shifted = warp(x, _translate2d(2 * ones, 0 * ones)).numpy()
    mirrored = np.pad(x, ((0, 0), (0, 0), (0, 2), (0, 0)), mode="reflect")
    np.testing.assert_allclose(shifted, mirrored[:, :, 2:], atol=1e-6)
    # Half a pixel: the mean of the two neighbours (bilinear).
    half = warp(x, _translate2d(0 * ones, 0.5 * ones)).numpy()
    np.testing.assert_allclose(half[:, :-1], (x[:, :-1] + x[:, 1:]) / 2, atol=1e-6)


def test_p_zero_and_inference_are_the_identity_and_p_one_transforms():
    x = images()
    idle = AdaAugment(probability=0.0, adaptive_target=None, seed=0)
    np.testing.assert_allclose(idle(x, training=True), x, atol=1e-6)
    busy = AdaAugment(probability=1.0, adaptive_target=None, seed=0)
    np.testing.assert_array_equal(busy(x, training=False), x)
    assert np.abs(busy(x, training=True).numpy() - x).max() > 0.1
    # Another draw each call: the layer's SeedGenerator advances.
    assert np.abs(busy(x, training=True).numpy() - busy(x, training=True).numpy()).max() > 0.1


def test_blit_transforms_are_the_dihedral_group_and_integer_shifts_with_probability_p():
    x = tf.zeros((4000, 16, 16, 1))
    blit = AdaAugment("blit", probability=1.0, adaptive_target=None, seed=1)
    matrices = blit._geometric_matrices(x, tf.constant(1.0)).numpy()
    linear, shift = matrices[:, :2, :2], matrices[:, :2, 2]
    np.testing.assert_allclose(np.abs(np.linalg.det(linear)), 1.0, atol=1e-6)
    np.testing.assert_allclose(linear, np.round(linear), atol=1e-6)  # entries in {-1, 0, 1}
    np.testing.assert_allclose(shift, np.round(shift), atol=1e-5)  # whole pixels
    assert np.abs(shift).max() <= round(0.125 * 16) + 1e-5
    kinds = {tuple(np.round(m).astype(int).ravel()) for m in linear}
    assert len(kinds) == 8  # the 4 rotations, each flipped or not
    # At p = 0.5: the 2x2 part is the identity when no flip (or a flip of i = 0) and no
    # rotation (or one of 0) is drawn: (1 - 0.5 / 2) (1 - 0.5 * 3 / 4) = 0.469.
    blit.probability.assign(0.5)
    matrices = blit._geometric_matrices(x, tf.constant(0.5)).numpy()
    identity = np.all(np.isclose(matrices[:, :2, :2], np.eye(2), atol=1e-6), axis=(1, 2))
    assert abs(identity.mean() - 0.469) < 0.03


def test_colour_transforms_keep_grey_grey_and_work_on_one_channel():
    grey = np.repeat(images(batch=64, channels=1, seed=2), 3, axis=-1)
    colour = AdaAugment("color", probability=1.0, adaptive_target=None, seed=3)
    out = colour(grey, training=True).numpy()
    # Brightness, contrast and the luma flip move grey along the grey axis; hue and
    # saturation turn about it: grey pixels stay grey.
    np.testing.assert_allclose(out[..., 0], out[..., 1], atol=1e-5)
    np.testing.assert_allclose(out[..., 1], out[..., 2], atol=1e-5)
    assert np.abs(out - grey).max() > 0.1
    rgb = images(batch=64, seed=4)
    changed = colour(rgb, training=True).numpy()
    spread = (changed.max(-1) - changed.min(-1)).mean() / (rgb.max(-1) - rgb.min(-1)).mean()
    assert abs(np.log(spread)) > 0.05  # saturation changes how far channels differ
    one = AdaAugment("bgc", probability=1.0, adaptive_target=None, seed=5)
    assert one(images(channels=1), training=True).shape == (3, 6, 6, 1)
    with pytest.raises(ValueError, match=r"RGB or one-channel images.*\(None, 6, 6, 2\)"):
        one.build((None, 6, 6, 2))
    with pytest.raises(ValueError, match="Received: pipeline='bgcf'"):
        AdaAugment("bgcf")


def test_gradients_reach_the_images_and_the_layer_saves_and_adapts(tmp_path):
    x = tf.constant(images())
    layer = AdaAugment("bgc", probability=1.0, adaptive_target=None, seed=6)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x, training=True) * images(seed=8))
    gradient = tape.gradient(total, x).numpy()
    assert np.isfinite(gradient).all() and np.abs(gradient).max() > 0
    adaptive = AdaAugment("bgc", adaptive_target=0.6, adaptive_images=100, seed=7)
    assert float(adaptive.probability.numpy()) == 0.0  # ADA starts without augmentation
    adaptive.observe(tf.ones(10))  # every real logit positive: r_t = 1 > 0.6, p rises
    assert float(adaptive.probability.numpy()) == pytest.approx(0.1)
    assert [m.name for m in adaptive.metrics] == ["augment_p"]
    model = keras.Sequential([keras.Input((6, 6, 3)), adaptive])
    model.save(tmp_path / "ada.keras")
    loaded = keras.saving.load_model(tmp_path / "ada.keras").layers[0]
    assert isinstance(loaded, AdaAugment) and loaded.pipeline == "bgc"
    assert float(loaded.probability.numpy()) == pytest.approx(0.1)
