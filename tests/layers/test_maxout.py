import keras
import numpy as np
import pytest

from keras_gan.layers import Maxout
from keras_gan.layers import MaxoutConv2D
from tests import test_case


def test_output_is_max_over_pieces_of_the_affine_map():
    layer = Maxout(units=3, num_pieces=4)
    x = np.random.default_rng(0).normal(size=(5, 6)).astype("float32")
    y = keras.ops.convert_to_numpy(layer(x))
    kernel, bias = layer.dense.get_weights()
    pieces = (x @ kernel + bias).reshape(5, 3, 4)
    np.testing.assert_allclose(y, pieces.max(axis=-1), rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((None, 6)) == (None, 3)


def test_config_and_saving_round_trip(tmp_path):
    layer = Maxout(units=3, num_pieces=2, kernel_initializer="he_normal", name="mx")
    test_case.assert_config_round_trip(layer)
    model = keras.Sequential([keras.Input((6,)), layer])
    test_case.assert_saving_round_trip(model, np.ones((2, 6), "float32"), tmp_path)


@pytest.mark.parametrize("arg", ["units", "num_pieces"])
def test_rejects_non_positive_sizes(arg):
    kwargs = {"units": 3, "num_pieces": 2, arg: 0}
    with pytest.raises(ValueError, match=f"`{arg}` must be a positive integer. Received: {arg}=0"):
        Maxout(**kwargs)


def reference_maxout_conv(x, kernel, bias, pieces, padding, pool, stride):
    """NumPy: pad, correlate, max over consecutive channel groups, ceil-mode max pool."""
    x = np.pad(x, [(0, 0), (padding, padding), (padding, padding), (0, 0)])
    kh, kw, _, channels = kernel.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    z = np.zeros((len(x), rows, cols, channels))
    for i in range(rows):
        for j in range(cols):
            z[:, i, j] = np.einsum("bhwc,hwco->bo", x[:, i : i + kh, j : j + kw], kernel) + bias
    z = z.reshape(len(x), rows, cols, channels // pieces, pieces).max(axis=-1)
    out_rows = -(-(rows - pool) // stride) + 1  # ceil
    out_cols = -(-(cols - pool) // stride) + 1
    out = np.zeros((len(x), out_rows, out_cols, z.shape[-1]))
    for i in range(out_rows):
        for j in range(out_cols):
            window = z[:, i * stride : i * stride + pool, j * stride : j * stride + pool]
            out[:, i, j] = window.max(axis=(1, 2))
    return out


@pytest.mark.parametrize(
    "size, kernel, padding, pool, stride, expected",
    # The 2014 CIFAR-10 discriminator's three layers: 32 -> 33 -> 16, 16 -> 15 -> 7, 7 -> 9 -> 5.
    [(32, 8, 4, 4, 2, 16), (16, 8, 3, 4, 2, 7), (7, 5, 3, 2, 2, 5)],
)
def test_maxout_conv_matches_numpy_with_partial_pooling_windows(
    size, kernel, padding, pool, stride, expected
):
    layer = MaxoutConv2D(3, 2, kernel, padding=padding, pool_size=pool, pool_strides=stride)
    x = np.random.default_rng(0).normal(size=(2, size, size, 2)).astype("float32")
    y = keras.ops.convert_to_numpy(layer(x))
    assert y.shape == (2, expected, expected, 3)
    assert layer.compute_output_shape((None, size, size, 2)) == (None, expected, expected, 3)
    weights, bias = layer.conv.get_weights()
    bias = np.random.default_rng(1).normal(size=bias.shape).astype("float32")
    layer.conv.set_weights([weights, bias])
    y = keras.ops.convert_to_numpy(layer(x))
    reference = reference_maxout_conv(x, weights, bias, 2, padding, pool, stride)
    np.testing.assert_allclose(y, reference, rtol=1e-4, atol=1e-5)


def test_maxout_conv_config_saving_and_errors(tmp_path):
    layer = MaxoutConv2D(4, 2, (3, 5), padding=1, pool_size=2, pool_strides=2, name="mc")
    test_case.assert_config_round_trip(layer)
    model = keras.Sequential([keras.Input((9, 9, 3)), layer])
    test_case.assert_saving_round_trip(model, np.ones((2, 9, 9, 3), "float32"), tmp_path)
    with pytest.raises(ValueError, match=r"`padding` must be an integer >= 0. Received: padding="):
        MaxoutConv2D(4, 2, 3, padding=-1)
    with pytest.raises(ValueError, match=r"`pool_size` must be a positive int or a pair"):
        MaxoutConv2D(4, 2, 3, pool_size=(2, 2, 2))
