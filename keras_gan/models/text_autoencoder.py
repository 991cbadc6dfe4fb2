"""ARAE's two halves that are not a GAN: a sequence autoencoder whose codes a GAN learns
to make, and the text generator that decodes that GAN's codes (Zhao et al. 2018)."""

import keras
import tensorflow as tf
from keras import ops

from keras_gan import latent
from keras_gan.models.language_model import TokenCrossEntropyCompile
from keras_gan.models.text_generator import TextGenerator


@keras.saving.register_keras_serializable(package="keras_gan")
class TextAutoencoder(TokenCrossEntropyCompile, keras.Model):
    """Encodes a token sequence into a code on the unit sphere and decodes it back.

    ARAE's autoencoder (Zhao et al. 2018, `lang/models.py`'s `Seq2Seq`): an LSTM
    encoder reads the sequence, its last hidden state divided by its L2 norm is
    the code; the decoder is a `TextGenerator` whose every step's input is the
    previous token's embedding joined to the code (`context_dim`). In training
    Gaussian noise of `code_noise` is added to the code, as ARAE does, so that
    codes near a sentence's also decode to it, which is what a GAN making codes
    needs.

    `fit(ids, ids)` trains both halves by teacher forcing (compiled with the
    default loss, the mean per-token cross-entropy, padding included); then a
    GAN is trained on `encode(ids)` and its codes decoded with
    `CodeTextGenerator`. This is ARAE in two stages: the paper also trains the
    encoder against the GAN's critic while the GAN learns, which is not built.

    Args:
        vocab_size, length: as in `TextGenerator`.
        embedding_dim: size of the token embeddings (encoder and decoder each
            have their own, as in ARAE).
        units: LSTM units of the encoder and the decoder, and the code's size.
        code_noise: standard deviation of the Gaussian noise added to the code
            in training (ARAE: 0.1, annealed); 0 for none.
        end_id: the id that ends a sentence and pads it (a `Vocabulary`'s 0):
            the code is the encoder's state after the last id before the first
            `end_id`, whatever follows, as ARAE's packed sequences give. Reading
            the padding too would feed the LSTM one constant input for the rest
            of the sequence (two thirds of a COCO caption's 36 ids), which washes
            the sentence out of its state. None: every id is read (sequences
            without an end, such as the synthetic oracle's).
        initializer: as in `TextGenerator`, for every weight of both halves.
        seed: seed of the code noise's stream, or None.

    Example:
        >>> autoencoder = TextAutoencoder(vocab_size, length)
        >>> autoencoder.compile(keras.optimizers.Adam(1e-3))
        >>> autoencoder.fit(ids, ids, batch_size=64, epochs=10)
        >>> codes = autoencoder.encode(ids)  # the GAN's training data

    Reference:
        Zhao et al., "Adversarially Regularized Autoencoders", ICML 2018,
        arXiv:1706.04223; github.com/jakezhaojb/ARAE.
    """

    def __init__(
        self,
        vocab_size,
        length,
        embedding_dim=32,
        units=32,
        code_noise=0.1,
        end_id=0,
        initializer=None,
        seed=None,
        decoder=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not code_noise >= 0:
            raise ValueError(f"`code_noise` must be >= 0. Received: code_noise={code_noise!r}")
        if end_id is not None and not 0 <= end_id < vocab_size:
            raise ValueError(
                f"`end_id` must be an id of the vocabulary (0..{vocab_size - 1}) or None. "
                f"Received: end_id={end_id!r}"
            )
        self.code_noise = float(code_noise)
        self.end_id = None if end_id is None else int(end_id)
        if isinstance(decoder, dict):
            decoder = keras.saving.deserialize_keras_object(decoder)
        if decoder is None:
            decoder = TextGenerator(
                vocab_size,
                length,
                embedding_dim=embedding_dim,
                units=units,
                initializer=initializer,
                context_dim=units,
                name="decoder",
            )
        elif (decoder.vocab_size, decoder.length, decoder.context_dim) != (
            vocab_size,
            length,
            units,
        ):
            raise ValueError(
                f"`decoder` must be a TextGenerator of {vocab_size} ids, {length} tokens and "
                f"context_dim={units}. Received: vocab_size={decoder.vocab_size}, "
                f"length={decoder.length}, context_dim={decoder.context_dim}"
            )
        self.decoder = decoder
        self.vocab_size = decoder.vocab_size
        self.length = decoder.length
        self.embedding_dim = decoder.embedding_dim
        self.units = units
        self.code_dim = units
        self.initializer = decoder.initializer
        self.seed = seed
        self.encoder_embedding = keras.layers.Embedding(
            self.vocab_size,
            self.embedding_dim,
            embeddings_initializer=decoder._init("uniform"),
            name="encoder_embedding",
        )
        self.encoder_rnn = keras.layers.LSTM(
            units,
            kernel_initializer=decoder._init("glorot_uniform"),
            recurrent_initializer=decoder._init("orthogonal"),
            bias_initializer=decoder._init("zeros"),
            unit_forget_bias=self.initializer is None,
            name="encoder",
        )
        self.noise_seed = keras.random.SeedGenerator(seed, name="code_noise_seed")

    def build(self, input_shape=None):
        self.encode(ops.zeros((1, self.length), "int32"))
        self.decoder.build()
        self.built = True

    def encode(self, ids, training=False):
        """`(batch, units)` codes of `(batch, length)` ids, each of L2 norm 1 (no noise);
        with an `end_id`, of the ids before its first occurrence only."""
        ids = ops.cast(ids, "int32")
        mask = None
        if self.end_id is not None:  # True before the sentence's end, False from it on
            mask = ops.cumprod(ops.cast(ops.not_equal(ids, self.end_id), "int32"), axis=1) > 0
        hidden = self.encoder_rnn(self.encoder_embedding(ids), mask=mask, training=training)
        hidden = ops.cast(hidden, "float32")
        return hidden / ops.maximum(ops.norm(hidden, axis=-1, keepdims=True), 1e-12)

    def reconstruct(self, ids, seed=0, temperature=1e-3):
        """`ids` decoded from their own codes (no noise): `(batch, length)` int32 ids drawn
        as `TextGenerator.sample` draws them; the default temperature is the argmax."""
        return self.decoder.sample(
            ops.shape(ids)[0], seed=seed, temperature=temperature, context=self.encode(ids)
        )

    def call(self, ids, training=False):
        """Teacher-forced logits `(batch, length, vocab_size)` of `ids` decoded from their
        own codes, noisy in training."""
        code = self.encode(ids, training=training)
        if training and self.code_noise:
            code = code + keras.random.normal(
                ops.shape(code), stddev=self.code_noise, seed=self.noise_seed
            )
        return self.decoder.logits(ids, training=training, context=code)

    def get_config(self):
        config = super().get_config()
        config.update(
            vocab_size=self.vocab_size,
            length=self.length,
            embedding_dim=self.embedding_dim,
            units=self.units,
            code_noise=self.code_noise,
            end_id=self.end_id,
            seed=self.seed,
            decoder=keras.saving.serialize_keras_object(self.decoder),
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class CodeTextGenerator(keras.Model):
    """Text from a GAN of codes: z -> the GAN's generator -> a code -> the decoder.

    It samples as a `TextGenerator` does (`sample(num_samples, seed,
    temperature)`), so the text scores and the export take it in its place. It
    has no likelihood: `logits` is not defined, so a data set's NLL under it
    cannot be scored.

    Args:
        code_generator: the GAN's generator, z -> `(batch, code_dim)` codes
            (`gan.generator`, or its average).
        decoder: the autoencoder's `TextGenerator` with `context_dim` = code_dim.
        latent_distribution, latent_dim: the GAN's z.
    """

    def __init__(
        self, code_generator, decoder, latent_distribution="normal", latent_dim=100, **kwargs
    ):
        super().__init__(**kwargs)
        if isinstance(code_generator, dict):
            code_generator = keras.saving.deserialize_keras_object(code_generator)
        if isinstance(decoder, dict):
            decoder = keras.saving.deserialize_keras_object(decoder)
        if not getattr(decoder, "context_dim", 0):
            raise ValueError(
                "`decoder` must be a TextGenerator with a context_dim (a TextAutoencoder's "
                f"decoder). Received: decoder={decoder!r}"
            )
        self.code_generator = code_generator
        self.decoder = decoder
        self.latent_distribution = latent.check_distribution(latent_distribution)
        self.latent_dim = int(latent_dim)
        self.vocab_size = decoder.vocab_size
        self.length = decoder.length

    @classmethod
    def of_gan(cls, gan, autoencoder):
        """The text of `gan`'s codes (from its average, if it samples from one), built."""
        generator = cls(gan.sampler, autoencoder.decoder, gan.latent_distribution, gan.latent_dim)
        generator.build()
        return generator

    def build(self, input_shape=None):
        code = self.code_generator(ops.zeros((1, self.latent_dim)))
        if tuple(code.shape[1:]) != (self.decoder.context_dim,):
            raise ValueError(
                f"The code generator makes codes of shape {tuple(code.shape[1:])}; the decoder "
                f"reads codes of {self.decoder.context_dim}."
            )
        self.decoder.build()
        self.built = True

    def codes(self, num_samples, seed):
        """`(num_samples, code_dim)` codes from z drawn with shape-`(2,)` `seed`."""
        z = latent.sample(self.latent_distribution, num_samples, self.latent_dim, seed)
        return ops.cast(self.code_generator(z, training=False), "float32")

    def sample(self, num_samples, seed=0, temperature=1.0):
        """`(num_samples, length)` int32 ids, as `TextGenerator.sample`; the codes and
        the tokens draw from independent streams of `seed`."""
        if isinstance(seed, int):
            seed = tf.constant([seed, 0], tf.int64)
        seed = tf.cast(seed, tf.int64)
        codes = self.codes(num_samples, tf.random.experimental.stateless_fold_in(seed, -1))
        return self.decoder.sample(num_samples, seed, temperature, context=codes)

    def get_config(self):
        config = super().get_config()
        config.update(
            code_generator=keras.saving.serialize_keras_object(self.code_generator),
            decoder=keras.saving.serialize_keras_object(self.decoder),
            latent_distribution=self.latent_distribution,
            latent_dim=self.latent_dim,
        )
        return config
