"""The adversarial game of Goodfellow et al. (2014) as a Keras model."""

import math

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_gan import losses as gan_losses
from keras_gan.validation import positive_int

LATENT_DISTRIBUTIONS = ("uniform", "normal")


@keras.saving.register_keras_serializable(package="keras_gan")
class GAN(keras.Model):
    """A generator and a discriminator trained against each other by `fit`.

    `train_step` plays Algorithm 1 of the paper: `d_steps` (the paper's k)
    discriminator updates, each on its own minibatch of real data and fresh
    noise, then one generator update on fresh noise. Each batch that `fit`
    delivers is split into the `d_steps` minibatches by a strided split
    (`x[i::d_steps]`), so batch the data `d_steps` times larger than the
    minibatch you want. With `simultaneous_updates=True` both networks are
    updated from the gradients of one forward pass on one minibatch, as the
    paper's published code did.

    The discriminator must return one logit per sample (`(batch, 1)` or
    `(batch,)`); D(x) = sigmoid(logit). Losses are chosen in `compile`.

    Calling the model, `gan(z)`, runs the generator; `gan.generate(n, seed)`
    draws the noise too. `evaluate` / `validation_data` report the same losses
    on held-out data without updating anything.

    Args:
        generator: any Keras model mapping `(batch, latent_dim)` noise to
            samples (Sequential, functional or subclassed).
        discriminator: any Keras model mapping samples to logits.
        latent_dim: size of the noise vector. Read from the generator (its
            `latent_dim` attribute or its input shape) when omitted.
        latent_distribution: `"uniform"` (on [-sqrt(3), sqrt(3)], unit variance,
            as the paper's code) or `"normal"` (standard normal).
        d_steps: discriminator updates per generator update (k >= 1).
        simultaneous_updates: update both networks from one minibatch and one
            forward pass instead of alternating (requires `d_steps=1`).
        seed: seed of the model's `keras.random.SeedGenerator`, which draws all
            noise during training; the same seed (with the same initial weights
            and data order) gives the same run.
        **kwargs: base `keras.Model` arguments (`name`, ...).

    Raises:
        ValueError: on a bad argument, or if the generator's output shape does
            not match what the discriminator accepts.

    Example:
        >>> gan = GAN(MLPGenerator(), MaxoutDiscriminator(), seed=1)
        >>> gan.compile(d_optimizer="adam", g_optimizer="adam")
        >>> gan.fit(images, batch_size=100, epochs=1)  # images in [0, 1]
        >>> samples = gan.generate(16, seed=0)

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NIPS 2014,
        arXiv:1406.2661, Algorithm 1.
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        latent_distribution="uniform",
        d_steps=1,
        simultaneous_updates=False,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(generator, keras.Model):
            raise ValueError(
                f"`generator` must be a keras.Model. Received: generator of type {type(generator)}"
            )
        if not isinstance(discriminator, keras.Model):
            raise ValueError(
                "`discriminator` must be a keras.Model. "
                f"Received: discriminator of type {type(discriminator)}"
            )
        if latent_distribution not in LATENT_DISTRIBUTIONS:
            raise ValueError(
                f"Unknown `latent_distribution`: expected one of {list(LATENT_DISTRIBUTIONS)}. "
                f"Received: latent_distribution={latent_distribution!r}"
            )
        d_steps = positive_int("d_steps", d_steps)
        if simultaneous_updates and d_steps != 1:
            raise ValueError(
                "`simultaneous_updates=True` updates D and G from one minibatch, so it "
                f"needs d_steps=1. Received: d_steps={d_steps}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = _resolve_latent_dim(generator, latent_dim)
        self.latent_distribution = latent_distribution
        self.d_steps = d_steps
        self.simultaneous_updates = bool(simultaneous_updates)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        # Evaluation has its own stream, so validation never changes training.
        self.eval_seed_generator = keras.random.SeedGenerator(
            None if seed is None else seed + 1, name="eval_seed_generator"
        )
        self.data_shape = self._build_pair()
        self.built = True
        self.d_optimizer = None
        self.g_optimizer = None
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")

    def _build_pair(self):
        """Builds G and D on each other's shapes; returns the shape of one sample."""
        probe = ops.zeros((2, self.latent_dim))
        try:
            fake = self.generator(probe, training=False)
        except Exception as error:
            raise ValueError(
                f"The generator could not be called on noise of shape (batch, {self.latent_dim}) "
                f"(latent_dim={self.latent_dim}): {error}"
            ) from error
        data_shape = tuple(fake.shape[1:])
        expected = _declared_input_shape(self.discriminator)
        if expected is not None and tuple(expected) != data_shape:
            raise ValueError(
                "The generator's output shape does not match the discriminator's input "
                f"shape. Received: generator output (batch, {', '.join(map(str, data_shape))}), "
                f"discriminator input (batch, {', '.join(map(str, expected))})"
            )
        try:
            logits = self.discriminator(fake, training=False)
        except Exception as error:
            raise ValueError(
                "The discriminator could not be called on the generator's output of shape "
                f"{(None, *data_shape)}: {error}"
            ) from error
        if tuple(logits.shape) not in ((2,), (2, 1)):
            raise ValueError(
                "The discriminator must return one logit per sample, shape (batch, 1) or "
                f"(batch,). Received: output of shape {tuple(logits.shape)} for a batch of 2"
            )
        return data_shape

    @property
    def metrics(self):
        # Listing the trackers here makes Keras reset them every epoch and show
        # their running means (not the last batch) in the progress bar.
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
        ]

    def compile(
        self,
        d_optimizer=None,
        g_optimizer=None,
        loss="non_saturating",
        d_loss_weight=1.0,
        jit_compile="auto",
        **kwargs,
    ):
        """Sets the optimizers and the game.

        Args:
            d_optimizer: optimizer (instance, name or config) of the
                discriminator. Default: Adam(2e-4, beta_1=0.5) (Radford et al.).
            g_optimizer: optimizer of the generator, a different instance.
                Same default.
            loss: `"non_saturating"` (G maximises log D(G(z)), the paper's
                practical choice) or `"minimax"` (G minimises log(1 - D(G(z)))).
                See `keras_gan.losses`.
            d_loss_weight: factor on the discriminator loss before its
                gradients (the paper's code used 0.5). Logged `d_loss` is not
                weighted.
            jit_compile: `True`, `False` or `"auto"`: XLA-compile the train
                step. `"auto"` is Keras' rule: on with a GPU, off on CPU-only
                machines and under a `tf.distribute` strategy. On CPU XLA
                is at best as fast for these models, and half as fast for
                DCGAN at batch 1000 (`benchmarks/throughput.py`).
            **kwargs: `run_eagerly`, `steps_per_execution` as in
                `keras.Model.compile`.

        Raises:
            ValueError: on an unknown loss, one optimizer given for both, or
                keyword arguments that a GAN does not take (`optimizer`,
                `metrics`, ...).
        """
        unsupported = sorted(set(kwargs) - {"run_eagerly", "steps_per_execution"})
        if unsupported:
            raise ValueError(
                "GAN.compile takes d_optimizer, g_optimizer, loss, d_loss_weight, jit_compile, "
                f"run_eagerly and steps_per_execution. Received: {unsupported}"
            )
        generator_loss, discriminator_loss = gan_losses.get(loss)
        d_optimizer = _get_optimizer(d_optimizer)
        g_optimizer = _get_optimizer(g_optimizer)
        if d_optimizer is g_optimizer:
            raise ValueError(
                "`d_optimizer` and `g_optimizer` must be two different optimizer instances: "
                "each keeps state for its own network's variables."
            )
        # optimizer=None: otherwise Keras creates an RMSprop over G and D that
        # nothing uses but that fit() builds, saves and hands to callbacks.
        super().compile(optimizer=None, loss=None, jit_compile=jit_compile, **kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.gan_loss = loss
        self.d_loss_weight = float(d_loss_weight)
        self._generator_loss = generator_loss
        self._discriminator_loss = discriminator_loss
        # Build each optimizer on its own network now, inside whatever
        # strategy scope compile runs in, not lazily inside a replica context.
        if not d_optimizer.built:
            d_optimizer.build(self.discriminator.trainable_variables)
        if not g_optimizer.built:
            g_optimizer.build(self.generator.trainable_variables)
        self._gan_compile_config = {
            "loss": loss,
            "d_loss_weight": self.d_loss_weight,
            "jit_compile": self.jit_compile,
            **kwargs,
        }

    def get_compile_config(self):
        if not getattr(self, "compiled", False) or self.d_optimizer is None:
            return None
        return {
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            **self._gan_compile_config,
        }

    def compile_from_config(self, config):
        config = dict(config)
        config["d_optimizer"] = keras.optimizers.deserialize(config["d_optimizer"])
        config["g_optimizer"] = keras.optimizers.deserialize(config["g_optimizer"])
        self.compile(**config)

    def sample_latent(self, batch_size, seed=None):
        """Draws a `(batch_size, latent_dim)` batch from the latent distribution.

        Args:
            batch_size: number of noise vectors (int or scalar tensor).
            seed: an int (the same int gives the same noise, in any process),
                a shape-`(2,)` integer seed tensor, or None for fresh noise.
        """
        if seed is None:
            seed = tf.random.uniform((2,), maxval=2**62, dtype=tf.int64)
        elif isinstance(seed, int | np.integer):
            seed = tf.constant([int(seed), 0], dtype=tf.int64)
        shape = tf.stack([tf.cast(batch_size, tf.int32), self.latent_dim])
        if self.latent_distribution == "uniform":
            limit = math.sqrt(3.0)
            return tf.random.stateless_uniform(shape, seed, minval=-limit, maxval=limit)
        return tf.random.stateless_normal(shape, seed)

    def _training_noise(self, batch_size, step_seed, draw):
        """This replica's share of the global batch's noise for one draw of a step.

        Every replica draws the same global noise (same seed) and keeps its own
        slice, so replicas never share noise and the run is the same on 1 or N
        replicas. `draw` numbers the draws within a step.
        """
        seed = tf.random.experimental.stateless_fold_in(step_seed, draw)
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        if replicas == 1:
            return self.sample_latent(batch_size, seed=seed)
        replica = tf.distribute.get_replica_context().replica_id_in_sync_group
        noise = self.sample_latent(batch_size * replicas, seed=seed)
        return noise[replica * batch_size : (replica + 1) * batch_size]

    def call(self, inputs, training=False):
        """Runs the generator on a `(batch, latent_dim)` noise batch."""
        return self.generator(inputs, training=training)

    def generate(self, num_samples, seed=None):
        """Returns `num_samples` generated samples as a NumPy array.

        Args:
            num_samples: how many samples.
            seed: int for reproducible samples (the same seed gives the same
                samples), or None. Does not touch the training noise stream.
        """
        if int(num_samples) < 1:
            raise ValueError(f"`num_samples` must be >= 1. Received: num_samples={num_samples}")
        z = self.sample_latent(int(num_samples), seed=seed)
        return ops.convert_to_numpy(self.generator(z, training=False))

    def _real_batch(self, data):
        real, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        if tuple(real.shape[1:]) != self.data_shape:
            raise ValueError(
                "The data's sample shape does not match the generator's output and the "
                f"discriminator's input, {self.data_shape}. Received: batches of shape "
                f"{tuple(real.shape)}"
            )
        return ops.cast(real, self.compute_dtype)

    def train_step(self, data):
        real = self._real_batch(data)
        # One draw from the model's SeedGenerator per step; every noise draw
        # of the step is derived from it statelessly.
        step_seed = tf.cast(self.seed_generator.next(), tf.int64)
        if self.simultaneous_updates:
            self._simultaneous_step(real, step_seed)
        else:
            for i in range(self.d_steps):
                self._discriminator_step(real[i :: self.d_steps], step_seed, draw=i)
            batch_size = ops.shape(real)[0] // self.d_steps
            self._generator_step(batch_size, step_seed, draw=self.d_steps)
        return self._metric_results()

    def _discriminator_step(self, real, step_seed, draw):
        z = self._training_noise(ops.shape(real)[0], step_seed, draw)
        with tf.GradientTape() as tape:
            fake = self.generator(z, training=True)
            real_logits = self._logits(real, training=True)
            fake_logits = self._logits(fake, training=True)
            d_loss = self._discriminator_loss(real_logits, fake_logits)
            objective = self._objective(d_loss, self.discriminator, self.d_optimizer)
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply(tape.gradient(objective, variables), variables)
        self._track_discriminator(d_loss, real_logits, fake_logits)

    def _generator_step(self, batch_size, step_seed, draw):
        z = self._training_noise(batch_size, step_seed, draw)
        with tf.GradientTape() as tape:
            fake_logits = self._logits(self.generator(z, training=True), training=True)
            g_loss = self._generator_loss(fake_logits)
            objective = self._objective(g_loss, self.generator, self.g_optimizer)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(objective, variables), variables)
        self.g_loss_tracker.update_state(g_loss)

    def _simultaneous_step(self, real, step_seed):
        z = self._training_noise(ops.shape(real)[0], step_seed, draw=0)
        with tf.GradientTape(persistent=True) as tape:
            fake = self.generator(z, training=True)
            real_logits = self._logits(real, training=True)
            fake_logits = self._logits(fake, training=True)
            d_loss = self._discriminator_loss(real_logits, fake_logits)
            g_loss = self._generator_loss(fake_logits)
            d_objective = self._objective(d_loss, self.discriminator, self.d_optimizer)
            g_objective = self._objective(g_loss, self.generator, self.g_optimizer)
        d_variables = self.discriminator.trainable_variables
        g_variables = self.generator.trainable_variables
        # Both gradients are taken before either update, from one forward pass.
        d_grads = tape.gradient(d_objective, d_variables)
        g_grads = tape.gradient(g_objective, g_variables)
        del tape
        self.d_optimizer.apply(d_grads, d_variables)
        self.g_optimizer.apply(g_grads, g_variables)
        self._track_discriminator(d_loss, real_logits, fake_logits)
        self.g_loss_tracker.update_state(g_loss)

    def _objective(self, loss, network, optimizer):
        """What a network's gradients are taken of: its loss (D's weighted),
        its regularisation losses, scaled for the replica count and for the
        optimizer's loss scaling (mixed precision)."""
        weight = self.d_loss_weight if network is self.discriminator else 1.0
        total = weight * loss + _sum(network.losses)
        return optimizer.scale_loss(_per_replica(total))

    def test_step(self, data):
        real = self._real_batch(data)
        step_seed = tf.cast(self.eval_seed_generator.next(), tf.int64)
        z = self._training_noise(ops.shape(real)[0], step_seed, draw=0)
        real_logits = self._logits(real, training=False)
        fake_logits = self._logits(self.generator(z, training=False), training=False)
        self._track_discriminator(
            self._discriminator_loss(real_logits, fake_logits), real_logits, fake_logits
        )
        self.g_loss_tracker.update_state(self._generator_loss(fake_logits))
        return self._metric_results()

    def _metric_results(self):
        results = {m.name: m.result() for m in self.metrics}
        strategy = tf.distribute.get_strategy()
        if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and (
            strategy.extended._in_multi_worker_mode()
        ):
            # Keras averages step results across workers with
            # strategy.reduce("MEAN", value, axis=0), which fails on scalars
            # ("Invalid reduction dimension 0", tensorflow/tensorflow#72388).
            # A length-1 axis reduces to the same scalar mean.
            results = {name: ops.reshape(value, (1,)) for name, value in results.items()}
        return results

    def _logits(self, samples, training):
        return ops.reshape(self.discriminator(samples, training=training), (-1,))

    def _track_discriminator(self, d_loss, real_logits, fake_logits):
        self.d_loss_tracker.update_state(d_loss)
        self.d_real_tracker.update_state(ops.mean(ops.sigmoid(real_logits)))
        self.d_fake_tracker.update_state(ops.mean(ops.sigmoid(fake_logits)))

    def _random_states(self):
        # `variables` adds the SeedGenerator states (the GAN's noise stream and
        # every Dropout's) to `weights`; Keras' .keras format saves only weights.
        weights = {id(w) for w in self.weights}
        return [v for v in self.variables if id(v) not in weights]

    def save_own_variables(self, store):
        super().save_own_variables(store)
        for i, state in enumerate(self._random_states()):
            store[f"random_state_{i}"] = state

    def load_own_variables(self, store):
        keys = list(store.keys())
        super().load_own_variables({k: store[k] for k in keys if not k.startswith("random_state_")})
        for i, state in enumerate(self._random_states()):
            if f"random_state_{i}" in keys:  # files saved without them still load
                state.assign(store[f"random_state_{i}"])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "latent_dim": self.latent_dim,
                "latent_distribution": self.latent_distribution,
                "d_steps": self.d_steps,
                "simultaneous_updates": self.simultaneous_updates,
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["generator"] = keras.saving.deserialize_keras_object(config["generator"])
        config["discriminator"] = keras.saving.deserialize_keras_object(config["discriminator"])
        return cls(**config)


def _resolve_latent_dim(generator, latent_dim):
    declared = getattr(generator, "latent_dim", None)
    if declared is None:
        shape = _declared_input_shape(generator)
        declared = shape[-1] if shape else None
    if latent_dim is None:
        if declared is None:
            raise ValueError(
                "`latent_dim` could not be read from the generator (it has no `latent_dim` "
                "attribute and no declared input shape); pass latent_dim=... "
                "Received: latent_dim=None"
            )
        latent_dim = declared
    latent_dim = positive_int("latent_dim", latent_dim)
    if declared is not None and int(declared) != int(latent_dim):
        raise ValueError(
            f"`latent_dim` does not match the generator's input size {declared}. "
            f"Received: latent_dim={latent_dim}"
        )
    return int(latent_dim)


def _declared_input_shape(model):
    """The per-sample input shape a model declares (Input layer or `data_shape`), or None."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if inputs:
        return tuple(inputs[0].shape[1:])
    shape = getattr(model, "data_shape", None)
    return tuple(shape) if shape is not None else None


def _get_optimizer(optimizer):
    if optimizer is None:
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
    return keras.optimizers.get(optimizer)


def _per_replica(loss):
    # Keras sums gradients across replicas, and a replica's loss is a mean
    # over its local batch, so divide by the replica count to get the mean
    # over the global batch (what Keras' own losses do internally).
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    return loss / replicas if replicas > 1 else loss


def _sum(values):
    return ops.sum(ops.stack(values)) if values else 0.0
