"""An encoder for a finished generator: regress z from G(z) (the paper's section 7)."""

import keras
import tensorflow as tf
from keras import ops

from keras_gan import latent
from keras_gan.distribute import StartsOnePass
from keras_gan.models.step_parts import float32_sum
from keras_gan.models.step_parts import replica_loss


@keras.saving.register_keras_serializable(package="keras_gan")
class LatentRegression(StartsOnePass, keras.Model):
    """Trains an encoder E to invert a frozen generator G: E(G(z)) ~ z.

    "The inference net may be trained for a fixed generator net after the
    generator net has finished training" (Goodfellow et al. 2014, section
    7). Each step draws a batch of noise, makes G(z) in inference mode and
    moves E towards z by the mean squared error. With
    `reconstruction_weight > 0`, the batch of data `fit` delivers adds
    `weight * mean((G(E(x)) - x)^2)`, which pulls E towards codes that
    reproduce real images, not only generated ones. G never changes: the
    step differentiates and the optimizer updates E's variables only. G is
    used as it is, not marked untrainable, so a GAN it belongs to still
    trains it afterwards.

    Args:
        generator: the finished generator (for a `GAN`, `gan.sampler`: the
            one it samples from).
        encoder: a Keras model from samples to `(batch, latent_dim)` codes.
        latent_dim: the generator's noise size.
        latent_distribution: `"uniform"` or `"normal"`, as the GAN's.
        reconstruction_weight: weight of the reconstruction term (0 = off;
            then the data only sets the batch size and the epoch length).
        seed: seed of the noise stream.
        **kwargs: base `keras.Model` arguments.

    Example:
        >>> regression = LatentRegression.for_gan(gan, MLPEncoder(gan.latent_dim))
        >>> regression.compile(optimizer="adam")
        >>> regression.fit(images, batch_size=100, epochs=5)
        >>> codes = regression.encoder.predict(images)
    """

    def __init__(
        self,
        generator,
        encoder,
        latent_dim,
        latent_distribution="uniform",
        reconstruction_weight=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, network in (("generator", generator), ("encoder", encoder)):
            if not isinstance(network, keras.Model):
                raise ValueError(
                    f"`{name}` must be a keras.Model. Received: {name} of type {type(network)}"
                )
        # Not `generator.trainable = False`: that flag belongs to the caller's
        # model (a GAN's generator, which a later `gan.fit` must still train).
        self.generator = generator
        self.encoder = encoder
        self.latent_dim = int(latent_dim)
        self.latent_distribution = latent.check_distribution(latent_distribution)
        if not float(reconstruction_weight) >= 0.0:
            raise ValueError(
                "`reconstruction_weight` must be >= 0. Received: "
                f"reconstruction_weight={reconstruction_weight!r}"
            )
        self.reconstruction_weight = float(reconstruction_weight)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        probe = self.generator(ops.zeros((2, self.latent_dim)), training=False)
        codes = self.encoder(probe, training=False)
        if tuple(codes.shape) != (2, self.latent_dim):
            raise ValueError(
                f"The encoder must return codes of shape (batch, {self.latent_dim}) "
                f"(latent_dim). Received: output of shape {tuple(codes.shape)} for a batch of 2"
            )
        self.data_shape = tuple(probe.shape[1:])
        self.latent_tracker = keras.metrics.Mean(name="latent_loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.built = True

    @classmethod
    def for_gan(cls, gan, encoder, reconstruction_weight=0.0, seed=None, **kwargs):
        """The regression of `encoder` on the generator `gan` samples from."""
        if getattr(gan, "num_classes", None) is not None:
            raise ValueError(
                "LatentRegression fits an encoder to an unconditional generator; this GAN is "
                f"conditional (num_classes={gan.num_classes})."
            )
        return cls(
            gan.sampler,
            encoder,
            gan.latent_dim,
            gan.latent_distribution,
            reconstruction_weight=reconstruction_weight,
            seed=seed,
            **kwargs,
        )

    def compile(self, *args, **kwargs):
        """`keras.Model.compile`; the optimizer is built on the encoder's variables only.

        Keras would build it on `trainable_variables`, the generator's too:
        slots that no update uses but every save would carry.
        """
        super().compile(*args, **kwargs)
        if self.optimizer is not None and not self.optimizer.built:
            self.optimizer.build(self.encoder.trainable_variables)

    def compile_from_config(self, config):
        # Keras skips a custom `compile` at load time unless this is overridden;
        # built as above, the optimizer then matches the saved slots and loads them.
        self.compile(**keras.saving.deserialize_keras_object(config))

    @property
    def metrics(self):
        return [self.latent_tracker, self.reconstruction_tracker]

    def call(self, samples, training=False):
        return self.encoder(samples, training=training)

    def train_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        batch = ops.shape(real)[0]
        z = self._noise(batch)
        fake = self.generator(z, training=False)
        with tf.GradientTape() as tape:
            latent_loss = ops.mean(ops.square(self.encoder(fake, training=True) - z))
            loss = latent_loss + float32_sum(self.encoder.losses)
            if self.reconstruction_weight:
                reconstruction_loss = self._reconstruction_loss(real, training=True)
                loss += self.reconstruction_weight * reconstruction_loss
            objective = self.optimizer.scale_loss(replica_loss(loss))
        variables = self.encoder.trainable_variables
        self.optimizer.apply(tape.gradient(objective, variables), variables)
        if not self.reconstruction_weight:
            # Reported all the same: how well the codes of real data reproduce it.
            reconstruction_loss = self._reconstruction_loss(real, training=False)
        self.latent_tracker.update_state(latent_loss)
        self.reconstruction_tracker.update_state(reconstruction_loss)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        z = self._noise(ops.shape(real)[0])
        codes = self.encoder(self.generator(z, training=False), training=False)
        self.latent_tracker.update_state(ops.mean(ops.square(codes - z)))
        self.reconstruction_tracker.update_state(self._reconstruction_loss(real, training=False))
        return {m.name: m.result() for m in self.metrics}

    def _reconstruction_loss(self, real, training):
        real = ops.cast(real, "float32")
        codes = self.encoder(real, training=training)
        reconstructed = ops.cast(self.generator(codes, training=False), "float32")
        return ops.mean(ops.square(reconstructed - real))

    def _noise(self, batch_size):
        seed = tf.cast(self.seed_generator.next(), tf.int64)
        return latent.sample(self.latent_distribution, batch_size, self.latent_dim, seed)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "latent_dim": self.latent_dim,
                "latent_distribution": self.latent_distribution,
                "reconstruction_weight": self.reconstruction_weight,
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in ("generator", "encoder"):
            config[name] = keras.saving.deserialize_keras_object(config[name])
        return cls(**config)
