"""The ResNet generator and discriminator of SNGAN (Miyato et al. 2018) for 32x32 images."""

import keras
from keras import ops

from keras_gan.layers.conditional_batch_normalization import ConditionalBatchNormalization
from keras_gan.layers.conditional_batch_normalization import VectorConditionalBatchNormalization
from keras_gan.layers.self_attention import SelfAttention
from keras_gan.layers.spectral_normalization import spectral_norm_if
from keras_gan.models import labels as class_labels
from keras_gan.validation import positive_int

BOTTOM = 4  # the generator starts from 4x4


def _norm(
    num_classes, name, condition_dim=None, epsilon=2e-5, spectral_norm=False, synchronized=False
):
    """BatchNorm as the reference code sets it (Chainer: decay 0.9, eps 2e-5), per class if
    conditional, or linear in a condition vector (BigGAN)."""
    if condition_dim is not None:
        return VectorConditionalBatchNormalization(
            momentum=0.9,
            epsilon=epsilon,
            spectral_norm=spectral_norm,
            synchronized=synchronized,
            name=name,
        )
    if num_classes is None:
        return keras.layers.BatchNormalization(momentum=0.9, epsilon=epsilon, name=name)
    return ConditionalBatchNormalization(num_classes, momentum=0.9, epsilon=epsilon, name=name)


def _block_at_side(blocks, sides, side):
    """The first block whose output maps have `side` pixels a side (attention follows it);
    `sides` are the blocks' output sides."""
    for block, current in zip(blocks, sides, strict=True):
        if current == side:
            return block
    raise ValueError(
        f"`attention` must be a side the network's blocks produce: {sorted(set(sides))}. "
        f"Received: attention={side}"
    )


def _discriminator_sides(blocks, data_shape):
    sides, current = [], data_shape[0]
    for block in blocks:
        current = current // 2 if block.downsample else current
        sides.append(current)
    return sides


def attention_side(attention):
    """None (no attention: None or 0), or the side at which attention sits."""
    if attention is None or attention == 0:
        return None
    return positive_int("attention", attention)


def _blocks_for(data_shape):
    side = data_shape[0]
    steps = (side // BOTTOM).bit_length() - 1
    if data_shape[0] != data_shape[1] or BOTTOM * 2**steps != side:
        raise ValueError(
            "The ResNet pair makes square images of side 4 * 2^n (32 for CIFAR-10). Received: "
            f"data_shape={tuple(data_shape)}"
        )
    return steps


@keras.saving.register_keras_serializable(package="keras_gan")
class GeneratorBlock(keras.layers.Layer):
    """Pre-activation residual block that doubles the resolution (nearest neighbour).

    x -> BN, ReLU, upsample, conv3x3, BN, ReLU, conv3x3; plus upsample, conv1x1 of x.
    With `num_classes`, called on `[x, labels]` and its batch norms are per
    class; with `condition_dim`, called on `[x, y]` with y a vector of that
    size, and its batch norms' scale and shift are linear in y (BigGAN).
    `spectral_norm` wraps its convolutions (and those projections; BigGAN);
    `synchronized` averages the batch statistics across replicas (BigGAN's).
    """

    def __init__(
        self,
        channels,
        num_classes=None,
        condition_dim=None,
        spectral_norm=False,
        epsilon=2e-5,
        synchronized=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.channels = int(channels)
        self.num_classes = num_classes
        self.condition_dim = None if condition_dim is None else int(condition_dim)
        self.spectral_norm = bool(spectral_norm)
        self.epsilon = float(epsilon)
        self.synchronized = bool(synchronized)
        if self.synchronized and self.condition_dim is None:
            raise ValueError(
                "`synchronized` batch norm is built for the vector-conditioned blocks (BigGAN) "
                "only. Received: synchronized=True, condition_dim=None"
            )
        norm = dict(
            condition_dim=self.condition_dim,
            epsilon=self.epsilon,
            spectral_norm=self.spectral_norm,
            synchronized=self.synchronized,
        )
        self.norm_1 = _norm(num_classes, "norm_1", **norm)
        self.norm_2 = _norm(num_classes, "norm_2", **norm)
        wrap = spectral_norm_if(self.spectral_norm)
        self.upsample = keras.layers.UpSampling2D(2, interpolation="nearest")
        self.conv_1 = wrap(keras.layers.Conv2D(self.channels, 3, padding="same", name="conv_1"))
        self.conv_2 = wrap(keras.layers.Conv2D(self.channels, 3, padding="same", name="conv_2"))
        self.shortcut = wrap(keras.layers.Conv2D(self.channels, 1, name="shortcut"))

    def build(self, input_shape):
        if self.condition_dim is not None:
            shape = input_shape[0]
        else:
            shape = class_labels.input_shape_of(input_shape)
        self._build_norm(self.norm_1, shape)
        up = (shape[0], 2 * shape[1], 2 * shape[2], shape[3])
        self.conv_1.build(up)
        out = (*up[:3], self.channels)
        self._build_norm(self.norm_2, out)
        self.conv_2.build(out)
        self.shortcut.build(up)

    def _build_norm(self, norm, shape):
        if self.condition_dim is not None:
            norm.build([shape, (None, self.condition_dim)])
        else:
            norm.build(shape if self.num_classes is None else [shape, (None,)])

    def call(self, inputs, training=None):
        if self.condition_dim is not None:
            x, condition = inputs
        else:
            x, condition = class_labels.split_inputs(inputs, self.num_classes, "GeneratorBlock")

        def normalize(norm, h):
            return norm(h if condition is None else [h, condition], training=training)

        h = self.upsample(ops.relu(normalize(self.norm_1, x)))
        h = self.conv_1(h, training=training)
        h = self.conv_2(ops.relu(normalize(self.norm_2, h)), training=training)
        return h + self.shortcut(self.upsample(x), training=training)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "channels": self.channels,
                "num_classes": self.num_classes,
                "condition_dim": self.condition_dim,
                "spectral_norm": self.spectral_norm,
                "epsilon": self.epsilon,
                "synchronized": self.synchronized,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class DiscriminatorBlock(keras.layers.Layer):
    """Residual block of the discriminator, optionally halving the resolution.

    Usual block: ReLU, conv3x3, ReLU, conv3x3, (average pool); shortcut conv1x1
    then pool, where the block downsamples or changes the channels.
    `optimized=True` is SNGAN's first block: conv3x3, ReLU, conv3x3, pool; the
    shortcut pools first, then conv1x1 (no ReLU on the image).
    """

    def __init__(self, channels, downsample=True, optimized=False, spectral_norm=True, **kwargs):
        super().__init__(**kwargs)
        self.channels = int(channels)
        self.downsample = bool(downsample)
        self.optimized = bool(optimized)
        self.spectral_norm = bool(spectral_norm)
        wrap = spectral_norm_if(self.spectral_norm)
        self.conv_1 = wrap(keras.layers.Conv2D(self.channels, 3, padding="same", name="conv_1"))
        self.conv_2 = wrap(keras.layers.Conv2D(self.channels, 3, padding="same", name="conv_2"))
        self.shortcut = None
        self._wrap = wrap
        self.pool = keras.layers.AveragePooling2D(2)

    def build(self, input_shape):
        channels_in = input_shape[-1]
        if self.optimized or self.downsample or channels_in != self.channels:
            self.shortcut = self._wrap(keras.layers.Conv2D(self.channels, 1, name="shortcut"))
        self.conv_1.build(input_shape)
        out = (*input_shape[:3], self.channels)
        self.conv_2.build(out)
        if self.shortcut is not None:
            self.shortcut.build(input_shape)  # a 1x1 convolution: only the channels matter

    def call(self, x, training=None):
        if self.optimized:
            h = self.pool(
                self.conv_2(ops.relu(self.conv_1(x, training=training)), training=training)
            )
            return h + self.shortcut(self.pool(x), training=training)
        h = self.conv_1(ops.relu(x), training=training)
        h = self.conv_2(ops.relu(h), training=training)
        if self.downsample:
            h = self.pool(h)
        shortcut = x
        if self.shortcut is not None:
            shortcut = self.shortcut(x, training=training)
            if self.downsample:
                shortcut = self.pool(shortcut)
        return h + shortcut

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "channels": self.channels,
                "downsample": self.downsample,
                "optimized": self.optimized,
                "spectral_norm": self.spectral_norm,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class ResNetGenerator(keras.Model):
    """SNGAN's ResNet generator: z -> dense 4x4xC, n up-blocks, BN, ReLU, conv3x3.

    At CIFAR-10's setting (`latent_dim=128`, `channels=256`, 32x32x3: three
    blocks) it has the 4,276,739 parameters of the reference code.

    Args:
        latent_dim: size of z (SNGAN: 128).
        channels: channels of every block (SNGAN's CIFAR-10: 256).
        data_shape: `(side, side, C)`, side = 4 * 2^n.
        num_classes: None, or the classes of a conditional generator, called
            as `generator([z, labels])`: the blocks' batch norms are per
            class (Miyato & Koyama 2018); the final one is shared.
        output_activation: `"sigmoid"` (pixels in [0, 1], the package's
            convention) or `"tanh"` ([-1, 1], the paper's).

    Reference:
        Miyato, Kataoka, Koyama & Yoshida, "Spectral Normalization for
        Generative Adversarial Networks", ICLR 2018, arXiv:1802.05957.
    """

    def __init__(
        self,
        latent_dim=128,
        channels=256,
        data_shape=(32, 32, 3),
        num_classes=None,
        output_activation="sigmoid",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.channels = positive_int("channels", channels)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.output_activation = output_activation
        steps = _blocks_for(self.data_shape)
        self.project = keras.layers.Dense(BOTTOM * BOTTOM * self.channels, name="project")
        self.blocks = [
            GeneratorBlock(self.channels, self.num_classes, name=f"block_{i}") for i in range(steps)
        ]
        self.final_norm = _norm(None, "final_norm")
        self.output_conv = keras.layers.Conv2D(
            self.data_shape[-1], 3, padding="same", activation=output_activation, name="output"
        )

    def build(self, input_shape=None):
        self.project.build((None, self.latent_dim))
        shape = (None, BOTTOM, BOTTOM, self.channels)
        for block in self.blocks:
            block.build(shape if self.num_classes is None else [shape, (None,)])
            shape = (None, 2 * shape[1], 2 * shape[2], self.channels)
        self.final_norm.build(shape)
        self.output_conv.build(shape)

    def call(self, inputs, training=None):
        z, labels = class_labels.split_inputs(inputs, self.num_classes, "ResNetGenerator")
        x = ops.reshape(self.project(z), (-1, BOTTOM, BOTTOM, self.channels))
        for block in self.blocks:
            x = block(x if labels is None else [x, labels], training=training)
        x = ops.relu(self.final_norm(x, training=training))
        return self.output_conv(x)

    def compute_output_shape(self, input_shape):
        return (class_labels.input_shape_of(input_shape)[0], *self.data_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "channels": self.channels,
                "data_shape": self.data_shape,
                "num_classes": self.num_classes,
                "output_activation": self.output_activation,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class ResNetDiscriminator(keras.Model):
    """SNGAN's ResNet discriminator: the optimised first block, residual blocks, ReLU,
    global sum pooling, a linear logit; spectral normalisation on every layer.

    For 32x32: blocks of `channels` at 32 (optimised, down), 16 (down), 8, 8.
    At CIFAR-10's setting (`channels=128`) it has the 1,053,825 parameters of
    the reference code; a conditional one adds its projection, `num_classes *
    channels` more.

    Args:
        channels: channels of every block (SNGAN's CIFAR-10: 128).
        data_shape: `(side, side, C)`, side = 4 * 2^n.
        num_classes: None, or the classes of a projection discriminator
            (Miyato & Koyama 2018), called as `discriminator([x, labels])`:
            the logit gains the inner product of a class embedding with the
            pooled features.
        spectral_norm: spectral normalisation of every layer (SNGAN: yes).
    """

    def __init__(
        self,
        channels=128,
        data_shape=(32, 32, 3),
        num_classes=None,
        spectral_norm=True,
        attention=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.channels = positive_int("channels", channels)
        self.attention = attention_side(attention)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.spectral_norm = bool(spectral_norm)
        steps = _blocks_for(self.data_shape)
        # Down to 8x8 (SNGAN's 32x32: two downsampling blocks), then two at 8x8.
        downs = max(steps - 1, 1)
        self.blocks = [
            DiscriminatorBlock(
                self.channels,
                True,
                optimized=True,
                spectral_norm=self.spectral_norm,
                name="block_0",
            )
        ]
        for i in range(1, downs + 2):
            self.blocks.append(
                DiscriminatorBlock(
                    self.channels,
                    downsample=i < downs,
                    spectral_norm=self.spectral_norm,
                    name=f"block_{i}",
                )
            )
        self.self_attention = self._attention_after = None
        if self.attention is not None:
            self._attention_after = _block_at_side(
                self.blocks, _discriminator_sides(self.blocks, self.data_shape), self.attention
            )
            self.self_attention = SelfAttention(self.spectral_norm, name="self_attention")
        wrap = spectral_norm_if(self.spectral_norm)
        self.logit = wrap(keras.layers.Dense(1, name="logit"))
        self.projection = None
        if self.num_classes is not None:
            self.projection = wrap(
                keras.layers.Dense(self.channels, use_bias=False, name="projection")
            )

    def build(self, input_shape=None):
        shape = (None, *self.data_shape)
        for block in self.blocks:
            block.build(shape)
            side = shape[1] // 2 if block.downsample else shape[1]
            shape = (None, side, side, self.channels)
            if block is self._attention_after:
                self.self_attention.build(shape)
        self.logit.build((None, self.channels))
        if self.projection is not None:
            self.projection.build((None, self.num_classes))

    def call(self, inputs, training=None):
        x, labels = class_labels.split_inputs(inputs, self.num_classes, "ResNetDiscriminator")
        for block in self.blocks:
            x = block(x, training=training)
            if block is self._attention_after:
                x = self.self_attention(x, training=training)
        features = ops.sum(ops.relu(x), axis=(1, 2))  # global sum pooling
        logits = self.logit(features, training=training)
        if self.projection is not None and labels is not None:
            one_hot = ops.one_hot(ops.reshape(labels, (-1,)), self.num_classes)
            embedded = self.projection(ops.cast(one_hot, features.dtype), training=training)
            logits = logits + ops.sum(embedded * features, axis=-1, keepdims=True)
        return logits

    def compute_output_shape(self, input_shape):
        return (class_labels.input_shape_of(input_shape)[0], 1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "channels": self.channels,
                "data_shape": self.data_shape,
                "num_classes": self.num_classes,
                "spectral_norm": self.spectral_norm,
                "attention": self.attention,
            }
        )
        return config
