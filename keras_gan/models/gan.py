"""The adversarial game of Goodfellow et al. (2014) as a Keras model."""

import math
import warnings

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_gan import latent
from keras_gan import losses as gan_losses
from keras_gan import mixed_precision
from keras_gan import penalties as gan_penalties
from keras_gan.distribute import StartsOnePass
from keras_gan.distribute import replica_share
from keras_gan.latent_optimization import LatentOptimization
from keras_gan.models import labels as class_labels
from keras_gan.models import pair_checks
from keras_gan.models.generator_average import RampedAverage
from keras_gan.models.generator_average import average_copy
from keras_gan.models.generator_average import check_average
from keras_gan.models.generator_average import track_statistics
from keras_gan.models.generator_average import update_average
from keras_gan.models.random_states import load_states
from keras_gan.models.random_states import random_states
from keras_gan.models.random_states import save_states
from keras_gan.models.step_parts import due_penalties
from keras_gan.models.step_parts import float32_sum
from keras_gan.models.step_parts import replica_loss
from keras_gan.models.step_parts import weight_penalties
from keras_gan.penalties.path_length import get as generator_penalty
from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class GAN(StartsOnePass, keras.Model):
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

    Conditional GANs (p(x | c), the paper's section 7; Mirza & Osindero 2014):
    with `num_classes=N` the data are `(samples, labels)` pairs of integer
    class ids in [0, N) (`gan.fit(images, labels)` or a dataset of pairs), and
    the networks are called as `generator([z, labels])` and
    `discriminator([x, labels])`; any Keras models that follow this
    convention work. A discriminator step's fake samples take the labels of
    its real minibatch; the generator step's labels follow
    `label_distribution`. `gan([z, labels])` and
    `gan.generate(n, seed, labels)` sample given classes.

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
        generator_ema: None, or the decay (e.g. 0.999) of an exponential
            moving average of the generator's weights (or a
            `keras_gan.models.RampedAverage`, whose decay ramps in), kept in
            `gan.averaged_generator` (a copy of the generator that starts
            from its initial weights and is updated after every generator
            step). Its batch-norm layers keep moving statistics of its own
            activations: after each update it runs forward once in training
            mode on the generator step's noise (other non-trainable state
            is copied from the generator).
        sample_from_average: with `generator_ema`, whether `gan(z)`,
            `generate`, the sample pictures, evaluation and export use the
            averaged generator (default) rather than the trained one.
        augmentation: None, or a layer (e.g. `keras_gan.layers.DiffAugment`)
            applied in training mode to every batch the discriminator sees
            in training, real or generated; it must be differentiable.
        num_classes: None (unconditional) or the number of classes of a
            conditional GAN.
        label_distribution: with `num_classes`, the classes the generator
            step asks for: `"data"` (the labels of the step's real
            minibatch, a draw of the data's class frequencies) or
            `"uniform"` (drawn uniformly from the step's seed).
        class_names: optional names of the `num_classes` classes, saved
            with the model (and exported with the generator).
        auxiliary_classifier: with `num_classes`, the weight of AC-GAN's
            class loss (Odena et al. 2017; 0 = off). The discriminator then
            returns `(logits, class_logits)`, class logits `(batch,
            num_classes)`; the cross-entropy of the class logits with the
            labels, on data and on samples, is added to D's loss, and on
            samples to G's (both networks maximise the class's likelihood).
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
        generator_ema=None,
        sample_from_average=True,
        augmentation=None,
        num_classes=None,
        label_distribution="data",
        class_names=None,
        auxiliary_classifier=0.0,
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
        latent.check_distribution(latent_distribution)
        d_steps = positive_int("d_steps", d_steps)
        if simultaneous_updates and d_steps != 1:
            raise ValueError(
                "`simultaneous_updates=True` updates D and G from one minibatch, so it "
                f"needs d_steps=1. Received: d_steps={d_steps}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = pair_checks.resolve_latent_dim(generator, latent_dim)
        self.latent_distribution = latent_distribution
        self.d_steps = d_steps
        self.simultaneous_updates = bool(simultaneous_updates)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seed_generator")
        # Evaluation has its own stream, so validation never changes training.
        self.eval_seed_generator = keras.random.SeedGenerator(
            None if seed is None else seed + 1, name="eval_seed_generator"
        )
        generator_ema = check_average(generator_ema)
        if augmentation is not None and not isinstance(augmentation, keras.layers.Layer):
            raise ValueError(
                "`augmentation` must be a Keras layer applied in front of the discriminator. "
                f"Received: augmentation of type {type(augmentation)}"
            )
        self.augmentation = augmentation
        self.num_classes = None if num_classes is None else positive_int("num_classes", num_classes)
        self.label_distribution = class_labels.check_distribution(label_distribution)
        self.class_names = pair_checks.check_class_names(class_names, self.num_classes)
        self.auxiliary_classifier = float(auxiliary_classifier)
        if not self.auxiliary_classifier >= 0.0 or (
            self.auxiliary_classifier and self.num_classes is None
        ):
            raise ValueError(
                "`auxiliary_classifier` is the weight (>= 0) of AC-GAN's class loss, for a "
                f"conditional GAN (num_classes=N). Received: auxiliary_classifier="
                f"{auxiliary_classifier}, num_classes={self.num_classes}"
            )
        if self.simultaneous_updates and self.num_classes and label_distribution != "data":
            raise ValueError(
                "`simultaneous_updates=True` makes one fake batch for both networks, with the "
                "real minibatch's labels, so it needs label_distribution='data'. Received: "
                f"label_distribution={label_distribution!r}"
            )
        self.data_shape = self._build_pair()
        self.generator_ema = generator_ema
        self.sample_from_average = bool(sample_from_average)
        self.averaged_generator = (
            None
            if generator_ema is None
            else average_copy(generator, self._generator_probe(), "averaged_generator")
        )
        self.built = True
        self.d_optimizer = None
        self.g_optimizer = None
        self.latent_optimization = None
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")

    def _generator_probe(self):
        z = ops.zeros((2, self.latent_dim))
        return z if self.num_classes is None else [z, ops.zeros((2,), "int32")]

    def _build_pair(self):
        """Builds G and D on each other's shapes; returns the shape of one sample."""
        fake = self._build_generator()
        labels = None if self.num_classes is None else ops.zeros((2,), "int32")
        labelled = "" if self.num_classes is None else " and int32 labels of shape (batch,)"
        self._check_discriminator(fake, labels, labelled)
        if self.augmentation is not None:
            self.augmentation(fake, training=False)
        return tuple(fake.shape[1:])

    def _build_generator(self):
        """Calls G on a probe batch of 2; returns its output."""
        inputs = f"noise of shape (batch, {self.latent_dim}) (latent_dim={self.latent_dim})"
        if self.num_classes is not None:
            inputs = f"[{inputs}, int32 labels of shape (batch,)] (num_classes={self.num_classes})"
        try:
            return self.generator(self._generator_probe(), training=False)
        except Exception as error:
            raise ValueError(f"The generator could not be called on {inputs}: {error}") from error

    def _check_discriminator(self, fake, condition, described):
        """Builds D on the generator's probe output `fake` (and its second input
        `condition`, `described` for the error) and checks it returns one logit
        per sample (and class logits with an auxiliary classifier)."""
        data_shape = tuple(fake.shape[1:])
        pair_checks.check_input_shape(self.discriminator, data_shape)
        try:
            logits = self.discriminator(self._discriminator_inputs(fake, condition), training=False)
        except Exception as error:
            raise ValueError(
                "The discriminator could not be called on the generator's output of shape "
                f"{(None, *data_shape)}{described}: {error}"
            ) from error
        per_sample = getattr(self.discriminator, "logits_per_sample", 1)
        pair_checks.check_logits(logits, self.num_classes, self.auxiliary_classifier, per_sample)

    @property
    def sampler(self):
        """The generator that `gan(z)`, `generate`, pictures, evaluation and export use."""
        if self.averaged_generator is not None and self.sample_from_average:
            return self.averaged_generator
        return self.generator

    @property
    def metrics(self):
        # Listing the trackers here makes Keras reset them every epoch and show
        # their running means (not the last batch) in the progress bar.
        # An augmentation's own (ADA's augment_p) follow.
        augmentation = getattr(self, "augmentation", None)
        augmentation = [] if augmentation is None else augmentation.metrics
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
            *augmentation,
        ]

    def compile(
        self,
        d_optimizer=None,
        g_optimizer=None,
        loss="non_saturating",
        penalties=(),
        d_loss_weight=1.0,
        generator_penalties=(),
        jit_compile="auto",
        latent_optimization=None,
        **kwargs,
    ):
        """Sets the optimizers and the game.

        Under the `mixed_float16` dtype policy each optimizer whose network
        computes in float16 is wrapped in a `keras.optimizers.LossScaleOptimizer`
        (Keras does this only for `model.optimizer`, which a GAN does not use).

        Args:
            d_optimizer: optimizer (instance, name or config) of the
                discriminator. Default: Adam(2e-4, beta_1=0.5) (Radford et al.).
            g_optimizer: optimizer of the generator, a different instance.
                Same default.
            loss: a `keras_gan.losses.GANLoss` instance or a registered name:
                `"non_saturating"` (G maximises log D(G(z)), the paper's
                practical choice), `"minimax"` (G minimises log(1 - D(G(z)))),
                `"hinge"`, `"wasserstein"`, `"least_squares"`,
                `"relativistic_average"`. See `keras_gan.losses`.
            penalties: regularisers of the discriminator
                (`keras_gan.penalties.GradientPenalty`, `R1`, `R2`), added to
                its loss in every discriminator update (or every `every`-th).
            generator_penalties: regularisers of the generator
                (`keras_gan.penalties.PathLength`), added to its loss in every
                generator update (or every `every`-th).
            d_loss_weight: factor on the discriminator loss before its
                gradients (the paper's code used 0.5). Logged `d_loss` is not
                weighted.
            latent_optimization: a `keras_gan.latent_optimization.LatentOptimization`
                (LOGAN): each update's z is first moved one step up D. None: off.
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
                "GAN.compile takes d_optimizer, g_optimizer, loss, penalties, d_loss_weight, "
                "generator_penalties, jit_compile, latent_optimization, "
                f"run_eagerly and steps_per_execution. Received: {unsupported}"
            )
        gan_loss = gan_losses.get(loss)
        if isinstance(penalties, gan_penalties.Penalty | dict):
            penalties = [penalties]
        penalties = [gan_penalties.get(penalty) for penalty in penalties]
        if isinstance(generator_penalties, gan_penalties.GeneratorPenalty | dict):
            generator_penalties = [generator_penalties]
        generator_penalties = [generator_penalty(p) for p in generator_penalties]
        for penalty in generator_penalties:
            penalty.check(self.generator)
        d_optimizer = _get_optimizer(d_optimizer, self.discriminator)
        g_optimizer = _get_optimizer(g_optimizer, self.generator)
        if _inner(d_optimizer) is _inner(g_optimizer):
            raise ValueError(
                "`d_optimizer` and `g_optimizer` must be two different optimizer instances: "
                "each keeps state for its own network's variables."
            )
        # optimizer=None: otherwise Keras creates an RMSprop over G and D that
        # nothing uses but that fit() builds, saves and hands to callbacks.
        super().compile(optimizer=None, loss=None, jit_compile=jit_compile, **kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.gan_loss = gan_loss
        self.penalties = penalties
        self.generator_penalties = generator_penalties
        self.d_loss_weight = float(d_loss_weight)
        if isinstance(latent_optimization, dict):
            latent_optimization = keras.saving.deserialize_keras_object(latent_optimization)
        if latent_optimization is not None and not isinstance(
            latent_optimization, LatentOptimization
        ):
            raise ValueError(
                "`latent_optimization` must be a keras_gan.latent_optimization."
                f"LatentOptimization or None. Received: {latent_optimization!r}"
            )
        self.latent_optimization = latent_optimization
        # Build each optimizer on its own network now, inside whatever
        # strategy scope compile runs in, not lazily inside a replica context.
        if not d_optimizer.built:
            d_optimizer.build(self._d_vars)
        if not g_optimizer.built:
            g_optimizer.build(self._g_vars)
        self._gan_compile_config = {
            "loss": keras.saving.serialize_keras_object(gan_loss),
            "penalties": [keras.saving.serialize_keras_object(p) for p in penalties],
            "d_loss_weight": self.d_loss_weight,
            "generator_penalties": [
                keras.saving.serialize_keras_object(p) for p in generator_penalties
            ],
            "jit_compile": self.jit_compile,
            "latent_optimization": (
                None
                if latent_optimization is None
                else keras.saving.serialize_keras_object(latent_optimization)
            ),
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
            seed: an int (the same int gives the same noise, in any process,
                and the same as the exported `generate` signature), a
                shape-`(2,)` integer seed tensor, or None for fresh noise.
        """
        if seed is None:
            seed = tf.random.uniform((2,), maxval=2**62, dtype=tf.int64)
        elif isinstance(seed, int | np.integer):
            seed = latent.seed_tensor(int(seed))
        return latent.sample(self.latent_distribution, batch_size, self.latent_dim, seed)

    def _training_noise(self, batch_size, step_seed, draw):
        """This replica's share of the global batch's noise for one draw of a step.

        Every replica draws the same global noise (same seed) and keeps its own
        slice, so replicas never share noise and the run is the same on 1 or N
        replicas. `draw` numbers the draws within a step.
        """
        seed = tf.random.experimental.stateless_fold_in(step_seed, draw)
        return replica_share(lambda rows: self.sample_latent(rows, seed=seed), batch_size)

    def call(self, inputs, training=False):
        """Runs the sampling generator (`sampler`) on a `(batch, latent_dim)` noise
        batch, or on `[z, labels]` in a conditional GAN."""
        return self.sampler(inputs, training=training)

    def generate(self, num_samples, seed=None, labels=None, sampler=None):
        """Returns `num_samples` generated samples as a float32 NumPy array.

        Float32 also when the generator computes in bfloat16 or float16
        (`mixed_bfloat16`, `mixed_float16`).

        Args:
            num_samples: how many samples.
            seed: int for reproducible samples (the same seed gives the same
                samples), or None. Does not touch the training noise stream.
            labels: conditional GANs only: the class id of each sample. By
                default the classes in order, equally often
                (`keras_gan.models.labels.balanced_labels`): a grid of
                `rows * num_classes` samples shows one class per row.
            sampler: None for G(z) of z drawn from the latent distribution;
                or a `keras_gan.sampling` sampler, by name (`"truncation"`,
                `"rejection"`, `"metropolis_hastings"`, `"langevin"`,
                `"optimal_transport"`) or as an instance with its settings.
        """
        if int(num_samples) < 1:
            raise ValueError(f"`num_samples` must be >= 1. Received: num_samples={num_samples}")
        num_samples = int(num_samples)
        if self.num_classes is None:
            if labels is not None:
                raise ValueError(
                    "This GAN is unconditional and takes no labels. Received: labels="
                    f"{np.asarray(labels).tolist()[:10]}"
                )
        else:
            if labels is None:
                labels = class_labels.balanced_labels(num_samples, self.num_classes)
            labels = class_labels.check_label_array(labels, self.num_classes, num_samples)
        if sampler is not None:
            from keras_gan import sampling

            return sampling.draw(sampler, self, num_samples, seed, labels)
        z = self.sample_latent(num_samples, seed=seed)
        if labels is None:
            return mixed_precision.to_numpy(self.sampler(z, training=False))
        labels = ops.convert_to_tensor(labels)
        return mixed_precision.to_numpy(self.sampler([z, labels], training=False))

    def fit(self, x=None, y=None, *args, **kwargs):
        """`keras.Model.fit`; a conditional GAN's array labels are checked first.

        Labels given as arrays (`gan.fit(images, labels)`) that are not class
        ids in [0, num_classes) raise a ValueError before training starts;
        those in a dataset are checked as each batch arrives. So do Keras
        callbacks that act on `model.optimizer` (a GAN has two): use
        `keras_gan.callbacks`' `LearningRateScheduler` and `ReduceLROnPlateau`.
        """
        if self.num_classes is not None and y is not None and not tf.is_tensor(y):
            if isinstance(y, np.ndarray | list | tuple):
                y = class_labels.check_label_array(y, self.num_classes)
        from keras_gan.callbacks.single_optimizer import refuse_single_optimizer_callbacks

        # Keras' fit(x, y, batch_size, epochs, verbose, callbacks, ...)
        refuse_single_optimizer_callbacks(kwargs.get("callbacks", args[3] if len(args) > 3 else ()))
        return super().fit(x, y, *args, **kwargs)

    # The game. Which calls run with training=True, and why:
    # - D step: G makes the fake batch in training mode (batch-norm batch
    #   statistics, dropout: the samples the G step will shape), outside D's
    #   tape, so no gradient or activation of G is kept; D runs in training
    #   mode (the paper's dropout; batch norm and spectral norm's power
    #   iteration update). G's batch-norm moving statistics are therefore
    #   updated on each of the k + 1 batches G makes per step, all from the
    #   current G.
    # - G step: G and D both in training mode: the paper's code took G's
    #   gradient through the dropout D, and D's normalisation state updates
    #   here too. Only G's variables change.
    # - test_step: everything in inference mode, nothing updated.

    def train_step(self, data):
        minibatches = self._split(*self._real_batch(data))
        # Nothing of the step, not even the draw of its noise seed, runs
        # before the checks of the batch have passed.
        with tf.control_dependencies([t for m in minibatches for t in m if t is not None]):
            # One draw from the model's SeedGenerator per step; every noise
            # draw of the step is derived from it statelessly.
            step_seed = tf.cast(self.seed_generator.next(), tf.int64)
            if self.simultaneous_updates:
                z, labels = self._simultaneous_step(minibatches[0], step_seed)
            else:
                for draw, minibatch in enumerate(minibatches):
                    self._discriminator_step(minibatch, step_seed, draw)
                # Relativistic losses also read D on data: the last minibatch.
                z, labels = self._generator_step(minibatches[-1], step_seed, draw=self.d_steps)
            if self.averaged_generator is not None:
                update_average(self.averaged_generator, self.generator, self._average_decay())
                # Its batch-norm statistics, from the G step's noise and labels.
                track_statistics(self.averaged_generator, z if labels is None else [z, labels])
        return self._metric_results()

    def _average_decay(self):
        """The decay of this step's update of the weight average: `generator_ema`,
        or a `RampedAverage`'s value after the G updates before this one."""
        if not isinstance(self.generator_ema, RampedAverage):
            return self.generator_ema
        return self.generator_ema(self.g_optimizer.iterations - 1)

    # A minibatch is (samples, labels); labels is None in an unconditional GAN.

    def _discriminator_step(self, minibatch, step_seed, draw):
        real, labels = minibatch
        z = self._training_noise(ops.shape(real)[0], step_seed, draw)
        z = self._optimized_latent(z, labels, step_seed, draw)
        # The fakes take the real minibatch's labels (Mirza & Osindero 2014).
        fake = self._generate(z, labels, training=True)
        with tf.GradientTape() as tape:
            d_loss, real_logits, fake_logits, regularization, _ = self._discriminator_loss(
                minibatch, (fake, self._fake_condition(z, labels)), step_seed, draw
            )
            objective = self._objective(
                self.d_optimizer, self.d_loss_weight * d_loss, regularization
            )
        self._apply(self.d_optimizer, self._d_vars, tape.gradient(objective, self._d_vars))
        self._track_discriminator(d_loss, real_logits, fake_logits)

    def _generator_step(self, minibatch, step_seed, draw):
        """One update of G; returns the noise and labels (None) it generated from."""
        real, _ = minibatch
        z = self._training_noise(ops.shape(real)[0], step_seed, draw)
        labels = self._generator_labels(minibatch, step_seed, draw)
        z = self._optimized_latent(z, labels, step_seed, draw)
        with tf.GradientTape() as tape:
            fake = self._generate(z, labels, training=True)
            regularization = float32_sum(self.generator.losses)
            regularization += self._generator_penalty(z, labels, step_seed, draw)
            fake_logits, _, head_loss = self._discriminate(
                fake, self._fake_condition(z, labels), training=True
            )
            g_loss = self._generator_loss(fake_logits, minibatch)
            regularization += self._head_weight * head_loss
            objective = self._objective(self.g_optimizer, g_loss, regularization)
        self._apply(self.g_optimizer, self._g_vars, tape.gradient(objective, self._g_vars))
        self.g_loss_tracker.update_state(g_loss)
        return z, labels

    def _simultaneous_step(self, minibatch, step_seed):
        real, labels = minibatch
        z = self._training_noise(ops.shape(real)[0], step_seed, draw=0)
        z = self._optimized_latent(z, labels, step_seed, draw=0)
        with tf.GradientTape(persistent=True) as tape:
            fake = self._generate(z, labels, training=True)
            g_regularization = float32_sum(self.generator.losses)
            g_regularization += self._generator_penalty(z, labels, step_seed, draw=0)
            d_loss, real_logits, fake_logits, d_regularization, fake_class_loss = (
                self._discriminator_loss(
                    minibatch, (fake, self._fake_condition(z, labels)), step_seed, draw=0
                )
            )
            g_loss = self._generator_loss(fake_logits, minibatch, real_logits)
            g_regularization += self._head_weight * fake_class_loss
            d_objective = self._objective(
                self.d_optimizer, self.d_loss_weight * d_loss, d_regularization
            )
            g_objective = self._objective(self.g_optimizer, g_loss, g_regularization)
        # Both gradients are taken before either update, from one forward pass.
        d_grads = tape.gradient(d_objective, self._d_vars)
        g_grads = tape.gradient(g_objective, self._g_vars)
        del tape
        self._apply(self.d_optimizer, self._d_vars, d_grads)
        self._apply(self.g_optimizer, self._g_vars, g_grads)
        self._track_discriminator(d_loss, real_logits, fake_logits)
        self.g_loss_tracker.update_state(g_loss)
        return z, labels

    def _discriminator_loss(self, real_pair, fake_pair, step_seed, draw):
        """D's loss on a real and a fake batch, its logits, its regularisation,
        and the fake batch's AC-GAN class loss (0 without).

        Each batch is a pair `(samples, condition)`: the condition is None,
        or the labels of a conditional GAN (the same for both batches), or
        the latent code D judges with the samples in a `BiGAN`.

        Keras keeps only the last call's activity regularisation and `add_loss`
        terms in `discriminator.losses`, so they are read after each call; the
        weight penalties count once per update. The `penalties` are added here.
        """
        (real, labels), (fake, fake_condition) = real_pair, fake_pair
        real_logits, real_terms, real_class_loss = self._discriminate(real, labels, training=True)
        fake_logits, fake_terms, fake_class_loss = self._discriminate(
            fake, fake_condition, training=True
        )
        if self.augmentation is not None and hasattr(self.augmentation, "observe"):
            self.augmentation.observe(real_logits)
        regularization = real_terms + fake_terms + float32_sum(weight_penalties(self.discriminator))
        regularization += self._penalty(real, fake, labels, step_seed, draw)
        regularization += self._head_weight * (real_class_loss + fake_class_loss)
        d_loss = self.gan_loss.discriminator_loss(real_logits, fake_logits)
        return d_loss, real_logits, fake_logits, regularization, fake_class_loss

    def _penalty(self, real, fake, labels, step_seed, draw):
        """The sum of the penalties due at this D update, lazy ones scaled by `every`."""
        critic = _Critic(self, self.d_optimizer, labels)
        # Penalties draw from their own fold of the step seed, apart from the noise's.
        seed = tf.random.experimental.stateless_fold_in(step_seed, 1_000_000 + draw)
        return due_penalties(
            self.penalties,
            self.d_optimizer.iterations,
            seed,
            lambda penalty, own_seed: penalty(critic, real, fake, own_seed),
        )

    def _generator_penalty(self, z, labels, step_seed, draw):
        """The sum of the generator penalties due at this G update, lazy ones scaled."""
        if not self.generator_penalties:
            return 0.0
        seed = tf.random.experimental.stateless_fold_in(step_seed, 4_000_000 + draw)
        return due_penalties(
            self.generator_penalties,
            self.g_optimizer.iterations,
            seed,
            lambda penalty, own_seed: penalty(self.generator, z, labels, own_seed),
        )

    def _generator_loss(self, fake_logits, minibatch, real_logits=None):
        if not self.gan_loss.needs_real_logits:
            return self.gan_loss.generator_loss(fake_logits)
        if real_logits is None:
            real_logits, _, _ = self._discriminate(*minibatch, training=True)
        return self.gan_loss.generator_loss(fake_logits, real_logits)

    def _generate(self, z, labels, training):
        """G's samples: `generator(z)`, or `generator([z, labels])` when conditional."""
        return self.generator(z if labels is None else [z, labels], training=training)

    def _discriminator_inputs(self, samples, labels):
        return samples if labels is None else [samples, labels]

    def _optimized_latent(self, z, labels, step_seed, draw):
        """The update's z, moved up D by `latent_optimization` (LOGAN) if compiled with one."""
        if self.latent_optimization is None:
            return z
        # A fold of the step seed of its own, apart from the noise's, penalties' and labels'.
        seed = tf.random.experimental.stateless_fold_in(step_seed, 3_000_000 + draw)
        limit = math.sqrt(3.0) if self.latent_distribution == "uniform" else None

        def logit_of(z):
            fake = self._generate(z, labels, training=True)
            return self._discriminate(fake, labels, training=True)[0]

        return self.latent_optimization.step(z, logit_of, seed, limit)

    def _generator_labels(self, minibatch, step_seed, draw):
        """The classes the generator step asks for (None when unconditional)."""
        real, labels = minibatch
        if labels is None or self.label_distribution == "data":
            return labels
        # A fold of the step seed of its own, apart from the noise's and the penalties'.
        seed = tf.random.experimental.stateless_fold_in(step_seed, 2_000_000 + draw)
        return class_labels.uniform_labels(ops.shape(real)[0], self.num_classes, seed)

    def _discriminate(self, samples, labels, training):
        """D's float32 logits, flat; the sum of the per-call losses that call added;
        and the AC-GAN class loss of the samples (0 without an auxiliary classifier).

        `labels` is D's second input: None, a conditional GAN's labels, or a
        `BiGAN`'s latent codes. In training, the augmentation (if any) sits
        in front of D; it sees the samples only, never the labels.
        """
        if self.augmentation is not None and training:
            samples = self.augmentation(samples, training=True)
        outputs = self.discriminator(self._discriminator_inputs(samples, labels), training=training)
        logits, class_loss = self._head_loss(outputs, labels)
        losses = self.discriminator.losses
        # Keras appends the weight penalties last; count them, do not build them again.
        weighted = sum(v.regularizer is not None for v in self.discriminator.trainable_weights)
        per_call = losses[: len(losses) - weighted]
        return ops.cast(ops.reshape(logits, (-1,)), "float32"), float32_sum(per_call), class_loss

    @property
    def _head_weight(self):
        """The weight of D's second head's loss in both players' objectives."""
        return self.auxiliary_classifier

    def _fake_condition(self, z, labels):
        """What D is given beside a fake batch: the labels G made it for (None when
        unconditional). `InfoGAN` passes z instead, for its Q head to read."""
        return labels

    def _head_loss(self, outputs, labels):
        """D's logits and the loss of its second head: AC-GAN's class loss
        (0 without an auxiliary classifier). `InfoGAN` reads its Q head here."""
        if not self.auxiliary_classifier:
            return outputs, 0.0
        logits, class_logits = outputs
        class_loss = ops.mean(
            keras.losses.sparse_categorical_crossentropy(
                labels, ops.cast(class_logits, "float32"), from_logits=True
            )
        )
        return logits, class_loss

    def _objective(self, optimizer, loss, regularization):
        """What a network's gradients are taken of: its (weighted) loss plus its
        regularisation, scaled for the replica count (Keras sums gradients
        across replicas) and by the optimizer's loss scale (mixed precision)."""
        return optimizer.scale_loss(replica_loss(loss + regularization))

    def _apply(self, optimizer, variables, gradients):
        # A LossScaleOptimizer unscales the gradients and skips a step whose
        # gradients are not finite.
        optimizer.apply(gradients, variables)

    @property
    def _d_vars(self):
        return self.discriminator.trainable_variables

    @property
    def _g_vars(self):
        return self.generator.trainable_variables

    def _real_batch(self, data):
        """The batch's samples (in D's dtype) and, in a conditional GAN, its labels."""
        real, labels, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if sample_weight is not None or (labels is not None and self.num_classes is None):
            warnings.warn(
                "This GAN is unconditional: the labels and sample weights in the data are "
                "ignored; only the samples train it (num_classes=N makes it conditional)."
                if self.num_classes is None
                else "The sample weights in the data are ignored: a conditional GAN trains on "
                "(samples, labels).",
                stacklevel=2,
            )
        expected = (None, *self.data_shape)
        if not tf.TensorShape(real.shape).is_compatible_with(expected):
            raise ValueError(
                "The data's sample shape does not match the generator's output and the "
                f"discriminator's input, {self.data_shape}. Received: batches of shape "
                f"{tuple(real.shape)}"
            )
        # Unknown static dimensions (or rank) are checked when the batch arrives.
        real = tf.ensure_shape(real, expected)
        real = ops.cast(real, self.discriminator.compute_dtype)
        if self.num_classes is None:
            return real, None
        return real, class_labels.check_batch_labels(labels, self.num_classes, ops.shape(real)[0])

    def _split(self, real, labels):
        """The `d_steps` minibatches `(real[i::d_steps], labels[i::d_steps])` of a
        batch, all of one size.

        A batch that is not a positive multiple of `d_steps` is refused: it
        would give minibatches of unequal (or zero) size and a game that
        depends on the replica count.
        """
        k = self.d_steps
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        size = real.shape[0]
        where = f" on each of {replicas} replicas" if replicas > 1 else ""
        message = (
            f"GAN(d_steps={k}) splits every batch into {k} equal discriminator minibatches, so "
            f"each batch{where} must hold a positive multiple of {k} samples. Use a batch size "
            f"that is a multiple of {k * replicas} (d_steps x replicas) and drop the last "
            "partial batch (`dataset.batch(n, drop_remainder=True)`; with arrays, a number of "
            "samples divisible by the batch size). Received: a batch of "
        )
        if size is not None:
            if size < k or size % k:
                raise ValueError(f"{message}{size} samples{where}")
        else:
            size = ops.shape(real)[0]
            check = tf.debugging.Assert(
                tf.logical_and(size >= k, size % k == 0), [message, size, "samples" + where]
            )
            with tf.control_dependencies([check]):
                real = tf.identity(real)
        return [(real[i::k], None if labels is None else labels[i::k]) for i in range(k)]

    def test_step(self, data):
        real, labels = minibatch = self._real_batch(data)
        step_seed = tf.cast(self.eval_seed_generator.next(), tf.int64)
        z = self._training_noise(ops.shape(real)[0], step_seed, draw=0)
        real_logits, _, _ = self._discriminate(real, labels, training=False)
        fake = self._generate(z, labels, training=False)
        fake_logits, _, _ = self._discriminate(fake, labels, training=False)
        d_loss = self.gan_loss.discriminator_loss(real_logits, fake_logits)
        self._track_discriminator(d_loss, real_logits, fake_logits)
        self.g_loss_tracker.update_state(self._generator_loss(fake_logits, minibatch, real_logits))
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

    def _track_discriminator(self, d_loss, real_logits, fake_logits):
        self.d_loss_tracker.update_state(d_loss)
        self.d_real_tracker.update_state(ops.mean(ops.sigmoid(real_logits)))
        self.d_fake_tracker.update_state(ops.mean(ops.sigmoid(fake_logits)))

    def _random_states(self):
        # The SeedGenerator states (the GAN's noise streams, every Dropout's);
        # Keras' .keras format saves only weights. The networks are keyed by
        # the GAN's attribute names, their layers by layer name.
        return random_states(self, children=self._networks())

    def _networks(self):
        """The model's networks by attribute name."""
        children = {"generator": self.generator, "discriminator": self.discriminator}
        for name in ("averaged_generator", "augmentation"):
            if getattr(self, name) is not None:
                children[name] = getattr(self, name)
        return children

    def save_own_variables(self, store):
        super().save_own_variables(store)
        save_states(self._random_states(), store)

    def load_own_variables(self, store):
        super().load_own_variables(load_states(self._random_states(), store))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "latent_dim": self.latent_dim,
                "latent_distribution": (
                    keras.saving.serialize_keras_object(self.latent_distribution)
                    if latent.is_structured(self.latent_distribution)
                    else self.latent_distribution
                ),
                "d_steps": self.d_steps,
                "simultaneous_updates": self.simultaneous_updates,
                "seed": self.seed,
                "generator_ema": (
                    keras.saving.serialize_keras_object(self.generator_ema)
                    if isinstance(self.generator_ema, RampedAverage)
                    else self.generator_ema
                ),
                "sample_from_average": self.sample_from_average,
                "augmentation": (
                    None
                    if self.augmentation is None
                    else keras.saving.serialize_keras_object(self.augmentation)
                ),
                "num_classes": self.num_classes,
                "label_distribution": self.label_distribution,
                "class_names": self.class_names,
                "auxiliary_classifier": self.auxiliary_classifier,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["generator"] = keras.saving.deserialize_keras_object(config["generator"])
        config["discriminator"] = keras.saving.deserialize_keras_object(config["discriminator"])
        if config.get("augmentation") is not None:
            config["augmentation"] = keras.saving.deserialize_keras_object(config["augmentation"])
        if isinstance(config.get("latent_distribution"), dict):  # structured codes
            config["latent_distribution"] = keras.saving.deserialize_keras_object(
                config["latent_distribution"]
            )
        return cls(**config)


def _get_optimizer(optimizer, network):
    if optimizer is None:
        optimizer = keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
    optimizer = keras.optimizers.get(optimizer)
    if network.compute_dtype == "float16" and not isinstance(
        optimizer, keras.optimizers.LossScaleOptimizer
    ):
        # float16 gradients underflow without a loss scale (bfloat16 has
        # float32's range and needs none).
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer


def _inner(optimizer):
    return getattr(optimizer, "inner_optimizer", optimizer)


class _Critic:
    """What the penalties call: D's float32 logits in training mode.

    Behind the same augmentation as the loss. Under `mixed_float16` it carries
    `gradient_scale`, the loss scale of D's optimizer, for the penalties'
    backward passes through D (see `keras_gan.penalties.Penalty`).
    """

    def __init__(self, gan, d_optimizer, labels=None):
        self._gan = gan
        self._labels = labels  # a conditional D judges each sample given its label
        if isinstance(d_optimizer, keras.optimizers.LossScaleOptimizer):
            self.gradient_scale = d_optimizer.scale_loss(1.0)  # its current scale

    def __call__(self, samples):
        return self._gan._discriminate(samples, self._labels, training=True)[0]
