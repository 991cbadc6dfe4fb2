"""The synthetic oracle: reproducible, and its NLL of its own samples is its entropy."""

import os
import pickle

import keras
import numpy as np
import pytest

from keras_gan.models import MaximumLikelihood
from keras_gan.text import oracle_generator
from keras_gan.text import seqgan_oracle
from keras_gan.text.oracle import entropy_per_token


def test_the_same_seed_gives_the_same_oracle_and_its_weights_are_standard_normal():
    a, b = (
        oracle_generator(seed=5, vocab_size=50, length=6),
        oracle_generator(seed=5, vocab_size=50, length=6),
    )
    for x, y in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_array_equal(x, y)
    kernel = a.projection.kernel.numpy()
    assert abs(kernel.mean()) < 0.1 and kernel.std() == pytest.approx(1.0, abs=0.1)
    assert not np.array_equal(
        kernel, oracle_generator(seed=6, vocab_size=50, length=6).projection.kernel.numpy()
    )


def test_the_oracles_nll_of_its_own_samples_equals_its_entropy_estimate():
    oracle = oracle_generator(seed=0, vocab_size=200, length=10)
    samples = oracle.sample(4000, seed=1).numpy()
    mle = MaximumLikelihood(oracle)
    mle.compile()
    nll = mle.evaluate(samples, samples, batch_size=1000, verbose=0)
    entropy = entropy_per_token(oracle, samples)
    # Both estimate the entropy rate; the NLL's sampling error decides the tolerance.
    log_p = keras.ops.log_softmax(oracle.logits(samples[:1000]), axis=-1).numpy()
    per_sequence = -np.take_along_axis(log_p, samples[:1000, :, None], axis=-1).mean(axis=(1, 2))
    standard_error = per_sequence.std() / np.sqrt(len(samples))
    assert abs(nll - entropy) < 4 * standard_error + 1e-3
    # Not a tautology: a model that is not the oracle scores its samples worse.
    other = oracle_generator(seed=1, vocab_size=200, length=10)
    mle_other = MaximumLikelihood(other)
    mle_other.compile()
    assert mle_other.evaluate(samples, samples, batch_size=1000, verbose=0) > nll + 1.0


def seqgan_params(vocab=7, embedding=3, units=4, seed=0):
    """A small parameter list in the layout of SeqGAN's target_params_py3.pkl."""
    rng = np.random.default_rng(seed)
    shapes = [(vocab, embedding)]
    for _ in range(4):
        shapes += [(embedding, units), (units, units), (units,)]
    shapes += [(units, vocab), (vocab,)]
    return [rng.normal(size=s).astype("float32") for s in shapes]


def seqgan_logits(params, ids):
    """SeqGAN's target_lstm.py `_pretrain_recurrence`, transcribed: logits of every step."""
    emb, wi, ui, bi, wf, uf, bf, wog, uog, bog, wc, uc, bc, wo, bo = params
    sigmoid = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    h = np.zeros((len(ids), ui.shape[0]))
    c = np.zeros_like(h)
    x = emb[np.zeros(len(ids), int)]  # the start token 0
    out = []
    for t in range(ids.shape[1]):
        i = sigmoid(x @ wi + h @ ui + bi)
        f = sigmoid(x @ wf + h @ uf + bf)
        o = sigmoid(x @ wog + h @ uog + bog)
        c = f * c + i * np.tanh(x @ wc + h @ uc + bc)
        h = o * np.tanh(c)
        out.append(h @ wo + bo)
        x = emb[ids[:, t]]
    return np.stack(out, axis=1)


def test_seqgans_oracle_file_gives_seqgans_target_lstm(tmp_path):
    params = seqgan_params()
    path = tmp_path / "target_params_py3.pkl"
    path.write_bytes(pickle.dumps(params))
    oracle = seqgan_oracle(path, length=6)
    assert (oracle.vocab_size, oracle.length, oracle.units) == (7, 6, 4)
    ids = np.random.default_rng(1).integers(0, 7, (5, 6)).astype("int32")
    np.testing.assert_allclose(oracle.logits(ids), seqgan_logits(params, ids), rtol=1e-4, atol=1e-5)


class RunsCode:
    def __reduce__(self):
        return (os.system, ("touch ran",))


def test_a_file_that_is_not_seqgans_oracle_is_refused_naming_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cases = {
        "code.pkl": RunsCode(),
        "short.pkl": seqgan_params()[:14],
        "shapes.pkl": seqgan_params()[:13] + [np.zeros((4, 6), "float32"), np.zeros(7, "float32")],
    }
    messages = {
        "code.pkl": "it names posix.system, not a NumPy array",
        "short.pkl": "must hold a list of the target LSTM's 15 arrays",
        "shapes.pkl": "shapes do not fit one LSTM",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(pickle.dumps(content))
        with pytest.raises(ValueError, match=f"{name} is not SeqGAN's oracle.*{messages[name]}"):
            seqgan_oracle(tmp_path / name)
    assert not (tmp_path / "ran").exists()  # the pickle's code never ran
    with pytest.raises(ValueError, match="Cannot read .*missing.pkl"):
        seqgan_oracle(tmp_path / "missing.pkl")
