"""The synthetic benchmark of the sequence-GAN papers: an LSTM with random weights is
the true distribution, so a generator's samples can be scored by their true NLL."""

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
