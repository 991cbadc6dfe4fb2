"""Strided convolutions whose kernel gradient is one dilated forward convolution.

On a CPU with AVX-512-BF16 (AMD Zen 4), oneDNN runs TensorFlow's bfloat16
`Conv2DBackpropFilter` no faster than float32's, while its bfloat16 forward
convolutions run about twice as fast (docs/results/step_times.md). The kernel
gradient of a stride-s convolution is itself a forward convolution: with x
padded as the layer pads it,

    dW[i, j, c, o] = sum over n, h, w of x[n, s*h + i, s*w + j, c] * dy[n, h, w, o],

which is `conv2d` of x with its batch and channel axes swapped (batch c,
channels n) by dy as a filter ([h, w, n, o]) dilated by s. `StridedConv2D`
and `StridedConv2DTranspose` are Keras' layers computing exactly that
gradient this way where it was measured faster: bfloat16 on a host with no
GPU or TPU (`"auto"`). Their outputs, and the gradient with respect to their
inputs, are TensorFlow's own ops; only the kernel gradient's order of
summation changes. Everywhere else they are Keras' layers unchanged.

`set_weight_gradients("native" | "dilated" | "auto")` chooses for the process
(`--conv_weight_gradients`); a `tf.function` reads it when it is traced.
"""

import contextlib

import keras
import tensorflow as tf

MODES = ("auto", "native", "dilated")
# The dilated convolution's batch is the input's channels: with 3 (an RGB
# image), oneDNN's kernel is slower than the native one (measured).
MIN_CHANNELS = 16
_mode = "auto"


def set_weight_gradients(mode):
    """How strided layers compute their kernel gradient: `MODES`, for this process."""
    global _mode
    if mode not in MODES:
        raise ValueError(f"`mode` must be one of {list(MODES)}. Received: mode={mode!r}")
    _mode = mode


def weight_gradients():
    return _mode


@contextlib.contextmanager
def weight_gradients_scope(mode):
    """`set_weight_gradients(mode)` inside the block, the previous mode after it."""
    previous = _mode
    set_weight_gradients(mode)
    try:
        yield
    finally:
        set_weight_gradients(previous)


def _has_accelerator():
    return bool(tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("TPU"))


def _use_dilated(dtype, channels):
    """Whether a kernel gradient over an input of `channels` channels goes the dilated way."""
    if _mode == "native" or keras.backend.backend() != "tensorflow":
        return False
    if _mode == "dilated":
        return True
    return tf.as_dtype(dtype) == tf.bfloat16 and channels >= MIN_CHANNELS and not _has_accelerator()


def _same_padding(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def kernel_gradient(x, dy, kernel_size, strides, padding):
    """d loss / d kernel of `conv2d(x, kernel, strides, padding)` (NHWC), given dy.

    One forward convolution dilated by the strides, the same function as
    TensorFlow's `Conv2DBackpropFilter`.
    """
    (kh, kw), (sh, sw) = kernel_size, strides
    if padding == "same":
        top, bottom = _same_padding(x.shape[1], kh, sh)
        left, right = _same_padding(x.shape[2], kw, sw)
        x = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]])
    images = tf.transpose(x, [3, 1, 2, 0])  # [c, H, W, n]: a batch of c images of n channels
    filters = tf.transpose(dy, [1, 2, 0, 3])  # [h, w, n, o]
    gradient = tf.nn.conv2d(images, filters, 1, "VALID", dilations=[1, sh, sw, 1])
    # Rows and columns a strided VALID convolution never reached are not the kernel's.
    return tf.transpose(gradient[:, :kh, :kw, :], [1, 2, 0, 3])


def _bias_gradient(dy, bias):
    # Summed in float32: TensorFlow's bfloat16 BiasAddGrad on its own was 6x
    # further from the exact sum than the native path's, which oneDNN fuses
    # with the kernel gradient (measured on a batch of 4 at 4x4).
    return tf.cast(tf.reduce_sum(tf.cast(dy, tf.float32), axis=[0, 1, 2]), bias.dtype)


def _with_gradients(forward, gradients, x, kernel, bias):
    """forward(x, kernel) (+ bias), differentiated by gradients(x, kernel, dy) -> (dx, dkernel)."""
    if bias is None:

        @tf.custom_gradient
        def unbiased(x, kernel):
            return forward(x, kernel), lambda dy: gradients(x, kernel, dy)

        return unbiased(x, kernel)

    @tf.custom_gradient
    def biased(x, kernel, bias):
        def grad(dy):
            return (*gradients(x, kernel, dy), _bias_gradient(dy, bias))

        return tf.nn.bias_add(forward(x, kernel), bias), grad

    return biased(x, kernel, bias)


def conv2d(x, kernel, strides, padding, bias=None):
    """`tf.nn.conv2d` (NHWC, plus `bias`) whose kernel gradient is `kernel_gradient`."""
    tf_padding = padding.upper()

    def gradients(x, kernel, dy):
        dx = tf.nn.conv2d_transpose(dy, kernel, tf.shape(x), strides, tf_padding)
        return dx, kernel_gradient(x, dy, kernel.shape[:2], strides, padding)

    def forward(x, kernel):
        return tf.nn.conv2d(x, kernel, strides, tf_padding)

    return _with_gradients(forward, gradients, x, kernel, bias)


def conv2d_transpose(x, kernel, output_shape, strides, padding, bias=None):
    """`tf.nn.conv2d_transpose` (NHWC, plus `bias`) whose kernel gradient is `kernel_gradient`.

    The transposed convolution is the input gradient of `conv2d` from
    `output_shape` to x's shape, so its kernel gradient is that convolution's
    with the roles of the two tensors swapped.
    """
    tf_padding = padding.upper()

    def gradients(x, kernel, dy):
        dx = tf.nn.conv2d(dy, kernel, strides, tf_padding)
        return dx, kernel_gradient(dy, x, kernel.shape[:2], strides, padding)

    def forward(x, kernel):
        return tf.nn.conv2d_transpose(x, kernel, output_shape, strides, tf_padding)

    return _with_gradients(forward, gradients, x, kernel, bias)


def _plain(layer):
    """Whether the layer is the case `kernel_gradient` covers: 2-D, NHWC, no dilation or groups."""
    return (
        layer.data_format == "channels_last"
        and tuple(layer.dilation_rate) == (1, 1)
        and getattr(layer, "groups", 1) == 1
        and layer.padding in ("same", "valid")
        and max(layer.strides) > 1
    )


def _finish(layer, outputs):
    if layer.activation is not None:
        return layer.activation(outputs)
    return outputs


def _weights(layer, inputs):
    kernel = keras.ops.cast(layer.kernel, inputs.dtype)
    bias = keras.ops.cast(layer.bias, inputs.dtype) if layer.use_bias else None
    return kernel, bias


@keras.saving.register_keras_serializable(package="keras_gan", name="StridedConv2D")
class StridedConv2D(keras.layers.Conv2D):
    """`keras.layers.Conv2D` whose kernel gradient may be `kernel_gradient` (module docstring)."""

    def call(self, inputs):
        if not (_plain(self) and _use_dilated(inputs.dtype, inputs.shape[-1])):
            return super().call(inputs)
        kernel, bias = _weights(self, inputs)
        outputs = conv2d(inputs, kernel, list(self.strides), self.padding, bias)
        return _finish(self, outputs)


@keras.saving.register_keras_serializable(package="keras_gan", name="StridedConv2DTranspose")
class StridedConv2DTranspose(keras.layers.Conv2DTranspose):
    """`keras.layers.Conv2DTranspose` whose kernel gradient may be `kernel_gradient`."""

    def call(self, inputs):
        output_shape = self.compute_output_shape(inputs.shape)
        if not (
            _plain(self)
            and self.output_padding is None
            and None not in output_shape[1:]
            and _use_dilated(inputs.dtype, self.filters)
        ):
            return super().call(inputs)
        kernel, bias = _weights(self, inputs)
        shape = tf.stack([tf.shape(inputs)[0], *output_shape[1:]])
        outputs = conv2d_transpose(inputs, kernel, shape, list(self.strides), self.padding, bias)
        return _finish(self, outputs)


# A `.keras` file's weights address the layers of a list (DCGAN's convolutions) by their
# class's name, so the classes keep Keras' names: checkpoints written by models built with
# `keras.layers.Conv2D` and `Conv2DTranspose` (keras_gan up to 0.24.0) load into these, and
# these into those. They are registered, and serialised, under their own names.
StridedConv2D.__name__ = "Conv2D"
StridedConv2DTranspose.__name__ = "Conv2DTranspose"
