"""BLEU and self-BLEU as the sequence-GAN papers compute them, fast enough for a whole
test set of references.

Texygen (Zhu et al. 2018) and RelGAN (Nie et al. 2019) score each generated
sentence with `nltk.translate.bleu_score.sentence_bleu(references, hypothesis,
weights=(1/n,) * n, smoothing_function=SmoothingFunction().method1)`, every
test sentence a reference, and average over sentences. nltk recounts every
reference's n-grams for every hypothesis: 0.2 s per hypothesis and order against the
10,000 COCO test captions, 27 minutes for BLEU-2..5 of 2,000 samples
(benchmarks/bleu_speed.py). `BLEU` counts the references once (each n-gram's largest count in any
reference, the set of reference lengths) and then gives, for every
hypothesis, the number nltk gives, bit for bit (tests/text/test_bleu.py
holds it to nltk's own function).
"""

import collections
import math

from nltk.tokenize import NLTKWordTokenizer

_TOKENIZER = NLTKWordTokenizer()
EPSILON = 0.1  # nltk's SmoothingFunction().method1 default


def texygen_tokens(sentence):
    """A sentence's tokens as Texygen's `nltk.word_tokenize` splits them: punctuation
    apart from words (`"wheel."` -> `"wheel", "."`).

    `word_tokenize` first splits sentences with the punkt model, a download this
    library does not ask for; this applies the word tokenizer it then uses to
    the whole line, which differs only where one line holds several sentences
    (their inner full stops stay attached).

    Args:
        sentence: a string, or a list of tokens (joined with spaces first).
    """
    if not isinstance(sentence, str):
        sentence = " ".join(sentence)
    return _TOKENIZER.tokenize(sentence)


def _ngrams(tokens, n):
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def _score(matches, counts, hyp_len, ref_len, order):
    """nltk's corpus_bleu for one hypothesis: clipped matches and n-gram counts per
    order (lists), lengths; method1 smoothing, weights 1/order."""
    if matches[0] == 0:
        return 0.0
    if hyp_len > ref_len:
        brevity = 1
    elif hyp_len == 0:
        brevity = 0
    else:
        brevity = math.exp(1 - ref_len / hyp_len)
    weight = 1.0 / order
    logs = []
    for numerator, denominator in zip(matches[:order], counts[:order], strict=True):
        precision = numerator / denominator if numerator else EPSILON / denominator
        logs.append(weight * math.log(precision))
    return brevity * math.exp(math.fsum(logs))


def _closest(lengths, hyp_len):
    return min(lengths, key=lambda length: (abs(length - hyp_len), length))


class BLEU:
    """BLEU-n of hypotheses against one shared set of references.

    Args:
        references: lists of tokens (use `texygen_tokens` for the papers'
            tokenisation).
        max_order: the largest n asked for later.

    Example:
        >>> bleu = BLEU([texygen_tokens(line) for line in test_lines])
        >>> bleu.mean([texygen_tokens(s) for s in samples], order=4)

    Reference:
        Papineni et al., "BLEU: a Method for Automatic Evaluation of Machine
        Translation", ACL 2002; the per-sentence average over a shared reference
        set: Zhu et al., "Texygen", SIGIR 2018, arXiv:1802.01886.
    """

    def __init__(self, references, max_order=5):
        references = [list(r) for r in references]
        if not references:
            raise ValueError("BLEU needs at least one reference. Received: references=[]")
        if max_order < 1:
            raise ValueError(f"`max_order` must be >= 1. Received: max_order={max_order}")
        self.max_order = int(max_order)
        self._max_counts = [{} for _ in range(self.max_order)]
        for reference in references:
            for n in range(1, self.max_order + 1):
                best = self._max_counts[n - 1]
                for ngram, count in collections.Counter(_ngrams(reference, n)).items():
                    if count > best.get(ngram, 0):
                        best[ngram] = count
        self._lengths = sorted({len(r) for r in references})

    def _check(self, order):
        if not 1 <= order <= self.max_order:
            raise ValueError(
                f"`order` must be in [1, {self.max_order}] (max_order). Received: order={order}"
            )

    def sentence(self, hypothesis, order=4):
        """BLEU-`order` of one hypothesis (a list of tokens), equal to nltk's
        `sentence_bleu(references, hypothesis, (1/order,) * order,
        smoothing_function=SmoothingFunction().method1)`."""
        self._check(order)
        hypothesis = list(hypothesis)
        matches, counts = [], []
        for n in range(1, order + 1):
            best = self._max_counts[n - 1]
            hyp_counts = collections.Counter(_ngrams(hypothesis, n))
            matches.append(sum(min(c, best.get(g, 0)) for g, c in hyp_counts.items()))
            counts.append(max(1, sum(hyp_counts.values())))
        ref_len = _closest(self._lengths, len(hypothesis))
        return _score(matches, counts, len(hypothesis), ref_len, order)

    def mean(self, hypotheses, order=4):
        """The average of `sentence` over `hypotheses` (the papers' BLEU-n)."""
        hypotheses = list(hypotheses)
        if not hypotheses:
            raise ValueError("BLEU needs at least one hypothesis. Received: hypotheses=[]")
        return math.fsum(self.sentence(h, order) for h in hypotheses) / len(hypotheses)


def self_bleu(sentences, order=4):
    """Self-BLEU-`order` (Zhu et al. 2018): every sentence scored against all the others
    as references, averaged; higher means less diverse.

    Equal to averaging nltk's `sentence_bleu(sentences[:i] + sentences[i+1:],
    sentences[i], ...)` with method1 smoothing; each n-gram keeps its two
    largest counts so leaving a sentence out costs nothing.

    Args:
        sentences: at least two lists of tokens.
        order: n, 1 or more.
    """
    sentences = [list(s) for s in sentences]
    if len(sentences) < 2:
        raise ValueError(f"Self-BLEU needs at least 2 sentences. Received: {len(sentences)}")
    if order < 1:
        raise ValueError(f"`order` must be >= 1. Received: order={order}")
    # Per n-gram: [(largest count, its sentence), second largest count].
    tops = [{} for _ in range(order)]
    per_sentence = []
    for index, sentence in enumerate(sentences):
        own = []
        for n in range(1, order + 1):
            counts = collections.Counter(_ngrams(sentence, n))
            own.append(counts)
            table = tops[n - 1]
            for ngram, count in counts.items():
                first, second = table.get(ngram, ((0, -1), 0))
                if count > first[0]:
                    table[ngram] = ((count, index), first[0])
                elif count > second:
                    table[ngram] = (first, count)
        per_sentence.append(own)
    length_counts = collections.Counter(len(s) for s in sentences)
    scores = []
    for index, sentence in enumerate(sentences):
        matches, counts = [], []
        for n in range(1, order + 1):
            table = tops[n - 1]
            matched = 0
            for ngram, count in per_sentence[index][n - 1].items():
                (first, holder), second = table[ngram]
                best_other = second if holder == index else first
                matched += min(count, best_other)
            matches.append(matched)
            counts.append(max(1, sum(per_sentence[index][n - 1].values())))
        own_length = len(sentence)
        lengths = [
            length for length, number in length_counts.items() if length != own_length or number > 1
        ]
        ref_len = _closest(lengths, own_length)
        scores.append(_score(matches, counts, own_length, ref_len, order))
    return math.fsum(scores) / len(scores)
