"""A text generator's scores across sampling temperatures: quality (BLEU against
test sentences), diversity (self-BLEU) and likelihood, as Caccia et al. ask.

Two likelihoods: `nll_train`, the training sentences' per-token NLL, which is
what RelGAN's code reports as NLL_gen (its loader reads the training file), and
`nll_test`, the held-out sentences', which is the one that can reveal
overfitting."""

import keras
import numpy as np

from keras_gan.text.bleu import BLEU
from keras_gan.text.bleu import self_bleu
from keras_gan.text.bleu import texygen_tokens

ORDERS = (2, 3, 4, 5)


def generated_sentences(generator, vocabulary, num_samples, seed=0, temperature=1.0, batch=1000):
    """`num_samples` sentences (lists of tokens) sampled from `generator`; the same seed
    gives the same sentences."""
    sentences = []
    for index, start in enumerate(range(0, num_samples, batch)):
        ids = generator.sample(
            min(batch, num_samples - start), seed=[seed, index], temperature=temperature
        )
        sentences.extend(vocabulary.decode(np.asarray(ids)))
    return sentences


def nll_per_token(generator, ids, temperature=1.0, batch=500):
    """Mean per-token NLL (nats) of `ids` under softmax(logits / temperature), padding
    positions included (Texygen's and RelGAN's NLL)."""
    total, count = 0.0, 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        logits = keras.ops.cast(generator.logits(chunk), "float32") / temperature
        nll = keras.losses.sparse_categorical_crossentropy(chunk, logits, from_logits=True)
        total += float(keras.ops.sum(nll))
        count += int(np.prod(chunk.shape))
    return total / count


class TextEvaluation:
    """Scores samples of a generator against a test set.

    Args:
        test_sentences: the test sentences as lists of whitespace tokens (the
            BLEU references, after `texygen_tokens`).
        test_ids: the same sentences as ids of the generator's vocabulary
            (`nll_test`), or None to skip it.
        train_ids: the training sentences as ids (`nll_train`, RelGAN's
            NLL_gen), or None to skip it.
        num_samples: generated sentences per temperature scored by BLEU.
        self_bleu_samples: how many of them self-BLEU uses (Texygen: 500).
    """

    def __init__(
        self, test_sentences, test_ids=None, num_samples=2000, self_bleu_samples=500, train_ids=None
    ):
        self.bleu = BLEU([texygen_tokens(s) for s in test_sentences], max_order=max(ORDERS))
        self.test_ids = test_ids
        self.train_ids = train_ids
        self.num_samples = int(num_samples)
        self.self_bleu_samples = int(self_bleu_samples)

    def __call__(self, generator, vocabulary, temperature=1.0, seed=0):
        """A dict of BLEU-n, self-BLEU-n (n = 2..5), the NLLs and a few samples."""
        sentences = generated_sentences(
            generator, vocabulary, self.num_samples, seed=seed, temperature=temperature
        )
        tokens = [texygen_tokens(s) for s in sentences]
        scores = {"temperature": float(temperature)}
        for n in ORDERS:
            scores[f"bleu{n}"] = self.bleu.mean(tokens, order=n)
        for n in ORDERS:
            scores[f"self_bleu{n}"] = self_bleu(tokens[: self.self_bleu_samples], order=n)
        if self.test_ids is not None:
            scores["nll_test"] = nll_per_token(generator, self.test_ids, temperature)
        if self.train_ids is not None:
            scores["nll_train"] = nll_per_token(generator, self.train_ids, temperature)
        scores["mean_length"] = float(np.mean([len(s) for s in sentences]))
        scores["samples"] = [" ".join(s) for s in sentences[:5]]
        return scores
