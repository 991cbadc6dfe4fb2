"""The dilated kernel gradient is the same function as TensorFlow's Conv2DBackpropFilter,
and the layers use it exactly where `auto` says."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import SpectralNormalization
from keras_gan.layers import strided_conv
from keras_gan.layers.strided_conv import StridedConv2D
from keras_gan.layers.strided_conv import StridedConv2DTranspose


@pytest.mark.parametrize(
    "shape, kernel, strides, padding",
    [
        ((3, 8, 8, 5), (5, 5), (2, 2), "same"),  # DCGAN's layer: padding 1 before, 2 after
        ((3, 7, 7, 5), (5, 5), (2, 2), "same"),  # odd sizes: 28 -> 14 -> 7 -> 4 (MNIST)
        ((3, 9, 8, 5), (4, 4), (2, 2), "valid"),  # rows a VALID stride never reaches
        ((2, 10, 11, 4), (3, 5), (3, 2), "same"),  # unequal kernel sides and strides
        ((2, 10, 11, 4), (3, 3), (2, 3), "valid"),
    ],
)
def test_the_kernel_gradient_equals_tensorflow_s(shape, kernel, strides, padding):
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=shape), tf.float64)
    dy_shape = tf.nn.conv2d(
        x, tf.zeros((*kernel, shape[-1], 6), tf.float64), strides, padding.upper()
    ).shape
    dy = tf.constant(rng.normal(size=dy_shape), tf.float64)
    expected = tf.compat.v1.nn.conv2d_backprop_filter(
        x, [*kernel, shape[-1], 6], dy, [1, *strides, 1], padding.upper()
    )
    got = strided_conv.kernel_gradient(x, dy, kernel, strides, padding)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-12, atol=1e-12)


def _outputs_and_gradients(layer, x, mode):
    """The layer's output and the gradients of sum(output^2), and the traced graph's op types."""

    @tf.function
    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)  # spectral norm: inference, so u stays and both modes see one kernel
            loss = tf.reduce_sum(tf.cast(y, tf.float32) ** 2)
        return [y, *tape.gradient(loss, [x, *layer.trainable_variables])]

    with strided_conv.weight_gradients_scope(mode):  # read when the function is traced
        values = run(x)
        ops = {op.type for op in run.get_concrete_function(x).graph.get_operations()}
    return [np.asarray(tf.cast(v, tf.float64)) for v in values], ops


LAYERS = {
    "conv, same, bias": (
        StridedConv2D,
        dict(filters=8, kernel_size=5, padding="same"),
        (4, 8, 8, 16),
    ),
    "conv, valid, odd": (
        StridedConv2D,
        dict(filters=8, kernel_size=4, padding="valid"),
        (4, 9, 7, 16),
    ),
    "transposed, same, sigmoid": (
        StridedConv2DTranspose,
        dict(filters=16, kernel_size=5, padding="same", activation="sigmoid"),
        (4, 4, 4, 8),
    ),
    "transposed, valid, no bias": (
        StridedConv2DTranspose,
        dict(filters=16, kernel_size=4, padding="valid", use_bias=False),
        (4, 5, 5, 8),
    ),
}


def _layer(name, **kwargs):
    cls, arguments, shape = LAYERS[name]
    keras.utils.set_random_seed(0)
    layer = cls(strides=2, **arguments, **kwargs)
    layer.build(shape)
    return layer, tf.random.stateless_normal(shape, seed=(1, 2))


@pytest.mark.parametrize("name", [*LAYERS, "under spectral norm"])
def test_float32_layers_compute_the_same_outputs_and_gradients_either_way(name):
    if name == "under spectral norm":
        layer = SpectralNormalization(StridedConv2D(8, 5, strides=2, padding="same"))
        x = tf.random.stateless_normal((4, 8, 8, 16), seed=(1, 2))
        layer(x)
    else:
        layer, x = _layer(name)
    native, native_ops = _outputs_and_gradients(layer, x, "native")
    dilated, dilated_ops = _outputs_and_gradients(layer, x, "dilated")
    assert "Conv2DBackpropFilter" in native_ops
    assert "Conv2DBackpropFilter" not in dilated_ops
    # The output and the input's gradient are TensorFlow's ops either way.
    np.testing.assert_array_equal(dilated[0], native[0])
    np.testing.assert_array_equal(dilated[1], native[1])
    for got, expected in zip(dilated[2:], native[2:], strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max())


@pytest.mark.parametrize("name", ["conv, same, bias", "transposed, same, sigmoid"])
def test_bfloat16_gradients_are_as_close_to_exact_as_the_native_ones(name):
    half, x = _layer(name, dtype="mixed_bfloat16")
    native, _ = _outputs_and_gradients(half, x, "native")
    dilated, ops = _outputs_and_gradients(half, x, "dilated")
    assert "Conv2DBackpropFilter" not in ops
    # Exact: float64 from the same bfloat16-rounded input and weights.
    exact_layer, _ = _layer(name, dtype="float64")
    exact_layer.set_weights([_rounded(w) for w in half.get_weights()])
    exact, _ = _outputs_and_gradients(exact_layer, tf.constant(_rounded(x)), "native")
    for i in (2, 3):  # the kernel's and the bias' gradients
        scale = np.abs(exact[i]).max()
        native_error = np.abs(native[i] - exact[i]).max() / scale
        dilated_error = np.abs(dilated[i] - exact[i]).max() / scale
        assert dilated_error < 2 * max(native_error, 2.0**-9)  # bfloat16 keeps 8 bits


def _rounded(values):
    return tf.cast(tf.cast(values, tf.bfloat16), tf.float64).numpy()


def _kernel_gradient_ops(layer, x):
    return _outputs_and_gradients(layer, x, "auto")[1]


@pytest.mark.parametrize(
    "dtype, channels, accelerator, dilated",
    [
        ("mixed_bfloat16", 16, False, True),  # where it was measured faster
        ("float32", 16, False, False),  # oneDNN's float32 kernel gradient is faster
        ("mixed_bfloat16", 3, False, False),  # an RGB input: a batch of 3 is slower
        ("mixed_bfloat16", 16, True, False),  # not measured on a GPU or TPU
    ],
)
def test_auto_takes_the_dilated_way_only_where_it_was_measured_faster(
    monkeypatch, dtype, channels, accelerator, dilated
):
    monkeypatch.setattr(strided_conv, "_has_accelerator", lambda: accelerator)
    x = tf.random.stateless_normal((2, 8, 8, channels), seed=(1, 2))
    conv = StridedConv2D(8, 5, strides=2, padding="same", dtype=dtype)
    conv.build(x.shape)
    # The transposed layer's kernel gradient runs over its output: `channels` filters.
    transposed = StridedConv2DTranspose(channels, 5, strides=2, padding="same", dtype=dtype)
    transposed.build((2, 4, 4, 8))
    for layer, inputs in (
        (conv, x),
        (transposed, tf.random.stateless_normal((2, 4, 4, 8), (3, 4))),
    ):
        assert ("Conv2DBackpropFilter" not in _kernel_gradient_ops(layer, inputs)) == dilated


def test_a_layer_outside_the_dilated_case_stays_keras_own():
    cases = (
        (StridedConv2D(8, 3, strides=1, padding="same"), (2, 8, 8, 16)),  # no stride
        (StridedConv2DTranspose(16, 3, strides=2, output_padding=0), (2, 4, 4, 8)),
    )
    for layer, shape in cases:
        layer.build(shape)
        x = tf.random.stateless_normal(shape, seed=(1, 2))
        assert "Conv2DBackpropFilter" in _outputs_and_gradients(layer, x, "dilated")[1]


def test_the_layers_save_and_load_as_themselves(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 16)),
            StridedConv2D(8, 5, strides=2, padding="same"),
            StridedConv2DTranspose(4, 5, strides=2, padding="same", activation="tanh"),
        ]
    )
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras")
    assert [type(layer) for layer in loaded.layers] == [StridedConv2D, StridedConv2DTranspose]
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 16)).astype("float32")
    np.testing.assert_array_equal(loaded(x), model(x))


def test_an_unknown_mode_is_refused_and_the_mode_kept():
    with pytest.raises(
        ValueError, match=r"one of \['auto', 'native', 'dilated'\]. Received: mode='fast'"
    ):
        strided_conv.set_weight_gradients("fast")
    assert strided_conv.weight_gradients() == "auto"
    with strided_conv.weight_gradients_scope("native"):
        assert strided_conv.weight_gradients() == "native"
    assert strided_conv.weight_gradients() == "auto"
