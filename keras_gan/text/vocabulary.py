"""A vocabulary of tokens: id 0 pads and ends a sequence, id 1 is unknown, words from 2."""

import collections
import pathlib

import keras
import numpy as np

PAD = ""  # id 0: padding and end of sentence, and the generator's start input
UNKNOWN = "[UNK]"  # id 1: a token the training text never had


class Vocabulary:
    """Maps whitespace tokens to ids and back, the way `keras.layers.StringLookup` does.

    Ids follow StringLookup's layout (mask token `""` = 0, one OOV token = 1,
    the words from 2, most frequent first, ties in alphabetical order), so the
    same list rebuilds the same lookup inside a SavedModel.

    Args:
        words: the words, in id order from 2 (no `""` and no `"[UNK]"`).

    Example:
        >>> vocabulary = Vocabulary.from_sentences([["a", "cat."], ["a", "dog."]])
        >>> vocabulary.encode([["a", "dog."]], length=4)
        array([[2, 4, 0, 0]], dtype=int32)
    """

    def __init__(self, words):
        words = list(words)
        bad = [w for w in words if w in (PAD, UNKNOWN) or not isinstance(w, str) or " " in w]
        if bad:
            raise ValueError(
                "Vocabulary words must be non-empty strings without spaces, other than "
                f"{UNKNOWN!r}. Received: {bad[:5]}"
            )
        if len(set(words)) != len(words):
            repeated = [w for w, n in collections.Counter(words).items() if n > 1]
            raise ValueError(f"Vocabulary words must be distinct. Received repeats: {repeated[:5]}")
        self.words = tuple(words)
        self._ids = {w: i + 2 for i, w in enumerate(self.words)}

    @classmethod
    def from_sentences(cls, sentences, min_count=1):
        """The words of `sentences` (lists of tokens) seen at least `min_count` times."""
        counts = collections.Counter(token for sentence in sentences for token in sentence)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return cls([word for word, count in ranked if count >= min_count])

    def save(self, path):
        """Writes the words to `path`, one per line in id order from 2 (UTF-8)."""
        pathlib.Path(path).write_text("".join(f"{w}\n" for w in self.words), encoding="utf-8")

    @classmethod
    def load(cls, path):
        """The vocabulary `save` wrote to `path`.

        Raises:
            ValueError: if `path` is missing, not UTF-8, or not a vocabulary.
        """
        path = pathlib.Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"Cannot read a vocabulary from {str(path)!r}: {error}") from None
        try:
            return cls(text.splitlines())
        except ValueError as error:
            raise ValueError(f"{str(path)!r} is not a vocabulary file: {error}") from None

    def __eq__(self, other):
        return isinstance(other, Vocabulary) and self.words == other.words

    __hash__ = None

    @property
    def size(self):
        """Number of ids, the padding and unknown ids included."""
        return len(self.words) + 2

    def tokens(self):
        """Every id's token, in id order: `["", "[UNK]", *words]`."""
        return [PAD, UNKNOWN, *self.words]

    def encode(self, sentences, length):
        """`(len(sentences), length)` int32 ids, each sentence followed by padding.

        Raises:
            ValueError: if a sentence has `length` tokens or more (every sequence
                keeps at least one padding id, its end).
        """
        ids = np.zeros((len(sentences), length), np.int32)
        for row, sentence in enumerate(sentences):
            if len(sentence) >= length:
                raise ValueError(
                    f"Sentence {row} has {len(sentence)} tokens; sequences of length {length} "
                    f"hold at most {length - 1} and an end. Received: {' '.join(sentence)!r}"
                )
            ids[row, : len(sentence)] = [self._ids.get(token, 1) for token in sentence]
        return ids

    def decode(self, ids):
        """The sentences (lists of tokens) of an `(N, length)` id array; each ends at its
        first padding id."""
        table = self.tokens()
        sentences = []
        for row in np.asarray(ids):
            sentence = []
            for token_id in row:
                if token_id == 0:
                    break
                sentence.append(table[int(token_id)])
            sentences.append(sentence)
        return sentences

    def lookup_layers(self):
        """`(to_ids, to_tokens)`: StringLookup layers holding this vocabulary, for
        graphs and SavedModels."""
        to_ids = keras.layers.StringLookup(
            vocabulary=list(self.words), mask_token=PAD, oov_token=UNKNOWN
        )
        to_tokens = keras.layers.StringLookup(
            vocabulary=list(self.words), mask_token=PAD, oov_token=UNKNOWN, invert=True
        )
        return to_ids, to_tokens

    def get_config(self):
        return {"words": list(self.words)}
