"""The Gumbel-softmax text GAN: `GAN`'s own game on relaxed one-hot sequences."""

from keras_gan.models.gan import GAN
from keras_gan.models.text_discriminator import TextDiscriminator
from keras_gan.models.text_generator import TextGenerator


def text_gan(
    vocab_size,
    length,
    generator=None,
    embedding_dim=32,
    units=32,
    d_embedding_dim=64,
    filters=64,
    spectral_norm=False,
    representations=1,
    d_steps=1,
    seed=None,
):
    """A `GAN` of a `TextGenerator` and a `TextDiscriminator`, z the Gumbel noise.

    Nothing in the game changes for text: real batches are one-hot
    `(batch, length, vocab_size)` floats (`tf.one_hot(ids, vocab_size)`), G's
    samples are Gumbel-softmax relaxed one-hots, and `gan.fit`, the losses,
    `d_steps`, checkpoints and distribution strategies are `GAN`'s. Raise the
    inverse temperature during training with
    `keras_gan.callbacks.GumbelTemperature`; pretrain G first with
    `keras_gan.models.MaximumLikelihood`, as every sequence GAN does.

    Args:
        vocab_size, length: the vocabulary size and tokens per sequence.
        generator: a pretrained `TextGenerator` to continue from, or None for
            a new one of `embedding_dim` and `units`.
        d_embedding_dim, filters, spectral_norm, representations: the
            discriminator's (`TextDiscriminator`; RelGAN: 64 representations).
        d_steps, seed: as in `GAN`.

    Example:
        >>> generator = TextGenerator(vocab_size, length)
        >>> MaximumLikelihood(generator).compile(...); ...fit(ids, ids)
        >>> gan = text_gan(vocab_size, length, generator=generator, d_steps=5)
        >>> gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))
        >>> gan.fit(one_hot_batches, callbacks=[GumbelTemperature(100, steps)])

    Reference:
        Nie et al., "RelGAN: Relational Generative Adversarial Networks for
        Text Generation", ICLR 2019.
    """
    if generator is None:
        generator = TextGenerator(vocab_size, length, embedding_dim=embedding_dim, units=units)
    elif (generator.vocab_size, generator.length) != (vocab_size, length):
        raise ValueError(
            f"The generator makes sequences of {generator.length} tokens of "
            f"{generator.vocab_size} ids. Received: vocab_size={vocab_size}, length={length}"
        )
    discriminator = TextDiscriminator(
        vocab_size,
        embedding_dim=d_embedding_dim,
        filters=filters,
        spectral_norm=spectral_norm,
        representations=representations,
    )
    return GAN(generator, discriminator, latent_distribution="uniform", d_steps=d_steps, seed=seed)
