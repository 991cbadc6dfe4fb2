"""SeqGAN: REINFORCE is unbiased, the rollouts estimate the expected reward of a prefix,
and a fit step trains both players."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models import SeqGAN
from keras_gan.models import TextDiscriminator
from keras_gan.models import TextGenerator
from keras_gan.models.seqgan import policy_gradient_loss
from keras_gan.models.seqgan import rollout_rewards


class LastTokenReward(keras.Model):
    """A known 'discriminator': the probability it gives is reward[last token]."""

    def __init__(self, reward):
        super().__init__()
        self.table = tf.constant(np.log(reward / (1 - reward)), tf.float32)

    def call(self, ids, training=False):
        return tf.gather(self.table, ids[:, -1])[:, None]


def tiny_generator(vocab, length, seed=0):
    keras.utils.set_random_seed(seed)
    generator = TextGenerator(vocab, length, embedding_dim=3, units=4)
    generator.build()
    generator.projection.bias.assign(np.linspace(-1, 1, vocab).astype("float32"))
    return generator


def test_reinforce_is_unbiased_on_a_bandit_with_a_known_gradient():
    vocab = 4
    generator = tiny_generator(vocab, length=1)
    reward = np.array([0.02, 0.98, 0.1, 0.7], "float32")
    bias = generator.projection.bias
    with tf.GradientTape() as tape:  # the exact gradient of E[r] w.r.t. the logits' bias
        p = tf.nn.softmax(generator.logits(tf.zeros((1, 1), tf.int32))[0, 0])
        expected_reward = tf.reduce_sum(p * reward)
    exact = tape.gradient(expected_reward, bias).numpy()
    n = 100_000
    ids = generator.sample(n, seed=0)
    rewards = tf.gather(reward, ids)
    with tf.GradientTape() as tape:
        loss = policy_gradient_loss(generator.logits(ids), ids, rewards)
    estimate = -tape.gradient(loss, bias).numpy()
    # The estimator's per-sample spread sets the tolerance.
    p = p.numpy()
    per_sample_std = np.sqrt((p * reward**2).sum())
    np.testing.assert_allclose(estimate, exact, atol=4 * per_sample_std / np.sqrt(n))
    assert np.abs(exact).max() > 5 * 4 * per_sample_std / np.sqrt(n)  # a gradient to get right


def test_rollout_rewards_estimate_the_expected_reward_of_each_prefix():
    vocab, length = 3, 3
    generator = tiny_generator(vocab, length)
    reward = np.array([0.2, 0.5, 0.9], "float32")
    discriminator = LastTokenReward(reward)
    ids = tf.constant([[0, 1, 2], [2, 2, 0]], tf.int32)
    rollouts = 4000
    estimate = rollout_rewards(
        generator, discriminator, ids, rollouts, tf.constant([1, 2], tf.int64)
    )
    estimate = estimate.numpy()

    def next_p(prefix):
        padded = np.array([list(prefix) + [0] * (length - len(prefix))], "int32")
        return tf.nn.softmax(generator.logits(padded)[0, len(prefix)]).numpy()

    def value(prefix):  # exact E[reward | prefix] by enumeration
        if len(prefix) == length:
            return reward[prefix[-1]]
        return sum(p * value(prefix + [k]) for k, p in enumerate(next_p(prefix)))

    for row, sequence in enumerate(ids.numpy().tolist()):
        exact = [value(sequence[: t + 1]) for t in range(length)]
        np.testing.assert_allclose(estimate[row], exact, atol=4 * 0.35 / np.sqrt(rollouts))
    assert estimate[0, -1] == pytest.approx(0.9) and estimate[1, -1] == pytest.approx(0.2)


def test_with_several_logits_per_sequence_the_reward_is_their_probabilities_mean():
    """TextDiscriminator's representations give D several logits per sequence."""
    first, second = np.array([0.2, 0.5, 0.9], "float32"), np.array([0.6, 0.1, 0.3], "float32")

    class TwoRewards(keras.Model):
        def call(self, ids, training=False):
            return tf.concat([LastTokenReward(first)(ids), LastTokenReward(second)(ids)], axis=1)

    generator = tiny_generator(3, 3)
    ids = tf.constant([[0, 1, 2], [2, 2, 0]], tf.int32)
    rewards = rollout_rewards(generator, TwoRewards(), ids, 8, tf.constant([1, 2], tf.int64))
    np.testing.assert_allclose(rewards[:, -1], [(0.9 + 0.3) / 2, (0.2 + 0.6) / 2], rtol=1e-6)


def tiny_seqgan(vocab, length, filters, rollouts, d_learning_rate, g_learning_rate=1e-3, **kwargs):
    """A seeded SeqGAN small enough for a test (2 D updates per step)."""
    keras.utils.set_random_seed(0)
    seqgan = SeqGAN(
        TextGenerator(vocab, length, embedding_dim=4, units=6),
        TextDiscriminator(vocab, embedding_dim=4, filter_sizes=(2, 3), filters=filters),
        rollouts=rollouts,
        d_steps=2,
        seed=1,
        **kwargs,
    )
    seqgan.compile(keras.optimizers.Adam(d_learning_rate), keras.optimizers.Adam(g_learning_rate))
    return seqgan


def test_a_fit_step_trains_both_players_and_the_step_is_seeded(tmp_path):
    vocab, length = 8, 5
    ids = np.random.default_rng(0).integers(2, vocab, (32, length)).astype("int32")
    ids[:, -1] = 0

    def make():
        return tiny_seqgan(vocab, length, filters=4, rollouts=3, d_learning_rate=1e-3)

    seqgan = make()
    before = [w.numpy().copy() for w in seqgan.generator.trainable_weights]
    history = seqgan.fit(ids, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert 0 < history.history["reward"][-1] < 1
    assert int(seqgan.d_optimizer.iterations.numpy()) == 4
    assert int(seqgan.g_optimizer.iterations.numpy()) == 2
    assert any(
        not np.array_equal(b, w.numpy())
        for b, w in zip(before, seqgan.generator.trainable_weights, strict=True)
    )
    again = make()
    again.fit(ids, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(seqgan.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_pretraining_the_discriminator_separates_real_from_generated_and_leaves_g_alone():
    # Real sequences use only ids 2-3; G (untrained) draws from all 8, so D can learn
    # to tell them apart before the game, as SeqGAN's D does before its first reward.
    vocab, length = 8, 5
    rng = np.random.default_rng(0)
    real = rng.integers(2, 4, (64, length)).astype("int32")
    seqgan = tiny_seqgan(vocab, length, filters=8, rollouts=2, d_learning_rate=1e-2)
    g_before = [w.numpy().copy() for w in seqgan.generator.weights]
    batches = tf.data.Dataset.from_tensor_slices(real).repeat().batch(16)
    loss, done = seqgan.pretrain_discriminator(batches, steps=60, log_every=20)
    assert loss < 0.3 < np.log(4)  # an untrained D's loss is about log 4
    assert done == 60 and int(seqgan.d_optimizer.iterations.numpy()) == 120  # x d_steps
    for before, after in zip(g_before, seqgan.generator.weights, strict=True):
        np.testing.assert_array_equal(before, after.numpy())
    fake = seqgan.generator.sample(64, seed=[5, 5])
    reward_real = float(np.mean(tf.sigmoid(seqgan.discriminator(real))))
    reward_fake = float(np.mean(tf.sigmoid(seqgan.discriminator(fake))))
    assert reward_real > 0.8 and reward_fake < 0.2


def test_pretraining_the_discriminator_stops_after_the_step_a_stop_is_asked_at():
    vocab, length = 8, 5
    real = np.random.default_rng(0).integers(2, 4, (64, length)).astype("int32")
    seqgan = tiny_seqgan(vocab, length, filters=8, rollouts=2, d_learning_rate=1e-3)
    batches = iter(tf.data.Dataset.from_tensor_slices(real).repeat().batch(16).take(10))
    _, done = seqgan.pretrain_discriminator(batches, steps=10, should_stop=lambda: True)
    assert done == 1 and int(seqgan.d_optimizer.iterations.numpy()) == 2
    # Exactly the steps taken were read: the other 9 of the 10 batches are still there.
    _, done = seqgan.pretrain_discriminator(batches, steps=10)
    assert done == 9 and int(seqgan.d_optimizer.iterations.numpy()) == 20


def test_the_delayed_rollout_policy_follows_g_at_the_papers_rate_and_is_saved(tmp_path):
    vocab, length = 8, 5
    ids = np.random.default_rng(0).integers(2, vocab, (32, length)).astype("int32")
    seqgan = tiny_seqgan(vocab, length, 4, 2, 1e-3, g_learning_rate=1e-1, rollout_update_rate=0.8)
    pairs = list(zip(seqgan.generator.weights, seqgan.rollout_generator.weights, strict=True))
    start = [g.numpy().copy() for g, _ in pairs]
    for g, rollout in pairs:
        np.testing.assert_array_equal(g.numpy(), rollout.numpy())
    seqgan.fit(ids[:16], batch_size=16, epochs=1, shuffle=False, verbose=0)  # one G update
    moved = 0
    for first, (g, rollout) in zip(start, pairs, strict=True):
        if g.trainable:
            moved += not np.allclose(g.numpy(), first)
            expected = 0.8 * first + 0.2 * g.numpy()
            np.testing.assert_allclose(rollout.numpy(), expected, rtol=1e-5, atol=1e-6)
        else:  # the inverse temperature, copied
            np.testing.assert_array_equal(rollout.numpy(), g.numpy())
    assert moved and not seqgan.rollout_generator.trainable_weights
    seqgan.save(tmp_path / "seqgan.keras")
    loaded = keras.saving.load_model(tmp_path / "seqgan.keras")
    assert loaded.rollout_update_rate == 0.8
    rollouts = seqgan.rollout_generator, loaded.rollout_generator
    for a, b in zip(*(model.weights for model in rollouts), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError, match="rollout_update_rate` must be in \\[0, 1\\)"):
        SeqGAN(seqgan.generator, seqgan.discriminator, rollout_update_rate=1.0)


def test_the_discriminator_reads_ids_as_it_reads_their_one_hots():
    discriminator = TextDiscriminator(6, embedding_dim=4, filter_sizes=(2,), filters=3)
    ids = tf.constant([[1, 2, 3, 0], [5, 4, 0, 0]])
    np.testing.assert_allclose(
        discriminator(ids).numpy(), discriminator(tf.one_hot(ids, 6)).numpy(), rtol=1e-6
    )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="rollouts"):
        SeqGAN(TextGenerator(5, 3), TextDiscriminator(5), rollouts=0)
    with pytest.raises(ValueError, match="TextGenerator"):
        SeqGAN(keras.Sequential(), TextDiscriminator(5))
