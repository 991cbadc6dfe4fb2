"""ARAE's autoencoder and the text generator of a GAN's codes: the code carries the
sentence, the decoder reads it the same way stepping and teacher-forced, noise only in
training, seeded sampling through the code generator, saving."""

import keras
import numpy as np
import pytest

from keras_gan.models import CodeTextGenerator
from keras_gan.models import TextAutoencoder
from keras_gan.models import TextGenerator
from tests.test_case import assert_config_round_trip

VOCAB, LENGTH = 9, 6
GREEDY = 1e-3  # a temperature at which sampling is the argmax


def corpus(rows=16, seed=0):
    """Distinct random sentences: no language model without the code can reproduce them."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, VOCAB, (rows, LENGTH)).astype("int32")
    assert len({tuple(row) for row in ids}) == rows
    return ids


def tiny_autoencoder(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    autoencoder = TextAutoencoder(VOCAB, LENGTH, embedding_dim=8, units=16, seed=seed, **kwargs)
    autoencoder.build()
    return autoencoder


@pytest.fixture(scope="module")
def trained():
    """The corpus and an autoencoder trained on it for 100 steps (it reconstructs all 16
    sentences by step 75-100 on seeds 0 and 1)."""
    ids = corpus()
    autoencoder = tiny_autoencoder()
    autoencoder.compile(keras.optimizers.Adam(0.05))
    autoencoder.fit(ids, ids, batch_size=16, epochs=100, verbose=0)
    return ids, autoencoder


class ConstantCodes(keras.Model):
    """A code generator that ignores z and returns one fixed code."""

    def __init__(self, code):
        super().__init__()
        self.code = keras.ops.convert_to_tensor(code[None])

    def call(self, z, training=False):
        return keras.ops.repeat(self.code, keras.ops.shape(z)[0], axis=0)


def test_the_autoencoder_reconstructs_sentences_only_its_code_can_tell_apart(trained):
    ids, autoencoder = trained
    codes = autoencoder.encode(ids)
    np.testing.assert_allclose(np.linalg.norm(codes, axis=1), 1.0, rtol=1e-5)
    decoded = autoencoder.decoder.sample(len(ids), seed=0, temperature=GREEDY, context=codes)
    assert np.mean(np.all(np.asarray(decoded) == ids, axis=1)) >= 0.9
    # Another sentence's code decodes to that sentence: the decoder reads the code.
    swapped = autoencoder.decoder.sample(len(ids), seed=0, temperature=GREEDY, context=codes[::-1])
    assert np.mean(np.all(np.asarray(swapped) == ids[::-1], axis=1)) >= 0.9


def test_the_code_is_of_the_sentence_not_of_its_padding():
    """The code is the encoder's state after the sentence's last id before the end id (0),
    whatever follows, as ARAE's packed sequences give: reading COCO captions' padding (two
    thirds of their ids) washed the sentence out of the code, and every caption decoded
    to the same one."""
    autoencoder = tiny_autoencoder()
    ids = corpus(4)
    ids[:, 3:] = 0  # three-id sentences, then their end and padding
    noise = ids.copy()
    noise[:, 4:] = np.random.default_rng(1).integers(1, VOCAB, (4, LENGTH - 4))
    codes = np.asarray(autoencoder.encode(ids))
    np.testing.assert_allclose(autoencoder.encode(noise), codes, rtol=1e-5, atol=1e-6)
    alone = autoencoder.encoder_rnn(autoencoder.encoder_embedding(ids[:, :3]))
    alone = alone / np.linalg.norm(alone, axis=1, keepdims=True)
    np.testing.assert_allclose(alone, codes, rtol=1e-5, atol=1e-6)
    changed = ids.copy()
    changed[:, 2] = changed[:, 2] % (VOCAB - 1) + 1  # another last word
    assert np.all(np.abs(np.asarray(autoencoder.encode(changed)) - codes).max(axis=1) > 1e-4)
    # Without an end id (the synthetic oracle's sequences have none) every id is read.
    whole = tiny_autoencoder(end_id=None)
    assert np.all(np.abs(np.asarray(whole.encode(noise) - whole.encode(ids))).max(axis=1) > 1e-4)
    with pytest.raises(ValueError, match=f"end_id={VOCAB}"):
        TextAutoencoder(VOCAB, LENGTH, end_id=VOCAB)


def test_code_noise_is_added_in_training_only():
    ids = corpus(4)
    noisy = tiny_autoencoder(code_noise=0.5)
    inference = noisy(ids, training=False)
    np.testing.assert_allclose(noisy(ids, training=False), inference, rtol=1e-6)
    assert np.abs(np.asarray(noisy(ids, training=True)) - inference).max() > 1e-3
    quiet = tiny_autoencoder(code_noise=0.0)
    np.testing.assert_allclose(quiet(ids, training=True), quiet(ids, training=False), rtol=1e-6)


def test_a_decoder_steps_the_same_model_it_trains_teacher_forced():
    autoencoder = tiny_autoencoder()
    ids = corpus(3)
    codes = autoencoder.encode(ids)
    decoder = autoencoder.decoder
    stepped = decoder._decode(3, lambda t, logits: (ids[:, t], logits), context=codes)
    np.testing.assert_allclose(stepped, decoder.logits(ids, context=codes), rtol=1e-5, atol=1e-5)


def test_context_is_required_exactly_when_the_generator_has_one():
    decoder = tiny_autoencoder().decoder
    with pytest.raises(ValueError, match="context_dim=16, so it needs a `context`"):
        decoder.sample(2, seed=0)
    plain = TextGenerator(VOCAB, LENGTH, embedding_dim=4, units=6)
    with pytest.raises(ValueError, match="context_dim=0, so it needs no `context`"):
        plain.sample(2, seed=0, context=np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="context_dim=-1"):
        TextGenerator(VOCAB, LENGTH, context_dim=-1)
    with pytest.raises(ValueError, match="code_noise=-0.1"):
        TextAutoencoder(VOCAB, LENGTH, code_noise=-0.1)


def test_the_code_text_generator_decodes_its_generators_codes_seeded(trained):
    ids, autoencoder = trained
    codes = np.asarray(autoencoder.encode(ids))
    generator = CodeTextGenerator(ConstantCodes(codes[3]), autoencoder.decoder, "normal", 5)
    samples = np.asarray(generator.sample(8, seed=1, temperature=GREEDY))
    np.testing.assert_array_equal(samples, np.repeat(ids[3:4], 8, axis=0))
    # A code generator of z: the same seed gives the same sentences, another seed others.
    keras.utils.set_random_seed(0)
    mlp = keras.Sequential([keras.Input((5,)), keras.layers.Dense(16)])
    generator = CodeTextGenerator(mlp, autoencoder.decoder, "normal", 5)
    first = np.asarray(generator.sample(16, seed=1))
    np.testing.assert_array_equal(first, generator.sample(16, seed=1))
    assert not np.array_equal(first, generator.sample(16, seed=2))


def test_a_code_generator_must_make_the_decoders_codes():
    decoder = tiny_autoencoder().decoder
    wrong = keras.Sequential([keras.Input((5,)), keras.layers.Dense(7)])
    with pytest.raises(ValueError, match=r"codes of shape \(7,\); the decoder reads codes of 16"):
        CodeTextGenerator(wrong, decoder, "normal", 5).build()
    plain = TextGenerator(VOCAB, LENGTH)
    with pytest.raises(ValueError, match="context_dim"):
        CodeTextGenerator(wrong, plain, "normal", 5)


def test_config_and_keras_saving_round_trip(tmp_path):
    ids = corpus(4)
    autoencoder = tiny_autoencoder(initializer=keras.initializers.RandomNormal(stddev=0.1))
    assert_config_round_trip(autoencoder)
    autoencoder.save(tmp_path / "autoencoder.keras")
    loaded = keras.saving.load_model(tmp_path / "autoencoder.keras")
    np.testing.assert_allclose(loaded.encode(ids), autoencoder.encode(ids), rtol=1e-6)
    np.testing.assert_allclose(loaded(ids), autoencoder(ids), rtol=1e-6)
    mlp = keras.Sequential([keras.Input((5,)), keras.layers.Dense(16)])
    generator = CodeTextGenerator(mlp, autoencoder.decoder, "uniform", 5)
    generator.build()
    generator.save(tmp_path / "generator.keras")
    loaded = keras.saving.load_model(tmp_path / "generator.keras")
    np.testing.assert_array_equal(loaded.sample(6, seed=3), generator.sample(6, seed=3))
