"""A text file of sentences, one per line, as fixed-length token id sequences."""

import dataclasses
import os

import numpy as np

from keras_gan.text.vocabulary import Vocabulary


def read_sentences(path):
    """The sentences of a text file, one per line, split on whitespace.

    Raises:
        ValueError: if the file is missing, not UTF-8 text, or has no sentence;
            the message names the file.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"The text file does not exist. Received: {path!r}")
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except UnicodeDecodeError as error:
        raise ValueError(f"The text file is not UTF-8 text: {error}. Received: {path!r}") from None
    sentences = [line.split() for line in lines]
    sentences = [s for s in sentences if s]
    if not sentences:
        raise ValueError(f"The text file has no sentence (every line is empty). Received: {path!r}")
    return sentences


@dataclasses.dataclass(frozen=True)
class Corpus:
    """Training sentences as ids, with their vocabulary and sequence length.

    Attributes:
        vocabulary: a `Vocabulary` of the training sentences.
        length: tokens per sequence: the longest training sentence plus one,
            so every sequence ends with at least one padding id.
        ids: `(N, length)` int32.
        sentences: the training sentences (lists of tokens).
    """

    vocabulary: Vocabulary
    length: int
    ids: np.ndarray
    sentences: list

    @classmethod
    def from_file(cls, path, length=None):
        """Reads `path`; the vocabulary is its words, the length its longest sentence + 1
        unless `length` is given."""
        sentences = read_sentences(path)
        vocabulary = Vocabulary.from_sentences(sentences)
        longest = max(len(s) for s in sentences)
        if length is None:
            length = longest + 1
        elif length <= longest:
            raise ValueError(
                f"`length` must exceed the longest sentence of {path!r} ({longest} tokens). "
                f"Received: length={length}"
            )
        return cls(vocabulary, int(length), vocabulary.encode(sentences, length), sentences)

    def encode_file(self, path):
        """Another file's sentences (a test set) as ids of this corpus' vocabulary and
        length; unknown words become id 1."""
        sentences = read_sentences(path)
        longest = max(len(s) for s in sentences)
        if longest >= self.length:
            raise ValueError(
                f"{path!r} has a sentence of {longest} tokens; this corpus' sequences hold "
                f"at most {self.length - 1}. Received: length={self.length}"
            )
        return self.vocabulary.encode(sentences, self.length)
