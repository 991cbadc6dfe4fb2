"""BiGAN / ALI: a generator and an encoder trained against a discriminator of pairs."""

import keras
import tensorflow as tf
from keras import ops

from keras_gan import inference
from keras_gan.models.gan import GAN
from keras_gan.models.step_parts import float32_sum


@keras.saving.register_keras_serializable(package="keras_gan")
class BiGAN(GAN):
    """Learned inference of z from x: an encoder E trained adversarially with G.

    The discriminator judges pairs: `(x, E(x))` for a data sample against
    `(G(z), z)` for noise, called as `discriminator([samples, codes])`. G and
    E are trained together to make it wrong on both sides; at the game's
    optimum the two joint distributions match and E inverts G (Donahue et
    al. 2017; Dumoulin et al. 2017). The steps are `GAN`'s: `d_steps`
    discriminator updates on their own minibatches, then one update of G and
    E (by `g_optimizer`, over both networks' variables), every noise draw
    from the step's seed; saving, resuming and replicas work as for `GAN`.

    The loss's `inverse_loss` is G and E's objective
    (`keras_gan.losses.GANLoss.inverse_loss`).

    Args:
        generator: a Keras model from `(batch, latent_dim)` noise to samples.
        encoder: a Keras model from samples to `(batch, latent_dim)` codes
            (`MLPEncoder`, `DCGANEncoder`, or any such model).
        discriminator: a Keras model from `[samples, codes]` to one logit
            per sample (`MaxoutDiscriminator(latent_dim=...)`,
            `DCGANDiscriminator(latent_dim=...)`).
        latent_dim, latent_distribution, d_steps, seed, generator_ema,
            sample_from_average: as in `GAN`. With `generator_ema`, the
            encoder is trained against the trained generator, and
            `reconstruct` decodes with the sampling one.
        **kwargs: base `keras.Model` arguments.

    Raises:
        ValueError: on a bad argument, or if the three networks' shapes do
            not fit together.

    Example:
        >>> bigan = BiGAN(MLPGenerator(latent_dim=50), MLPEncoder(latent_dim=50),
        ...               MaxoutDiscriminator(latent_dim=50), seed=1)
        >>> bigan.compile()
        >>> bigan.fit(images, batch_size=100, epochs=1)
        >>> codes = bigan.encode(images[:10])
        >>> reconstructions = bigan.reconstruct(images[:10])

    References:
        Donahue, Krähenbühl & Darrell, "Adversarial Feature Learning", ICLR
        2017, arXiv:1605.09782. Dumoulin et al., "Adversarially Learned
        Inference", ICLR 2017, arXiv:1606.00704.
    """

    def __init__(
        self,
        generator,
        encoder,
        discriminator,
        latent_dim=None,
        latent_distribution="uniform",
        d_steps=1,
        seed=None,
        generator_ema=None,
        sample_from_average=True,
        **kwargs,
    ):
        if not isinstance(encoder, keras.Model):
            raise ValueError(
                f"`encoder` must be a keras.Model. Received: encoder of type {type(encoder)}"
            )
        super().__init__(
            generator,
            discriminator,
            latent_dim=latent_dim,
            latent_distribution=latent_distribution,
            d_steps=d_steps,
            seed=seed,
            generator_ema=generator_ema,
            sample_from_average=sample_from_average,
            **kwargs,
        )
        self.encoder = encoder
        self._build_encoder_and_discriminator()

    def _build_pair(self):
        # GAN's constructor builds G here; E and D are built once E is set.
        return tuple(self._build_generator().shape[1:])

    def _build_encoder_and_discriminator(self):
        fake = self._build_generator()
        try:
            codes = self.encoder(fake, training=False)
        except Exception as error:
            raise ValueError(
                "The encoder could not be called on the generator's output of shape "
                f"{(None, *self.data_shape)}: {error}"
            ) from error
        if tuple(codes.shape) != (2, self.latent_dim):
            raise ValueError(
                f"The encoder must return codes of shape (batch, {self.latent_dim}) (latent_dim). "
                f"Received: output of shape {tuple(codes.shape)} for a batch of 2"
            )
        self._check_discriminator(fake, codes, f" and codes of shape (batch, {self.latent_dim})")

    def compile(self, d_optimizer=None, g_optimizer=None, loss="non_saturating", **kwargs):
        """As `GAN.compile`; `g_optimizer` updates the generator and the encoder.

        Penalties are not taken: they are written for a discriminator of
        samples alone, and BiGAN's judges pairs.
        """
        if kwargs.get("penalties"):
            raise ValueError(
                "BiGAN takes no `penalties`: they judge samples alone, and a BiGAN's "
                f"discriminator judges (sample, code) pairs. Received: penalties="
                f"{kwargs['penalties']}"
            )
        if kwargs.get("latent_optimization") is not None:
            raise ValueError(
                "BiGAN takes no `latent_optimization`: it moves z up D(G(z)), and a BiGAN's "
                "discriminator judges (sample, code) pairs. Received: latent_optimization="
                f"{kwargs['latent_optimization']!r}"
            )
        super().compile(d_optimizer, g_optimizer, loss, **kwargs)

    @property
    def _g_vars(self):
        return self.generator.trainable_variables + self.encoder.trainable_variables

    def encode(self, samples, batch_size=256):
        """E(x) of samples, as a NumPy array `(n, latent_dim)`."""
        return inference.encode(self.encoder, samples, batch_size)

    def reconstruct(self, samples, batch_size=256):
        """G(E(x)) of samples through the sampling generator, as a NumPy array."""
        return inference.reconstruct(self.sampler, self.encoder, samples, batch_size)

    # The game of pairs. Training modes as in GAN: in a D step G makes its
    # batch and E encodes the data in training mode outside D's tape; in the
    # G step all three run in training mode and only G and E change.

    def _discriminator_step(self, minibatch, step_seed, draw):
        real, _ = minibatch
        z = self._training_noise(ops.shape(real)[0], step_seed, draw)
        fake = self._generate(z, None, training=True)
        codes = self.encoder(real, training=True)
        with tf.GradientTape() as tape:
            d_loss, real_logits, fake_logits, regularization, _ = self._discriminator_loss(
                (real, codes), (fake, z), step_seed, draw
            )
            objective = self._objective(
                self.d_optimizer, self.d_loss_weight * d_loss, regularization
            )
        self._apply(self.d_optimizer, self._d_vars, tape.gradient(objective, self._d_vars))
        self._track_discriminator(d_loss, real_logits, fake_logits)

    def _generator_step(self, minibatch, step_seed, draw):
        real, _ = minibatch
        z = self._training_noise(ops.shape(real)[0], step_seed, draw)
        with tf.GradientTape() as tape:
            fake = self._generate(z, None, training=True)
            codes = self.encoder(real, training=True)
            regularization = float32_sum(self.generator.losses) + float32_sum(self.encoder.losses)
            fake_logits, _, _ = self._discriminate(fake, z, training=True)
            real_logits, _, _ = self._discriminate(real, codes, training=True)
            g_loss = self.gan_loss.inverse_loss(real_logits, fake_logits)
            objective = self._objective(self.g_optimizer, g_loss, regularization)
        self._apply(self.g_optimizer, self._g_vars, tape.gradient(objective, self._g_vars))
        self.g_loss_tracker.update_state(g_loss)
        return z, None

    def test_step(self, data):
        real, _ = self._real_batch(data)
        step_seed = tf.cast(self.eval_seed_generator.next(), tf.int64)
        z = self._training_noise(ops.shape(real)[0], step_seed, draw=0)
        codes = self.encoder(real, training=False)
        fake = self._generate(z, None, training=False)
        real_logits, _, _ = self._discriminate(real, codes, training=False)
        fake_logits, _, _ = self._discriminate(fake, z, training=False)
        d_loss = self.gan_loss.discriminator_loss(real_logits, fake_logits)
        self._track_discriminator(d_loss, real_logits, fake_logits)
        self.g_loss_tracker.update_state(self.gan_loss.inverse_loss(real_logits, fake_logits))
        return self._metric_results()

    def _networks(self):
        return super()._networks() | {"encoder": self.encoder}

    def get_config(self):
        config = super().get_config()
        for key in (
            "simultaneous_updates",
            "augmentation",
            "num_classes",
            "label_distribution",
            "class_names",
            "auxiliary_classifier",
        ):
            config.pop(key)
        config["encoder"] = keras.saving.serialize_keras_object(self.encoder)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        return super().from_config(config)
