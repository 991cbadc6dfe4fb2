"""The minibatch standard deviation feature of ProGAN and StyleGAN2's discriminators."""

import keras
from keras import ops

# StyleGAN2-ADA's MinibatchStdLayer.
EPSILON = 1e-8


@keras.saving.register_keras_serializable(package="keras_gan")
class MinibatchStandardDeviation(keras.layers.Layer):
    """Appends how much the samples of a group differ, as extra channels.

    The batch is cut into groups of `group_size` samples; sample i belongs to
    group i mod (batch / group_size), as in StyleGAN2-ADA. The channels are
    cut into `num_channels` slices. For each group and slice: the standard
    deviation over the group's samples (population, plus 1e-8 under the root)
    at every pixel and channel, averaged over pixels and channels. Each
    sample gets its group's `num_channels` values as constant channels. A D
    then sees whether a batch lacks variety, as a collapsed G's does.

    Args:
        group_size: samples per group; the batch (per replica) must be a
            multiple of it, or smaller (then one group: the whole batch).
            None: the whole batch. StyleGAN2: 4; its CIFAR-10 setting: 32.
        num_channels: features appended (StyleGAN2: 1).
    """

    def __init__(self, group_size=4, num_channels=1, **kwargs):
        super().__init__(**kwargs)
        if group_size is not None and int(group_size) < 1:
            raise ValueError(
                "`group_size` must be a positive integer or None. "
                f"Received: group_size={group_size}"
            )
        self.group_size = None if group_size is None else int(group_size)
        self.num_channels = int(num_channels)
        if self.num_channels < 1:
            raise ValueError(
                f"`num_channels` must be a positive integer. Received: num_channels={num_channels}"
            )

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None or input_shape[-1] % self.num_channels:
            raise ValueError(
                "MinibatchStandardDeviation takes images (batch, height, width, channels) with "
                f"channels a multiple of num_channels={self.num_channels}. Received: inputs of "
                f"shape {tuple(input_shape)}"
            )
        batch = input_shape[0]
        if batch is not None and self.group_size is not None:
            group = min(self.group_size, batch)
            if batch % group:
                raise ValueError(
                    f"MinibatchStandardDeviation(group_size={self.group_size}) needs a batch "
                    f"that is a multiple of the group size. Received: batch of {batch}"
                )

    def call(self, x):
        batch = ops.shape(x)[0]
        height, width, channels = x.shape[1], x.shape[2], x.shape[3]
        if self.group_size is None:
            group = batch
        elif isinstance(batch, int):
            group = min(self.group_size, batch)
        else:
            group = ops.minimum(self.group_size, batch)
        features = self.num_channels
        y = ops.cast(x, "float32")
        y = ops.reshape(y, (group, -1, height, width, features, channels // features))
        y = y - ops.mean(y, axis=0)
        y = ops.sqrt(ops.mean(ops.square(y), axis=0) + EPSILON)  # (n, H, W, F, c)
        y = ops.mean(y, axis=(1, 2, 4))  # (n, F)
        y = ops.tile(y[:, None, None, :], (group, height, width, 1))  # (batch, H, W, F)
        return ops.concatenate([x, ops.cast(y, x.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:3], input_shape[3] + self.num_channels)

    def get_config(self):
        return {
            **super().get_config(),
            "group_size": self.group_size,
            "num_channels": self.num_channels,
        }
