"""StyleGAN2 (Karras et al. 2020) as StyleGAN2-ADA's PyTorch code builds it:
a mapping network z -> w, a synthesis network of modulated convolutions with
per-pixel noise and skip connections to RGB, and a discriminator with
minibatch standard deviation (residual or plain blocks).

The training recipe of the paper is the game's existing pieces: the
non-saturating loss (`--loss=non_saturating`), lazy R1 (`--r1_gamma`,
`--penalty_every=16`), ADA (`--diffaugment`, `--ada_target`) and G's EMA
(`--ema`). Path length regularisation and style mixing are off in
StyleGAN2-ADA's CIFAR-10 setting; style mixing is here
(`style_mixing=`), path length regularisation is not yet.
"""

import keras
import numpy as np
from keras import ops

from keras_gan.distribute import replica_share
from keras_gan.layers.equalized import EqualizedConv2D
from keras_gan.layers.equalized import EqualizedDense
from keras_gan.layers.equalized import upsample_2d
from keras_gan.layers.minibatch_std import MinibatchStandardDeviation
from keras_gan.layers.modulated_conv import ModulatedConv2D
from keras_gan.models import labels as class_labels
from keras_gan.validation import positive_int

BOTTOM = 4
ARCHITECTURES = ("resnet", "orig")
SQRT_HALF = float(np.sqrt(0.5))


def _sides(data_shape):
    """The block sides 4, 8, ..., side of a square image whose side is a power of 2 >= 8."""
    if len(data_shape) != 3 or data_shape[0] != data_shape[1]:
        raise ValueError(
            "StyleGAN2 makes square images (side, side, channels). Received: "
            f"data_shape={tuple(data_shape)}"
        )
    side = int(data_shape[0])
    if side < 8 or side & (side - 1):
        raise ValueError(
            "StyleGAN2's image side must be a power of 2, at least 8. Received: "
            f"data_shape={tuple(data_shape)}"
        )
    return [2**i for i in range(2, side.bit_length())]


def _channels(side, channel_base, channel_max):
    """StyleGAN2-ADA's channels at a side: min(channel_base / side, channel_max)."""
    return min(channel_base // side, channel_max)


def normalize_2nd_moment(x, epsilon=1e-8):
    """x over the root of its mean square along the last axis."""
    return x * ops.rsqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + epsilon)


def per_replica_statistic(shape, name):
    """A running statistic (zeros at first) that each replica updates from its own batch.

    As the reference's per-GPU buffers (StyleGAN2-ADA trains with
    `broadcast_buffers=False` and keeps `pl_mean` per process): a write is
    local, with no cross-replica synchronisation, so it may happen inside a
    lazy regulariser's `tf.cond`, where MirroredStrategy cannot synchronise.
    Read outside a replica (saving, `get_weights`, sampling) it is the mean
    over replicas; for a running mean of batch means, with equal shares, that
    is what one device with the global batch would hold.
    """
    return keras.Variable(
        initializer="zeros",
        shape=shape,
        dtype="float32",
        trainable=False,
        aggregation="mean",
        synchronization="on_read",
        name=name,
    )


@keras.saving.register_keras_serializable(package="keras_gan")
class MappingNetwork(keras.layers.Layer):
    """z (and a label) -> w: StyleGAN2-ADA's MappingNetwork.

    z is normalised to unit mean square; a label, if any, is one-hot encoded,
    mapped by a dense layer to `w_dim` features and normalised the same way,
    then joined to z. `num_layers` dense layers (leaky ReLU, learning rate x
    `lr_multiplier`) follow. In training, a running mean of w (decay
    `w_avg_beta`) is kept, the centre the truncation trick pulls towards.

    Called as `mapping(z)`, `mapping([z, labels])`, or, with `latent=False`
    (a conditional D's label map), `mapping(labels)`.

    Args:
        w_dim: size of w.
        num_layers: dense layers (StyleGAN2: 8; its CIFAR-10 setting: 2).
        num_classes: None, or the classes.
        latent: takes z (False: only labels).
        lr_multiplier: 0.01 in StyleGAN2.
        w_avg_beta: decay of w's running mean; None: not kept.
    """

    def __init__(
        self,
        w_dim=512,
        num_layers=8,
        num_classes=None,
        latent=True,
        lr_multiplier=0.01,
        w_avg_beta=0.995,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.w_dim = positive_int("w_dim", w_dim)
        self.num_layers = positive_int("num_layers", num_layers)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.latent = bool(latent)
        if not self.latent and self.num_classes is None:
            raise ValueError("A MappingNetwork with latent=False maps labels: give num_classes.")
        self.lr_multiplier = float(lr_multiplier)
        self.w_avg_beta = None if w_avg_beta is None else float(w_avg_beta)
        self.embed = None
        if self.num_classes is not None:
            self.embed = EqualizedDense(self.w_dim, name="embed")
        self.dense = [
            EqualizedDense(
                self.w_dim, activation="lrelu", lr_multiplier=self.lr_multiplier, name=f"fc{i}"
            )
            for i in range(self.num_layers)
        ]

    def build(self, input_shape):
        features = 0
        if self.latent:
            z_shape = input_shape[0] if self.num_classes is not None else input_shape
            features += int(z_shape[-1])
        if self.embed is not None:
            self.embed.build((None, self.num_classes))
            features += self.w_dim
        for layer in self.dense:
            layer.build((None, features))
            features = self.w_dim
        self.w_avg = None
        if self.w_avg_beta is not None:
            self.w_avg = per_replica_statistic((self.w_dim,), "w_avg")

    def call(self, inputs, training=None):
        if self.latent and self.num_classes is not None:
            z, labels = inputs
        elif self.latent:
            z, labels = inputs, None
        else:
            z, labels = None, inputs
        parts = []
        if z is not None:
            parts.append(normalize_2nd_moment(ops.cast(z, self.compute_dtype)))
        if labels is not None:
            one_hot = ops.one_hot(ops.reshape(ops.cast(labels, "int32"), (-1,)), self.num_classes)
            parts.append(normalize_2nd_moment(self.embed(ops.cast(one_hot, self.compute_dtype))))
        x = parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=-1)
        for layer in self.dense:
            x = layer(x)
        if training and self.w_avg is not None:
            mean = ops.mean(ops.cast(x, "float32"), axis=0)
            self.w_avg.assign(mean + self.w_avg_beta * (self.w_avg - mean))
        return x

    def compute_output_shape(self, input_shape):
        first = input_shape[0] if isinstance(input_shape[0], list | tuple) else input_shape
        return (first[0], self.w_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "w_dim": self.w_dim,
            "num_layers": self.num_layers,
            "num_classes": self.num_classes,
            "latent": self.latent,
            "lr_multiplier": self.lr_multiplier,
            "w_avg_beta": self.w_avg_beta,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class StyleGAN2Generator(keras.Model):
    """StyleGAN2's generator with skip connections to RGB (config F's G).

    z (and a label) -> w by the mapping network; w is repeated once per
    layer that takes a style (`num_ws`: two per block but the first, which
    has one, plus the last toRGB). The 4x4 block starts from a learned
    constant; each further block doubles the side (modulated 3x3 convolution
    with up-sampling, then another), and every block's toRGB output is added
    to the up-sampled image of the blocks before. The image is then put
    through `output_activation`.

    At StyleGAN2-ADA's CIFAR-10 setting (z = w = 512, 2 mapping layers,
    channel_base 32768, channel_max 512: 512 channels at every side, 10
    classes) it has the 20,215,315 parameters of the reference code
    (unconditional: 19,947,539).

    Args:
        latent_dim: size of z and of w (StyleGAN2: 512).
        data_shape: `(side, side, C)`, side a power of 2 >= 8.
        num_classes: None, or the classes; called as `generator([z, labels])`.
        channel_base, channel_max: channels at side s are
            min(channel_base / s, channel_max) (StyleGAN2: 32768 and 512).
        mapping_layers: the mapping network's dense layers (8; CIFAR-10: 2).
        mapping_lr_multiplier: their learning-rate factor (0.01).
        w_avg_beta: decay of w's running mean, the truncation centre (0.995).
        style_mixing: in training, the probability that a batch's layers
            from a random cut-off on take their w from a second z (StyleGAN2:
            0.9; its CIFAR-10 setting: 0).
        output_activation: `"sigmoid"` ([0, 1], the package's convention),
            `"tanh"` or `"linear"` (the paper's [-1, 1] images, unclipped).
        seed: seed of the noise and style-mixing draws.

    Call arguments:
        truncation_psi: w' = w_avg + psi (w - w_avg) for the first
            `truncation_cutoff` layers (all if None); 1: no truncation.

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of
        StyleGAN", CVPR 2020, arXiv:1912.04958; "Training Generative
        Adversarial Networks with Limited Data", NeurIPS 2020,
        arXiv:2006.06676; NVlabs/stylegan2-ada-pytorch training/networks.py.
    """

    def __init__(
        self,
        latent_dim=512,
        data_shape=(32, 32, 3),
        num_classes=None,
        channel_base=32768,
        channel_max=512,
        mapping_layers=8,
        mapping_lr_multiplier=0.01,
        w_avg_beta=0.995,
        style_mixing=0.0,
        output_activation="sigmoid",
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.sides = _sides(self.data_shape)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.channel_base = positive_int("channel_base", channel_base)
        self.channel_max = positive_int("channel_max", channel_max)
        self.mapping_layers = positive_int("mapping_layers", mapping_layers)
        self.mapping_lr_multiplier = float(mapping_lr_multiplier)
        self.w_avg_beta = float(w_avg_beta)
        self.style_mixing = float(style_mixing)
        if not 0.0 <= self.style_mixing <= 1.0:
            raise ValueError(
                f"`style_mixing` is a probability in [0, 1]. Received: style_mixing={style_mixing}"
            )
        self.output_activation = output_activation
        self._activation = keras.activations.get(output_activation)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        channels = {
            side: _channels(side, self.channel_base, self.channel_max) for side in self.sides
        }
        for side, count in channels.items():
            if count < 1:
                raise ValueError(
                    f"channel_base={self.channel_base} leaves no channels at side {side}: it must "
                    f"be at least the image side {self.sides[-1]}"
                )
        self.channels = channels
        self.mapping = MappingNetwork(
            w_dim=self.latent_dim,
            num_layers=self.mapping_layers,
            num_classes=self.num_classes,
            lr_multiplier=self.mapping_lr_multiplier,
            w_avg_beta=self.w_avg_beta,
            name="mapping",
        )
        layer_seed = None if seed is None else int(seed)
        self.convs = []  # the modulated 3x3 convolutions, block by block
        self.to_rgb = []
        for side in self.sides:
            if side > BOTTOM:
                self.convs.append(self._conv(channels[side], 2, side, 0, layer_seed))
            self.convs.append(self._conv(channels[side], 1, side, 1, layer_seed))
            self.to_rgb.append(
                ModulatedConv2D(
                    self.data_shape[-1],
                    kernel_size=1,
                    demodulate=False,
                    noise=False,
                    activation="linear",
                    name=f"b{side}_torgb",
                )
            )
        # w's index per layer: block b's convolutions, then its toRGB, which
        # shares its index with the next block's first convolution.
        self.num_ws = len(self.convs) + 1

    @staticmethod
    def _conv(filters, up, side, index, seed):
        return ModulatedConv2D(
            filters,
            kernel_size=3,
            up=up,
            seed=None if seed is None else seed * 1000 + side * 2 + index,
            name=f"b{side}_conv{index}",
        )

    def build(self, input_shape=None):
        if self.built:
            return
        z_shape = (None, self.latent_dim)
        if not self.mapping.built:
            self.mapping.build([z_shape, (None,)] if self.num_classes is not None else z_shape)
        self.const = self.add_weight(
            shape=(BOTTOM, BOTTOM, self.channels[BOTTOM]),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            name="const",
        )
        # The running mean of path lengths, kept for keras_gan.penalties.PathLength.
        self.path_length_mean = per_replica_statistic((), "pl_mean")
        w_shape = (None, self.latent_dim)
        previous = self.channels[BOTTOM]
        for side, block, to_rgb in zip(self.sides, self._blocks(), self.to_rgb, strict=True):
            for conv in block:
                conv.build([(None, side // conv.up, side // conv.up, previous), w_shape])
                previous = conv.filters
            to_rgb.build([(None, side, side, previous), w_shape])

    def _blocks(self):
        """The convolutions block by block: one in the 4x4 block, two in each other."""
        return [self.convs[:1]] + [self.convs[i : i + 2] for i in range(1, len(self.convs), 2)]
        self.built = True

    def map(self, inputs, training=None, truncation_psi=1.0, truncation_cutoff=None):
        """z (and labels) -> ws, (batch, num_ws, w_dim), mixed and truncated as asked."""
        if not self.built:
            self.build()
        z, labels = class_labels.split_inputs(inputs, self.num_classes, "StyleGAN2Generator")
        mapping_inputs = z if labels is None else [z, labels]
        w = self.mapping(mapping_inputs, training=training)
        ws = ops.repeat(w[:, None, :], self.num_ws, axis=1)
        if training and self.style_mixing > 0:
            ws = self._mix(ws, z, labels)
        if not (isinstance(truncation_psi, int | float) and truncation_psi == 1.0):
            ws = self.truncate(ws, truncation_psi, truncation_cutoff)
        return ws

    def _mix(self, ws, z, labels):
        """From a random layer on, a second z's w, with probability `style_mixing`."""
        # The second z, like the noise, is this replica's share of one global draw;
        # the cut-off and the coin are one draw for the whole batch, as in the reference.
        other = replica_share(
            lambda rows: keras.random.normal(
                (rows, z.shape[-1]), dtype=z.dtype, seed=self.seed_generator
            ),
            ops.shape(z)[0],
        )
        # The second w does not move the running mean (StyleGAN2-ADA's skip_w_avg_update).
        w2 = self.mapping(other if labels is None else [other, labels], training=False)
        cutoff = keras.random.randint((), 1, self.num_ws, seed=self.seed_generator)
        mix = keras.random.uniform((), seed=self.seed_generator) < self.style_mixing
        cutoff = ops.where(mix, cutoff, self.num_ws)
        return self.mix(ws, ops.repeat(w2[:, None, :], self.num_ws, axis=1), cutoff)

    def mix(self, ws, other, cutoff):
        """Style mixing: the layers from `cutoff` on take their w from `other`."""
        from_other = ops.arange(self.num_ws) >= ops.cast(cutoff, "int32")
        return ops.where(from_other[None, :, None], other, ws)

    def truncate(self, ws, psi, cutoff=None):
        """w_avg + psi (w - w_avg) on the first `cutoff` layers (all if None)."""
        centre = ops.cast(self.mapping.w_avg, ws.dtype)
        pulled = centre + ops.cast(psi, ws.dtype) * (ws - centre)
        if cutoff is None:
            return pulled
        layers = ops.arange(self.num_ws)[None, :, None] < cutoff
        return ops.where(layers, pulled, ws)

    def synthesize(self, ws, training=None):
        """ws (batch, num_ws, w_dim) -> images."""
        if not self.built:
            self.build()
        batch = ops.shape(ws)[0]
        x = ops.cast(self.const, self.compute_dtype)[None]
        x = ops.tile(x, (batch, 1, 1, 1))
        image = None
        index = 0
        for block, to_rgb in zip(self._blocks(), self.to_rgb, strict=True):
            for conv in block:
                x = conv([x, ws[:, index]], training=training)
                index += 1
            rgb = to_rgb([x, ws[:, index]], training=training)
            image = rgb if image is None else upsample_2d(image) + rgb
        return self._activation(image)

    def call(self, inputs, training=None, truncation_psi=1.0, truncation_cutoff=None):
        ws = self.map(inputs, training, truncation_psi, truncation_cutoff)
        return self.synthesize(ws, training=training)

    def compute_output_shape(self, input_shape):
        return (class_labels.input_shape_of(input_shape)[0], *self.data_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "data_shape": self.data_shape,
                "num_classes": self.num_classes,
                "channel_base": self.channel_base,
                "channel_max": self.channel_max,
                "mapping_layers": self.mapping_layers,
                "mapping_lr_multiplier": self.mapping_lr_multiplier,
                "w_avg_beta": self.w_avg_beta,
                "style_mixing": self.style_mixing,
                "output_activation": self.output_activation,
                "seed": self.seed,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class StyleGAN2Discriminator(keras.Model):
    """StyleGAN2's discriminator: fromRGB, blocks halving the side down to 4,
    then minibatch standard deviation, a 3x3 convolution, two dense layers.

    A block is two 3x3 convolutions, the second halving the side through the
    low-pass filter; `"resnet"` adds a 1x1 skip path (no bias) and scales both
    by sqrt(1/2) (config F); `"orig"` has no skip (StyleGAN2-ADA's CIFAR-10
    setting). Conditional: the label is mapped to a vector c by a mapping
    network (`label_mapping_layers` dense layers; 8 in StyleGAN2-ADA, whose
    `--map` sets only G's), the last dense layer gives `cmap_dim` features
    f, and the logit is f . c / sqrt(cmap_dim), a projection discriminator.

    At StyleGAN2-ADA's CIFAR-10 setting (`"orig"`, 512 channels at every
    side, 10 classes) it has the 23,089,664 parameters of the reference code
    (unconditional: 20,720,641; `"resnet"` blocks add 786,432).

    Args:
        data_shape: `(side, side, C)`, side a power of 2 >= 8.
        num_classes: None, or the classes; called as `discriminator([x, labels])`.
        channel_base, channel_max: as the generator's.
        architecture: `"resnet"` (StyleGAN2) or `"orig"`.
        mbstd_group_size: minibatch standard deviation's group (StyleGAN2: 4;
            CIFAR-10: 32); None: the whole batch.
        mbstd_num_channels: its features (1).
        label_mapping_layers: dense layers of a conditional D's label map (8).

    Reference:
        NVlabs/stylegan2-ada-pytorch training/networks.py (`Discriminator`).
    """

    def __init__(
        self,
        data_shape=(32, 32, 3),
        num_classes=None,
        channel_base=32768,
        channel_max=512,
        architecture="resnet",
        mbstd_group_size=4,
        mbstd_num_channels=1,
        label_mapping_layers=8,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.data_shape = tuple(int(d) for d in data_shape)
        sides = _sides(self.data_shape)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.channel_base = positive_int("channel_base", channel_base)
        self.channel_max = positive_int("channel_max", channel_max)
        if architecture not in ARCHITECTURES:
            raise ValueError(
                f"Unknown `architecture`: expected one of {list(ARCHITECTURES)}. "
                f"Received: architecture={architecture!r}"
            )
        self.architecture = architecture
        self.mbstd_group_size = mbstd_group_size
        self.mbstd_num_channels = positive_int("mbstd_num_channels", mbstd_num_channels)
        self.label_mapping_layers = positive_int("label_mapping_layers", label_mapping_layers)
        channels = {side: _channels(side, self.channel_base, self.channel_max) for side in sides}
        self.block_sides = sides[:0:-1]  # side, ..., 8
        top = self.block_sides[0]
        self.from_rgb = EqualizedConv2D(
            channels[top], 1, activation="lrelu", name=f"b{top}_fromrgb"
        )
        residual = self.architecture == "resnet"
        gain = SQRT_HALF if residual else 1.0
        self.conv0, self.conv1, self.skips = [], [], []
        for side in self.block_sides:
            inner, outer = channels[side], channels[side // 2]
            self.conv0.append(EqualizedConv2D(inner, 3, activation="lrelu", name=f"b{side}_conv0"))
            self.conv1.append(
                EqualizedConv2D(
                    outer, 3, activation="lrelu", down=2, gain=gain, name=f"b{side}_conv1"
                )
            )
            if residual:
                self.skips.append(
                    EqualizedConv2D(
                        outer, 1, down=2, use_bias=False, gain=gain, name=f"b{side}_skip"
                    )
                )
        bottom = channels[BOTTOM]
        self.bottom_channels = bottom
        self.mbstd = MinibatchStandardDeviation(
            mbstd_group_size, self.mbstd_num_channels, name="b4_mbstd"
        )
        self.epilogue_conv = EqualizedConv2D(bottom, 3, activation="lrelu", name="b4_conv")
        self.fc = EqualizedDense(bottom, activation="lrelu", name="b4_fc")
        self.cmap_dim = bottom if self.num_classes is not None else None
        self.out = EqualizedDense(self.cmap_dim or 1, name="b4_out")
        self.label_mapping = None
        if self.num_classes is not None:
            self.label_mapping = MappingNetwork(
                w_dim=self.cmap_dim,
                num_layers=self.label_mapping_layers,
                num_classes=self.num_classes,
                latent=False,
                w_avg_beta=None,
                name="label_mapping",
            )

    def build(self, input_shape=None):
        if self.built:
            return
        side = self.block_sides[0]
        self.from_rgb.build((None, side, side, self.data_shape[-1]))
        previous = self.from_rgb.filters
        for i, side in enumerate(self.block_sides):
            self.conv0[i].build((None, side, side, previous))
            self.conv1[i].build((None, side, side, self.conv0[i].filters))
            if self.skips:
                self.skips[i].build((None, side, side, previous))
            previous = self.conv1[i].filters
        self.mbstd.build((None, BOTTOM, BOTTOM, previous))
        self.epilogue_conv.build((None, BOTTOM, BOTTOM, previous + self.mbstd_num_channels))
        self.fc.build((None, BOTTOM * BOTTOM * self.bottom_channels))
        self.out.build((None, self.bottom_channels))
        if self.label_mapping is not None:
            self.label_mapping.build((None,))
        self.built = True

    def call(self, inputs, training=None):
        x, labels = class_labels.split_inputs(inputs, self.num_classes, "StyleGAN2Discriminator")
        x = self.from_rgb(ops.cast(x, self.compute_dtype))
        for i in range(len(self.block_sides)):
            skip = self.skips[i](x) if self.skips else None
            x = self.conv1[i](self.conv0[i](x))
            if skip is not None:
                x = x + skip
        x = self.epilogue_conv(self.mbstd(x))
        x = self.fc(ops.reshape(x, (ops.shape(x)[0], -1)))
        x = self.out(x)
        if self.label_mapping is not None:
            cmap = self.label_mapping(labels, training=training)
            x = ops.sum(x * cmap, axis=-1, keepdims=True) * (1.0 / np.sqrt(self.cmap_dim))
        return x

    def compute_output_shape(self, input_shape):
        return (class_labels.input_shape_of(input_shape)[0], 1)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "data_shape": self.data_shape,
                "num_classes": self.num_classes,
                "channel_base": self.channel_base,
                "channel_max": self.channel_max,
                "architecture": self.architecture,
                "mbstd_group_size": self.mbstd_group_size,
                "mbstd_num_channels": self.mbstd_num_channels,
                "label_mapping_layers": self.label_mapping_layers,
            }
        )
        return config
