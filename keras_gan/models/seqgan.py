"""SeqGAN (Yu et al. 2017): G is a policy over tokens, rewarded by D through
REINFORCE with Monte-Carlo rollouts, since D's gradient cannot pass a discrete sample."""

import itertools

import keras
import tensorflow as tf
from keras import ops

from keras_gan import losses as gan_losses
from keras_gan.distribute import StartsOnePass
from keras_gan.models.generator_average import update_average
from keras_gan.models.random_states import load_states
from keras_gan.models.random_states import random_states
from keras_gan.models.random_states import save_states
from keras_gan.validation import positive_int


def policy_gradient_loss(logits, ids, rewards):
    """REINFORCE's surrogate: -mean over batch and steps of log p(y_t | y_<t) * Q_t.

    Its gradient, averaged over samples y of the policy, is an unbiased
    estimate of minus the gradient of the expected reward (Williams 1992).

    Args:
        logits: `(batch, length, vocab)` teacher-forced logits of `ids`.
        ids: `(batch, length)` sampled token ids.
        rewards: `(batch, length)` the return Q_t of each token (no gradient).
    """
    log_p = ops.log_softmax(ops.cast(logits, "float32"), axis=-1)
    chosen = ops.take_along_axis(log_p, ops.cast(ids, "int32")[..., None], axis=-1)[..., 0]
    return -ops.mean(chosen * ops.stop_gradient(ops.cast(rewards, "float32")))


def rollout_rewards(generator, discriminator, ids, rollouts, seed):
    """SeqGAN's Q_t: for t < T the mean of D's probability of `rollouts` completions of
    y_1..t drawn from `generator`, for t = T D's probability of y itself.

    Args:
        generator: a `TextGenerator` (its `complete`).
        discriminator: a model from int ids `(batch, length)` to logits `(batch, 1)`.
        ids: `(batch, length)` sampled ids.
        rollouts: completions per prefix (SeqGAN: 16).
        seed: shape-`(2,)` int seed tensor.

    Returns:
        `(batch, length)` float32 rewards in [0, 1].
    """
    ids = ops.cast(ids, "int32")
    batch, length = ops.shape(ids)[0], generator.length
    repeated = ops.repeat(ids, rollouts, axis=0)  # row i's rollouts are rows i*M .. i*M + M - 1

    def probability(sequences):
        logits = ops.cast(discriminator(sequences, training=False), "float32")
        # One logit per sequence, or several (TextDiscriminator's representations): their
        # probabilities' mean.
        return ops.mean(ops.sigmoid(ops.reshape(logits, (ops.shape(sequences)[0], -1))), axis=1)

    def body(given, columns):
        completed = generator.complete(
            repeated, given, tf.random.experimental.stateless_fold_in(seed, given)
        )
        reward = ops.mean(ops.reshape(probability(completed), (batch, rollouts)), axis=1)
        return given + 1, columns.write(given - 1, reward)

    columns = tf.TensorArray(tf.float32, size=length)
    _, columns = tf.while_loop(lambda given, _: given < length, body, (tf.constant(1), columns))
    columns = columns.write(length - 1, probability(ids))
    return ops.transpose(columns.stack())


@keras.saving.register_keras_serializable(package="keras_gan")
class SeqGAN(StartsOnePass, keras.Model):
    """A text GAN whose generator learns by policy gradient (Yu et al. 2017).

    Each `train_step` on a batch of real token ids `(batch, length)`:
    `d_steps` updates of D on minibatches of the batch against as many of G's
    samples (D's loss is the `loss` of `compile`, SeqGAN's cross-entropy by
    default), then one update of G: sample y, reward every token with
    `rollout_rewards` (D's probability of `rollouts` completions), and step
    down `policy_gradient_loss`. G is a `TextGenerator`, pretrained by
    `MaximumLikelihood` as in the paper; D takes token ids
    (`TextDiscriminator` does). The rollouts use G itself, or with
    `rollout_update_rate` > 0 the paper's delayed copy of G (its code: 0.8).

    Cost: a G update decodes `batch * rollouts * (length - 1)` sequences,
    which dominates on a CPU (see docs/text.md).

    Args:
        generator: a `TextGenerator`.
        discriminator: a model from int ids to one logit per sequence.
        rollouts: completions per prefix (the paper: 16).
        d_steps: D updates per G update; each batch must hold a multiple.
        seed: seed of the model's random streams (samples, rollouts).
        rollout_update_rate: the rollout policy's delay: after each G update
            its weights become rate * theirs + (1 - rate) * G's. 0: G itself.

    Example:
        >>> seqgan = SeqGAN(pretrained_generator, TextDiscriminator(vocab_size), seed=0)
        >>> seqgan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-3))
        >>> seqgan.fit(train_ids, batch_size=64, epochs=1)

    Reference:
        Yu et al., "SeqGAN: Sequence Generative Adversarial Nets with Policy
        Gradient", AAAI 2017, arXiv:1609.05473.
    """

    def __init__(
        self,
        generator,
        discriminator,
        rollouts=16,
        d_steps=1,
        seed=None,
        rollout_update_rate=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not hasattr(generator, "complete"):
            raise ValueError(
                "`generator` must be a TextGenerator (a model with `complete`). "
                f"Received: generator={generator!r}"
            )
        if not 0.0 <= rollout_update_rate < 1.0:
            raise ValueError(
                "`rollout_update_rate` must be in [0, 1) (the paper: 0.8; 0: G itself). "
                f"Received: rollout_update_rate={rollout_update_rate!r}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.rollouts = positive_int("rollouts", rollouts)
        self.d_steps = positive_int("d_steps", d_steps)
        self.rollout_update_rate = float(rollout_update_rate)
        # The paper's rollout policy: a copy of G whose weights follow G's with
        # delay, theta_rollout <- rate * theta_rollout + (1 - rate) * theta_G after
        # each G update. With rate 0 the rollouts use G itself.
        self.rollout_generator = None
        if self.rollout_update_rate:
            self.rollout_generator = keras.saving.deserialize_keras_object(
                keras.saving.serialize_keras_object(generator)
            )
            self.rollout_generator.trainable = False
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="seqgan_seed")
        self.gan_loss = None
        self.d_optimizer = self.g_optimizer = None
        self._pretrain_step = None  # pretrain_discriminator's traced step
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.reward_tracker = keras.metrics.Mean(name="reward")

    def build(self, input_shape=None):
        self.generator.build()
        ids = ops.zeros((2, self.generator.length), "int32")
        self.discriminator(ids)
        if self.rollout_generator is not None:
            self.rollout_generator.build()
            self.rollout_generator.set_weights(self.generator.get_weights())
        self.built = True

    def compile(self, d_optimizer=None, g_optimizer=None, loss="non_saturating", **kwargs):
        """D's and G's optimizers (defaults: Adam 1e-4 and Adam 1e-3) and D's loss."""
        super().compile(**kwargs)
        self.d_optimizer = keras.optimizers.get(d_optimizer or keras.optimizers.Adam(1e-4))
        self.g_optimizer = keras.optimizers.get(g_optimizer or keras.optimizers.Adam(1e-3))
        if self.d_optimizer is self.g_optimizer:
            raise ValueError("`d_optimizer` and `g_optimizer` must be different instances.")
        self.gan_loss = gan_losses.get(loss)
        self._loss_config = keras.saving.serialize_keras_object(self.gan_loss)
        if not self.built:
            self.build()
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    def get_compile_config(self):
        if self.d_optimizer is None:
            return None
        return {
            "d_optimizer": keras.optimizers.serialize(self.d_optimizer),
            "g_optimizer": keras.optimizers.serialize(self.g_optimizer),
            "loss": self._loss_config,
        }

    def compile_from_config(self, config):
        self.compile(
            keras.optimizers.deserialize(config["d_optimizer"]),
            keras.optimizers.deserialize(config["g_optimizer"]),
            loss=config["loss"],
        )

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.reward_tracker]

    def call(self, ids, training=False):
        return self.discriminator(ids, training=training)

    def _discriminator_updates(self, real, step_seed):
        """`d_steps` updates of D, each on a minibatch of `real` against G's samples;
        returns the minibatch size."""
        size = ops.shape(real)[0] // self.d_steps
        for draw in range(self.d_steps):
            minibatch = real[draw * size : (draw + 1) * size]
            fake = self.generator.sample(
                size, seed=tf.random.experimental.stateless_fold_in(step_seed, draw)
            )
            with tf.GradientTape() as tape:
                real_logits = self.discriminator(minibatch, training=True)
                fake_logits = self.discriminator(fake, training=True)
                d_loss = self.gan_loss.discriminator_loss(real_logits, fake_logits)
            variables = self.discriminator.trainable_variables
            self.d_optimizer.apply(tape.gradient(d_loss, variables), variables)
            self.d_loss_tracker.update_state(d_loss)
        return size

    def pretrain_discriminator(self, batches, steps, log_every=None, should_stop=None):
        """SeqGAN's pretraining of D before the game: `steps` of `train_step`'s D
        updates (G's samples as the fakes, G unchanged) on batches of real ids.

        The paper trains D this way from the MLE generator's samples before the
        first policy-gradient step, so its first rewards mean something (an
        untrained D rewards every sequence about 1/2).

        Args:
            batches: an iterator of `(batch, length)` real id batches (a
                multiple of `d_steps` sequences each), at least `steps` of them;
                exactly `steps` are taken from it, so the caller can go on
                reading it where this stopped.
            steps: number of batches to train on.
            log_every: print D's mean loss every this many steps (None: never).
            should_stop: a callable checked after every step; when it returns
                true, pretraining stops there (e.g. on a signal), or None.

        Returns:
            `(loss, done)`: D's mean loss over the last `log_every` steps (all
            steps if None), and the steps taken.
        """
        self.d_loss_tracker.reset_state()
        if self._pretrain_step is None:  # traced once, however many calls

            @tf.function
            def step(real):
                seed = tf.cast(self.seed_generator.next(), tf.int64)
                self._discriminator_updates(ops.cast(real, "int32"), seed)

            self._pretrain_step = step
        done = 0
        for done, real in enumerate(itertools.islice(batches, steps), start=1):
            self._pretrain_step(real)
            if log_every and (done % log_every == 0 or done == steps):
                loss = float(self.d_loss_tracker.result())
                print(f"D pretraining: step {done} of {steps}, d_loss {loss:.4f}", flush=True)
                if done < steps:
                    self.d_loss_tracker.reset_state()
            if should_stop is not None and should_stop():
                break
        loss = float(self.d_loss_tracker.result())
        self.d_loss_tracker.reset_state()
        return loss, done

    def train_step(self, data):
        real = ops.cast(data[0] if isinstance(data, tuple | list) else data, "int32")
        step_seed = tf.cast(self.seed_generator.next(), tf.int64)
        size = self._discriminator_updates(real, step_seed)
        samples = self.generator.sample(
            size, seed=tf.random.experimental.stateless_fold_in(step_seed, self.d_steps)
        )
        rollout_policy = self.generator
        if self.rollout_generator is not None:
            rollout_policy = self.rollout_generator
        rewards = rollout_rewards(
            rollout_policy,
            self.discriminator,
            samples,
            self.rollouts,
            tf.random.experimental.stateless_fold_in(step_seed, self.d_steps + 1),
        )
        with tf.GradientTape() as tape:
            g_loss = policy_gradient_loss(
                self.generator.logits(samples, training=True), samples, rewards
            )
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(g_loss, variables), variables)
        if self.rollout_generator is not None:
            update_average(self.rollout_generator, self.generator, self.rollout_update_rate)
        self.g_loss_tracker.update_state(g_loss)
        self.reward_tracker.update_state(ops.mean(rewards))
        return {m.name: m.result() for m in self.metrics}

    def _random_states(self):
        return random_states(
            self, children={"generator": self.generator, "discriminator": self.discriminator}
        )

    def save_own_variables(self, store):
        super().save_own_variables(store)
        save_states(self._random_states(), store)

    def load_own_variables(self, store):
        super().load_own_variables(load_states(self._random_states(), store))

    def get_config(self):
        config = super().get_config()
        config.update(
            generator=keras.saving.serialize_keras_object(self.generator),
            discriminator=keras.saving.serialize_keras_object(self.discriminator),
            rollouts=self.rollouts,
            d_steps=self.d_steps,
            seed=self.seed,
            rollout_update_rate=self.rollout_update_rate,
        )
        return config

    @classmethod
    def from_config(cls, config):
        for name in ("generator", "discriminator"):
            config[name] = keras.saving.deserialize_keras_object(config[name])
        return cls(**config)
