"""A convolutional discriminator of (relaxed) one-hot token sequences."""

import keras
from keras import ops

from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class TextDiscriminator(keras.Model):
    """One logit per sequence of `(batch, length, vocab_size)` one-hot or relaxed rows
    (the Gumbel GAN), or of `(batch, length)` token ids (SeqGAN).

    The rows are embedded by a bias-free dense layer (a lookup for one-hot
    rows, a weighted mix of embeddings for Gumbel-softmax rows, so real and
    fake enter the same way), then convolutions of several widths over time,
    max-pooled over time, a highway layer and dropout: the CNN discriminator of
    SeqGAN and Texygen, which RelGAN also compares against.

    With `representations` R > 1 (RelGAN's "multiple embedded representations",
    its `num_rep`), the embedding is cut into R slices of `embedding_dim / R`
    features; the same convolutions, highway and logit score each slice, so
    D returns R logits per sequence, `(batch, R)`, and the loss averages over
    all of them (`logits_per_sample` tells `GAN` to expect them).

    Args:
        vocab_size: number of token ids.
        embedding_dim: size of the embedding (64 in RelGAN).
        filter_sizes: widths of the convolutions over time.
        filters: filters per width.
        dropout: dropout rate before the logit (SeqGAN: 0.25).
        spectral_norm: wrap the convolutions and the dense layers in
            `keras.layers.SpectralNormalization`.
        representations: R, logits per sequence (RelGAN: 64 with an embedding
            of 64); must divide `embedding_dim`.

    Reference:
        Yu et al., "SeqGAN: Sequence Generative Adversarial Nets with Policy
        Gradient", AAAI 2017, arXiv:1609.05473 (after Kim, "Convolutional
        Neural Networks for Sentence Classification", 2014).
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim=64,
        filter_sizes=(2, 3, 4, 5),
        filters=64,
        dropout=0.25,
        spectral_norm=False,
        representations=1,
        **kwargs,
    ):
        super().__init__(**kwargs)
        representations = positive_int("representations", representations)
        if embedding_dim % representations:
            raise ValueError(
                "`representations` must divide `embedding_dim`. Received: "
                f"representations={representations}, embedding_dim={embedding_dim}"
            )
        if not 0 <= dropout < 1:
            raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout}")
        if not filter_sizes or any(int(s) < 1 for s in filter_sizes):
            raise ValueError(
                f"`filter_sizes` must be positive widths. Received: filter_sizes={filter_sizes}"
            )
        self.vocab_size = int(vocab_size)
        self.embedding_dim = int(embedding_dim)
        self.filter_sizes = tuple(int(s) for s in filter_sizes)
        self.filters = int(filters)
        self.dropout_rate = float(dropout)
        self.spectral_norm = bool(spectral_norm)
        self.representations = self.logits_per_sample = representations

        def wrap(layer):
            return keras.layers.SpectralNormalization(layer) if spectral_norm else layer

        self.embed = keras.layers.Dense(embedding_dim, use_bias=False, name="embedding")
        self.convolutions = [
            wrap(keras.layers.Conv1D(filters, size, activation="relu", name=f"conv{size}"))
            for size in self.filter_sizes
        ]
        width = filters * len(self.filter_sizes)
        self.highway = wrap(keras.layers.Dense(width, name="highway"))
        self.gate = wrap(keras.layers.Dense(width, activation="sigmoid", name="gate"))
        self.dropout = keras.layers.Dropout(dropout, name="dropout")
        self.logit = wrap(keras.layers.Dense(1, name="logit"))

    def build(self, input_shape=None):
        self.embed.build((None, None, self.vocab_size))
        self.built = True

    def call(self, sequences, training=False):
        """Logits `(batch, 1)` of `(batch, length, vocab_size)` float rows, or of
        `(batch, length)` int token ids (the rows of their one-hots, looked up)."""
        if not self.embed.built:
            self.embed.build((None, None, self.vocab_size))
        if "int" in str(sequences.dtype):
            rows = ops.take(self.embed.kernel, sequences, axis=0)
        else:
            rows = self.embed(sequences)
        batch, length = ops.shape(rows)[0], ops.shape(rows)[1]
        r = self.representations
        if r > 1:  # each slice of the embedding becomes a sequence of its own
            rows = ops.reshape(rows, (batch, length, r, self.embedding_dim // r))
            rows = ops.reshape(ops.transpose(rows, (0, 2, 1, 3)), (batch * r, length, -1))
        pooled = ops.concatenate(
            [ops.max(conv(rows), axis=1) for conv in self.convolutions], axis=-1
        )
        gate = self.gate(pooled)
        features = gate * ops.relu(self.highway(pooled)) + (1.0 - gate) * pooled
        logits = self.logit(self.dropout(features, training=training))
        return ops.reshape(logits, (batch, r)) if r > 1 else logits

    def get_config(self):
        config = super().get_config()
        config.update(
            vocab_size=self.vocab_size,
            embedding_dim=self.embedding_dim,
            filter_sizes=list(self.filter_sizes),
            filters=self.filters,
            dropout=self.dropout_rate,
            spectral_norm=self.spectral_norm,
            representations=self.representations,
        )
        return config
