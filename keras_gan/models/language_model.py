"""Maximum-likelihood training of a `TextGenerator`: the pretraining of every
sequence GAN, the baseline they are measured against, and the NLL metrics."""

import keras


class TokenCrossEntropyCompile:
    """A `keras.Model` mixin: compiled with no loss, the mean per-token cross-entropy of
    next-token logits against the ids (`MaximumLikelihood`, `TextAutoencoder`), and
    restored from a `.keras` file with that compile."""

    def compile(self, optimizer="adam", loss=None, **kwargs):
        if loss is None:
            loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        super().compile(optimizer=optimizer, loss=loss, **kwargs)

    def compile_from_config(self, config):
        # Keras' own skips a model whose compile() is overridden, as this one is.
        self.compile(**keras.saving.deserialize_keras_object(config))
        if self.built:
            self.optimizer.build(self.trainable_variables)


@keras.saving.register_keras_serializable(package="keras_gan")
class MaximumLikelihood(TokenCrossEntropyCompile, keras.Model):
    """Wraps a `TextGenerator` so `fit(ids, ids)` trains it by teacher forcing.

    `call(ids)` returns the generator's next-token logits; compiled with the
    default loss, `evaluate(ids, ids)` is the mean per-token negative
    log-likelihood in nats, padding positions included, as Texygen and RelGAN
    report NLL (NLL_gen on test captions; NLL_oracle under the oracle). The
    generator's weights are the ones trained: it is the same object.

    Example:
        >>> mle = MaximumLikelihood(TextGenerator(vocab_size, length))
        >>> mle.compile(keras.optimizers.Adam(1e-2))
        >>> mle.fit(train_ids, train_ids, batch_size=64, epochs=10)
        >>> nll_gen = mle.evaluate(test_ids, test_ids)
    """

    def __init__(self, generator, **kwargs):
        super().__init__(**kwargs)
        if not hasattr(generator, "logits"):
            raise ValueError(
                "`generator` must be a TextGenerator (a model with `logits(ids)`). "
                f"Received: generator={generator!r}"
            )
        self.generator = generator

    def build(self, input_shape=None):
        self.generator.build()
        self.built = True

    def call(self, ids, training=False):
        return self.generator.logits(ids, training=training)

    def get_config(self):
        config = super().get_config()
        config["generator"] = keras.saving.serialize_keras_object(self.generator)
        return config

    @classmethod
    def from_config(cls, config):
        config["generator"] = keras.saving.deserialize_keras_object(config["generator"])
        return cls(**config)
