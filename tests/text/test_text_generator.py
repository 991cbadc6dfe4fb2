"""The text generator: D's gradient reaches G through the Gumbel-softmax, Gumbel-max
samples are exact draws, seeded sampling, maximum likelihood, saving."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import RelationalMemoryCell
from keras_gan.models import MaximumLikelihood
from keras_gan.models import TextGenerator
from keras_gan.text.evaluation import nll_per_token
from tests.test_case import assert_config_round_trip
from tests.test_case import assert_saving_round_trip

VOCAB, LENGTH = 7, 5
CELLS = ["lstm", "relational_memory"]


def tiny_generator(seed=0, cell="lstm", **kwargs):
    keras.utils.set_random_seed(seed)
    if cell == "relational_memory":
        kwargs["cell"] = RelationalMemoryCell(memory_slots=2, head_size=4, num_heads=2)
    generator = TextGenerator(VOCAB, LENGTH, embedding_dim=4, units=6, **kwargs)
    generator.build()
    return generator


def uniform_z(batch, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-math.sqrt(3), math.sqrt(3), (batch, LENGTH * VOCAB)).astype("float32")


@pytest.mark.parametrize("cell", CELLS)
def test_the_gumbel_softmax_gradient_reaches_g_and_matches_finite_differences(cell):
    generator = tiny_generator(cell=cell)
    generator.inverse_temperature.assign(2.0)
    z = tf.constant(uniform_z(3))
    weights = tf.constant(np.random.default_rng(1).normal(size=(3, LENGTH, VOCAB)), tf.float32)

    def objective():  # a fixed linear "discriminator" of the relaxed samples
        return tf.reduce_sum(weights * generator(z))

    for variable in (generator.projection.kernel, generator.embedding.embeddings):
        with tf.GradientTape() as tape:
            value = objective()
        gradient = tf.convert_to_tensor(tape.gradient(value, variable)).numpy()
        assert np.abs(gradient).max() > 1e-3, f"no gradient reaches {variable.path}"
        index = np.unravel_index(np.abs(gradient).argmax(), gradient.shape)
        original = variable.numpy()
        step = 1e-3
        values = []
        for sign in (1, -1):
            moved = original.copy()
            moved[index] += sign * step
            variable.assign(moved)
            values.append(float(objective()))
        variable.assign(original)
        finite_difference = (values[0] - values[1]) / (2 * step)
        assert finite_difference == pytest.approx(gradient[index], rel=2e-2, abs=1e-3)


@pytest.mark.parametrize("cell", CELLS)
def test_the_argmax_of_a_relaxed_sample_is_an_exact_draw_from_the_softmax(cell):
    generator = tiny_generator(cell=cell)
    n = 20_000
    first = np.argmax(generator(uniform_z(n)).numpy()[:, 0], axis=-1)
    logits = generator.logits(np.zeros((1, LENGTH), "int32"))[0, 0].numpy()
    expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    frequencies = np.bincount(first, minlength=VOCAB) / n
    np.testing.assert_allclose(frequencies, expected, atol=4 * np.sqrt(0.25 / n))


def test_inverse_temperature_sharpens_the_relaxed_rows_towards_one_hot():
    generator = tiny_generator()
    z = uniform_z(50)
    generator.inverse_temperature.assign(1.0)
    soft = generator(z).numpy().max(axis=-1).mean()
    generator.inverse_temperature.assign(1000.0)
    sharp = generator(z).numpy()
    assert soft < 0.95 and sharp.max(axis=-1).mean() > 0.99
    # The tokens (the argmax) do not depend on the temperature.
    generator.inverse_temperature.assign(1.0)
    np.testing.assert_array_equal(sharp.argmax(-1), generator(z).numpy().argmax(-1))


def test_sample_is_seeded_and_low_temperature_is_greedy():
    generator = tiny_generator()
    a = generator.sample(64, seed=3).numpy()
    np.testing.assert_array_equal(a, generator.sample(64, seed=3).numpy())
    assert not np.array_equal(a, generator.sample(64, seed=4).numpy())
    assert a.shape == (64, LENGTH) and a.dtype == np.int32
    greedy = generator.sample(8, seed=5, temperature=1e-4).numpy()
    assert (greedy == greedy[0]).all()
    with pytest.raises(ValueError, match="temperature=0"):
        generator.sample(2, temperature=0)


@pytest.mark.parametrize("cell", CELLS)
def test_maximum_likelihood_learns_a_corpus_and_evaluate_is_the_per_token_nll(cell):
    generator = tiny_generator(cell=cell)
    ids = np.array([[2, 3, 4, 0, 0], [5, 6, 0, 0, 0]] * 32, "int32")
    mle = MaximumLikelihood(generator)
    mle.compile(keras.optimizers.Adam(0.05))
    before = mle.evaluate(ids, ids, verbose=0)
    assert before == pytest.approx(nll_per_token(generator, ids), rel=1e-5)
    mle.fit(ids, ids, batch_size=16, epochs=30, verbose=0)
    after = nll_per_token(generator, ids)
    assert before > 1.5 and after < 0.2 * math.log(2) + 0.05  # only the first token is a coin
    samples = generator.sample(200, seed=0, temperature=1.0).numpy()
    learned = [(s == ids[0]).all() or (s == ids[1]).all() for s in samples]
    assert np.mean(learned) > 0.9
    assert 0.3 < np.mean([(s == ids[0]).all() for s in samples]) < 0.7
    # Temperature scales the NLL's logits: at T != 1 the data is less likely.
    assert nll_per_token(generator, ids, temperature=2.0) > after


@pytest.mark.parametrize("cell", CELLS)
def test_teacher_forcing_and_step_by_step_decoding_give_the_same_logits(cell):
    """`logits` (keras.layers.RNN over the sequence) is what maximum likelihood trains;
    sampling, the GAN's G and SeqGAN's rollouts step the cell one token at a time from
    the same initial state: both must be one model."""
    generator = tiny_generator(cell=cell)
    ids = np.random.default_rng(0).integers(0, VOCAB, (3, LENGTH)).astype("int32")
    stepped = generator._decode(3, lambda t, logits: (ids[:, t], logits))
    np.testing.assert_allclose(stepped, generator.logits(ids), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cell", CELLS)
def test_config_and_keras_saving_round_trip(tmp_path, cell):
    generator = tiny_generator(cell=cell)
    assert_config_round_trip(generator)
    assert_saving_round_trip(generator, uniform_z(2), tmp_path)
    mle = MaximumLikelihood(generator)
    clone = MaximumLikelihood.from_config(mle.get_config())
    assert clone.generator.get_config() == generator.get_config()


def test_an_initializer_draws_every_weight_of_g_each_its_own_and_is_saved():
    # SeqGAN's code: every weight, biases included, from N(0, 0.1), no forget-gate bias of 1.
    # Sizes where the embedding is as wide as the LSTM, so kernel and recurrent kernel share
    # a shape: a copied seed would make them equal.
    keras.utils.set_random_seed(0)
    initializer = keras.initializers.RandomNormal(stddev=0.1)
    generator = TextGenerator(300, LENGTH, embedding_dim=40, units=40, initializer=initializer)
    generator.build()
    weights = {w.path.split("/", 1)[1]: np.asarray(w) for w in generator.trainable_weights}
    assert len(weights) == 6  # embedding, LSTM kernel, recurrent kernel and bias, output layer
    for name, value in weights.items():
        assert abs(value.std() - 0.1) < 0.02 and abs(value.mean()) < 0.02, (name, value.std())
    kernel, recurrent = weights["rnn/lstm/kernel"], weights["rnn/lstm/recurrent_kernel"]
    assert not np.allclose(kernel, recurrent)
    assert_config_round_trip(generator)
    clone = TextGenerator.from_config(generator.get_config())
    assert clone.initializer.get_config() == initializer.get_config()
    # Without one, Keras' LSTM keeps its forget-gate bias of 1 and zero biases elsewhere.
    default = tiny_generator()
    bias = np.asarray(default.cell.bias).reshape(4, -1)
    np.testing.assert_array_equal(bias, [[0] * 6, [1] * 6, [0] * 6, [0] * 6])


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="vocab_size=1"):
        TextGenerator(1, 5)
    with pytest.raises(ValueError, match="length=0"):
        TextGenerator(5, 0)
    with pytest.raises(ValueError, match="TextGenerator"):
        MaximumLikelihood(keras.Sequential())
    with pytest.raises(ValueError, match="cell=<Dense"):
        TextGenerator(5, 5, cell=keras.layers.Dense(3))
