"""BigGAN's generator (Brock et al. 2019) for 32x32 images; its D is the ResNet one with
self-attention (`ResNetDiscriminator(attention=16)`)."""

import keras
from keras import ops

from keras_gan.layers.self_attention import SelfAttention
from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.models import labels as class_labels
from keras_gan.models.resnet import BOTTOM
from keras_gan.models.resnet import GeneratorBlock
from keras_gan.models.resnet import _block_at_side
from keras_gan.models.resnet import _blocks_for
from keras_gan.models.resnet import attention_side
from keras_gan.regularizers import BigGANOrthogonalRegularizer
from keras_gan.regularizers import regularize_kernels
from keras_gan.validation import positive_int

# StudioGAN's BigGAN batch norms (PyTorch momentum 0.1, eps 1e-4).
EPSILON = 1e-4


@keras.saving.register_keras_serializable(package="keras_gan")
class BigGANGenerator(keras.Model):
    """BigGAN's generator: hierarchical z and a shared class embedding into every block.

    z is cut into `blocks + 1` equal chunks. The first goes through a dense
    layer to 4x4xC; each up-block's two batch norms take their scale and shift
    from a linear map of [shared_embedding(label), its own chunk] (the chunk
    alone if unconditional). Self-attention follows the block that makes
    `attention`-sided maps; then BN, ReLU, conv3x3 to the image. Every conv
    and dense layer (not the embedding) is spectrally normalised, as in
    StudioGAN's CIFAR-10 BigGAN.

    At CIFAR-10's setting (StudioGAN's configs/CIFAR10/BigGAN.yaml: z 80,
    shared embedding 128, 384 channels, attention at 16x16) it has the
    9,416,196 parameters of the reference code.

    Args:
        latent_dim: size of z, a multiple of the number of blocks + 1 (32x32:
            three blocks, so of 4; BigGAN's CIFAR-10: 80).
        channels: channels of every block (CIFAR-10: 4 x 96 = 384).
        data_shape: `(side, side, C)`, side = 4 * 2^n.
        num_classes: None, or the classes; called as `generator([z, labels])`.
        shared_dim: size of the shared class embedding (CIFAR-10: 128).
        attention: side of the maps self-attention follows (CIFAR-10: 16);
            None or 0: no attention.
        orthogonal_regularization: beta of BigGAN's orthogonal regularisation
            of every kernel but the embedding's (0: off, as both reference
            codes run CIFAR-10; the paper's ImageNet: 1e-4).
        output_activation: `"sigmoid"` ([0, 1], the package's convention) or
            `"tanh"` (the paper's).
        synchronized_batch_norm: batch statistics over all replicas' samples
            (BigGAN's cross-replica batch norm); then N replicas train as one
            device does.

    Reference:
        Brock, Donahue & Simonyan, "Large Scale GAN Training for High
        Fidelity Natural Image Synthesis", ICLR 2019, arXiv:1809.11096;
        StudioGAN's src/models/big_resnet.py.
    """

    def __init__(
        self,
        latent_dim=80,
        channels=384,
        data_shape=(32, 32, 3),
        num_classes=None,
        shared_dim=128,
        attention=16,
        orthogonal_regularization=0.0,
        output_activation="sigmoid",
        synchronized_batch_norm=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = positive_int("latent_dim", latent_dim)
        self.channels = positive_int("channels", channels)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.shared_dim = positive_int("shared_dim", shared_dim)
        self.attention = attention_side(attention)
        self.orthogonal_regularization = float(orthogonal_regularization)
        if not self.orthogonal_regularization >= 0:
            raise ValueError(
                "`orthogonal_regularization` must be a number >= 0 (0: off). Received: "
                f"orthogonal_regularization={orthogonal_regularization}"
            )
        self.output_activation = output_activation
        self.synchronized_batch_norm = bool(synchronized_batch_norm)
        steps = _blocks_for(self.data_shape)
        if self.latent_dim % (steps + 1):
            raise ValueError(
                f"BigGAN cuts z into {steps + 1} equal chunks ({steps} blocks for "
                f"{self.data_shape} images, and the input layer): `latent_dim` must be a "
                f"multiple of {steps + 1}. Received: latent_dim={self.latent_dim}"
            )
        self.chunk = self.latent_dim // (steps + 1)
        condition_dim = self.chunk + (0 if self.num_classes is None else self.shared_dim)
        self.shared = None
        if self.num_classes is not None:
            self.shared = keras.layers.Embedding(self.num_classes, self.shared_dim, name="shared")
        self.project = SpectralNormalization(
            keras.layers.Dense(BOTTOM * BOTTOM * self.channels, name="project")
        )
        self.blocks = [
            GeneratorBlock(
                self.channels,
                condition_dim=condition_dim,
                spectral_norm=True,
                epsilon=EPSILON,
                synchronized=self.synchronized_batch_norm,
                name=f"block_{i}",
            )
            for i in range(steps)
        ]
        self.self_attention = self._attention_after = None
        if self.attention is not None:
            sides = [BOTTOM * 2 ** (i + 1) for i in range(steps)]
            self._attention_after = _block_at_side(self.blocks, sides, self.attention)
            self.self_attention = SelfAttention(spectral_norm=True, name="self_attention")
        self.final_norm = keras.layers.BatchNormalization(
            momentum=0.9,
            epsilon=EPSILON,
            synchronized=self.synchronized_batch_norm,
            name="final_norm",
        )
        self.output_conv = SpectralNormalization(
            keras.layers.Conv2D(
                self.data_shape[-1], 3, padding="same", activation=output_activation, name="output"
            )
        )

    def build(self, input_shape=None):
        if self.shared is not None:
            self.shared.build((None,))
        self.project.build((None, self.chunk))
        shape = (None, BOTTOM, BOTTOM, self.channels)
        for block in self.blocks:
            block.build([shape, (None, block.condition_dim)])
            shape = (None, 2 * shape[1], 2 * shape[2], self.channels)
            if block is self._attention_after:
                self.self_attention.build(shape)
        self.final_norm.build(shape)
        self.output_conv.build(shape)
        if self.orthogonal_regularization:
            regularize_kernels(
                self, BigGANOrthogonalRegularizer(self.orthogonal_regularization), [self.shared]
            )
        self.built = True

    def call(self, inputs, training=None):
        z, labels = class_labels.split_inputs(inputs, self.num_classes, "BigGANGenerator")
        chunks = ops.split(z, len(self.blocks) + 1, axis=-1)
        embedded = None
        if labels is not None:
            embedded = self.shared(ops.reshape(ops.cast(labels, "int32"), (-1,)))
            embedded = ops.cast(embedded, chunks[0].dtype)
        x = self.project(chunks[0], training=training)
        x = ops.reshape(x, (-1, BOTTOM, BOTTOM, self.channels))
        for block, chunk in zip(self.blocks, chunks[1:], strict=True):
            condition = chunk if embedded is None else ops.concatenate([embedded, chunk], axis=-1)
            x = block([x, condition], training=training)
            if block is self._attention_after:
                x = self.self_attention(x, training=training)
        x = ops.relu(self.final_norm(x, training=training))
        return self.output_conv(x, training=training)

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
                "shared_dim": self.shared_dim,
                "attention": self.attention,
                "orthogonal_regularization": self.orthogonal_regularization,
                "output_activation": self.output_activation,
                "synchronized_batch_norm": self.synchronized_batch_norm,
            }
        )
        return config
