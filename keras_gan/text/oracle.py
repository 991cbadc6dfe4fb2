"""The synthetic benchmark of the sequence-GAN papers: an LSTM with random weights is
the true distribution, so a generator's samples can be scored by their true NLL."""

import pickle

import numpy as np
from keras import ops

from keras_gan.models.text_generator import TextGenerator

# Texygen's and RelGAN's oracle: 5,000 tokens, sequences of 20, 32-dim embedding
# and LSTM, every parameter drawn from N(0, 1).
VOCAB_SIZE = 5000
LENGTH = 20
UNITS = 32


def oracle_generator(seed=0, vocab_size=VOCAB_SIZE, length=LENGTH, units=UNITS, stddev=1.0):
    """A `TextGenerator` whose weights are all drawn from N(0, stddev^2) with `seed`.

    The same seed gives the same oracle on any machine (NumPy draws the weights).
    Its samples (`oracle.sample(n, seed)`) are the training set; NLL_oracle of
    a model is the oracle's per-token NLL of the model's samples
    (`MaximumLikelihood(oracle).evaluate(samples, samples)`), and the oracle's
    NLL of its own samples estimates its entropy rate, the floor no model
    beats in expectation.

    Reference:
        Yu et al., "SeqGAN", AAAI 2017 (the oracle benchmark); Zhu et al.,
        "Texygen", SIGIR 2018 (`utils/oracle/OracleLstm.py`).
    """
    oracle = TextGenerator(vocab_size, length, embedding_dim=units, units=units, name="oracle")
    oracle.build()
    rng = np.random.default_rng(seed)
    oracle.set_weights(
        [
            w if w.ndim == 0 else rng.normal(0.0, stddev, w.shape).astype(w.dtype)
            for w in oracle.get_weights()
        ]
    )
    oracle.inverse_temperature.assign(1.0)
    return oracle


# SeqGAN's target LSTM (LantaoYu/SeqGAN, target_lstm.py) keeps its 15 parameters in this order.
SEQGAN_PARAMETERS = (
    "embeddings",
    "Wi", "Ui", "bi",
    "Wf", "Uf", "bf",
    "Wog", "Uog", "bog",
    "Wc", "Uc", "bc",
    "Wo", "bo",
)  # fmt: skip


def seqgan_oracle(path, length=LENGTH):
    """SeqGAN's own oracle, from the file its repository ships
    (`save/target_params_py3.pkl` of github.com/LantaoYu/SeqGAN): a pickled list of
    15 float arrays, the target LSTM's embedding, its gates' weights and its output
    layer, N(0, 1) draws of a vocabulary of 5,000 and 32 units. With it NLL_oracle
    is measured against the oracle of SeqGAN's published table, not a draw of its own.

    SeqGAN's LSTM is the standard one (gates i, f, o from sigmoids, the candidate
    from tanh, no peepholes), started from zero states and the embedding of token
    0, as `TextGenerator` is; its weights are mapped onto `keras.layers.LSTMCell`'s
    (gates in the order i, f, c, o). The file is read with an unpickler that
    builds NumPy arrays and nothing else, so a file that would run code is refused.

    Args:
        path: the pickle file.
        length: tokens per sequence (SeqGAN: 20).

    Returns:
        A `TextGenerator` named "oracle".
    """
    arrays = _read_numpy_pickle(path)
    found = (
        [getattr(a, "shape", type(a).__name__) for a in arrays]
        if isinstance(arrays, list)
        else arrays
    )
    if not (
        isinstance(arrays, list)
        and len(arrays) == len(SEQGAN_PARAMETERS)
        and all(isinstance(a, np.ndarray) for a in arrays)
    ):
        raise ValueError(
            f"{path} is not SeqGAN's oracle: it must hold a list of the target LSTM's "
            f"{len(SEQGAN_PARAMETERS)} arrays ({', '.join(SEQGAN_PARAMETERS)}). Received: {found}"
        )
    w = dict(zip(SEQGAN_PARAMETERS, (np.asarray(a, "float32") for a in arrays), strict=True))
    vocab_size, embedding_dim = w["embeddings"].shape if w["embeddings"].ndim == 2 else (0, 0)
    units = w["Ui"].shape[-1] if w["Ui"].ndim == 2 else 0
    expected = {
        "embeddings": (vocab_size, embedding_dim),
        "Wo": (units, vocab_size),
        "bo": (vocab_size,),
    }
    for gate in ("i", "f", "og", "c"):
        expected.update(
            {f"W{gate}": (embedding_dim, units), f"U{gate}": (units, units), f"b{gate}": (units,)}
        )
    wrong = {k: w[k].shape for k in SEQGAN_PARAMETERS if w[k].shape != expected[k]}
    if not units or vocab_size < 2 or wrong:
        raise ValueError(
            f"{path} is not SeqGAN's oracle: its arrays' shapes do not fit one LSTM. "
            f"Received: {found}"
        )
    oracle = TextGenerator(
        vocab_size, length, embedding_dim=embedding_dim, units=units, name="oracle"
    )
    oracle.build()
    gates = ("i", "f", "c", "og")  # keras.layers.LSTMCell's order: input, forget, cell, output
    oracle.embedding.embeddings.assign(w["embeddings"])
    oracle.cell.kernel.assign(np.concatenate([w[f"W{g}"] for g in gates], axis=1))
    oracle.cell.recurrent_kernel.assign(np.concatenate([w[f"U{g}"] for g in gates], axis=1))
    oracle.cell.bias.assign(np.concatenate([w[f"b{g}"] for g in gates]))
    oracle.projection.kernel.assign(w["Wo"])
    oracle.projection.bias.assign(w["bo"])
    return oracle


class _NumpyOnly(pickle.Unpickler):
    """Builds lists of NumPy arrays and refuses any other class (a pickle can name
    any callable, which loading would run)."""

    ALLOWED = {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"it names {module}.{name}, not a NumPy array")
        return super().find_class(module, name)


def _read_numpy_pickle(path):
    try:
        with open(path, "rb") as f:
            return _NumpyOnly(f).load()
    except OSError as error:
        raise ValueError(f"Cannot read {path}: {error.strerror}") from None
    except Exception as error:
        raise ValueError(
            f"{path} is not SeqGAN's oracle (a pickled list of NumPy arrays): "
            f"{type(error).__name__}: {error}"
        ) from None


def entropy_per_token(generator, ids, batch_size=500):
    """The mean over sequences and steps of H(p(. | prefix)), the entropy of the
    generator's next-token distribution along the given sequences (a lower-variance
    estimate of the entropy rate than their NLL when `ids` are its own samples)."""
    totals = []
    for start in range(0, len(ids), batch_size):
        logits = generator.logits(ids[start : start + batch_size])
        log_p = ops.log_softmax(ops.cast(logits, "float32"), axis=-1)
        totals.append(ops.convert_to_numpy(-ops.sum(ops.exp(log_p) * log_p, axis=-1)))
    return float(np.concatenate(totals).mean())
