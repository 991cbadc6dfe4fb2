"""The synthetic oracle: reproducible, and its NLL of its own samples is its entropy."""

import keras
import numpy as np
import pytest

from keras_gan.models import MaximumLikelihood
from keras_gan.text import oracle_generator
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
