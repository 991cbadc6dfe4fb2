"""BLEU and self-BLEU equal nltk's sentence_bleu as Texygen calls it."""

import math
import random

import pytest
from nltk.translate.bleu_score import SmoothingFunction
from nltk.translate.bleu_score import sentence_bleu

from keras_gan.text import BLEU
from keras_gan.text import read_sentences
from keras_gan.text import self_bleu
from keras_gan.text import texygen_tokens

SMOOTH = SmoothingFunction().method1


def nltk_bleu(references, hypothesis, n):
    return sentence_bleu(references, hypothesis, (1.0 / n,) * n, smoothing_function=SMOOTH)


def random_sentences(rng, count, words, max_len=9):
    return [[rng.choice(words) for _ in range(rng.randint(0, max_len))] for _ in range(count)]


def test_bleu_equals_nltk_on_a_hand_case():
    references = [["a", "cat", "sat", "on", "the", "mat", "."], ["there", "is", "a", "cat", "."]]
    hypothesis = ["a", "cat", "sat", "on", "a", "mat", "."]
    bleu = BLEU(references)
    # Unigrams: 6 of 7 match ("a" is clipped to its count 1); bigrams: 4 of 6.
    assert bleu.sentence(hypothesis, order=2) == pytest.approx(math.sqrt(6 / 7 * 4 / 6))
    for n in (2, 3, 4, 5):
        assert bleu.sentence(hypothesis, order=n) == nltk_bleu(references, hypothesis, n)


@pytest.mark.parametrize("seed", range(5))
def test_bleu_equals_nltk_bit_for_bit_on_random_sentences(seed):
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(6)]
    references = random_sentences(rng, 30, words)
    references[0] = []  # an empty reference has a length too
    hypotheses = random_sentences(rng, 40, words) + [[], ["w0"], ["zz", "zz"]]
    bleu = BLEU(references)
    for hypothesis in hypotheses:
        for n in (2, 3, 4, 5):
            assert bleu.sentence(hypothesis, order=n) == nltk_bleu(references, hypothesis, n)


def test_self_bleu_equals_texygens_leave_one_out():
    rng = random.Random(3)
    sentences = random_sentences(rng, 25, [f"w{i}" for i in range(5)])
    sentences += [sentences[2], sentences[2]]  # repeats: their own copy is another reference
    for n in (2, 3, 4, 5):
        expected = [
            nltk_bleu(sentences[:i] + sentences[i + 1 :], sentence, n)
            for i, sentence in enumerate(sentences)
        ]
        assert self_bleu(sentences, order=n) == pytest.approx(math.fsum(expected) / len(expected))


def test_identical_sentences_have_self_bleu_one_and_distinct_ones_less():
    same = [["a", "man", "rides", "a", "horse", "."]] * 4
    assert self_bleu(same, order=4) == pytest.approx(1.0)
    different = same[:1] + [["two", "dogs", "play", "in", "snow", "."]] * 3
    assert self_bleu(different, order=4) < 0.9


def test_texygen_tokens_split_punctuation_like_word_tokenize():
    assert texygen_tokens("a bicycle replica with a clock as the front wheel.") == [
        "a", "bicycle", "replica", "with", "a", "clock", "as", "the", "front", "wheel", ".",
    ]  # fmt: skip
    assert texygen_tokens(["a", "man's", "hat,", "red."]) == [
        "a",
        "man",
        "'s",
        "hat",
        ",",
        "red",
        ".",
    ]


def test_bleu_on_coco_equals_nltk(coco_captions_dir):
    references = [texygen_tokens(s) for s in read_sentences(coco_captions_dir / "test.txt")[:400]]
    hypotheses = [texygen_tokens(s) for s in read_sentences(coco_captions_dir / "train.txt")[:40]]
    bleu = BLEU(references)
    for n in (2, 5):
        expected = math.fsum(nltk_bleu(references, h, n) for h in hypotheses) / len(hypotheses)
        assert bleu.mean(hypotheses, order=n) == pytest.approx(expected, rel=1e-12)


def test_bad_arguments_are_refused_with_their_values():
    with pytest.raises(ValueError, match="at least one reference"):
        BLEU([])
    bleu = BLEU([["a"]], max_order=3)
    with pytest.raises(ValueError, match=r"order.*Received: order=4"):
        bleu.sentence(["a"], order=4)
    with pytest.raises(ValueError, match="at least 2 sentences. Received: 1"):
        self_bleu([["a"]])
