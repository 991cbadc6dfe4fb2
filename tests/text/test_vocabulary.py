"""The vocabulary and the corpus: ids a user can decode back, and clear errors."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.text import Corpus
from keras_gan.text import Vocabulary


def test_words_are_ranked_by_frequency_then_alphabet_after_pad_and_unknown():
    vocabulary = Vocabulary.from_sentences([["b", "a", "c"], ["a", "c"], ["d"]])
    assert vocabulary.tokens() == ["", "[UNK]", "a", "c", "b", "d"]
    assert vocabulary.size == 6


def test_encode_pads_marks_unknown_and_decode_stops_at_the_end():
    vocabulary = Vocabulary(["a", "cat.", "dog."])
    ids = vocabulary.encode([["a", "cat."], ["a", "cow."]], length=4)
    np.testing.assert_array_equal(ids, [[2, 3, 0, 0], [2, 1, 0, 0]])
    assert vocabulary.decode(ids) == [["a", "cat."], ["a", "[UNK]"]]
    assert vocabulary.decode([[2, 0, 3, 3]]) == [["a"]]


def test_the_lookup_layers_agree_with_encode_and_decode():
    vocabulary = Vocabulary(["a", "cat.", "dog."])
    to_ids, to_tokens = vocabulary.lookup_layers()
    np.testing.assert_array_equal(to_ids(tf.constant(["a", "dog.", "cow.", ""])), [2, 4, 1, 0])
    assert [t.decode() for t in to_tokens(tf.constant([3, 1, 0])).numpy()] == ["cat.", "[UNK]", ""]


def test_a_sentence_too_long_for_the_length_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"Sentence 0 has 3 tokens.*'a b c'"):
        Vocabulary(["a", "b", "c"]).encode([["a", "b", "c"]], length=3)


def test_bad_words_are_refused():
    with pytest.raises(ValueError, match="distinct"):
        Vocabulary(["a", "a"])
    with pytest.raises(ValueError, match=r"\[UNK\]"):
        Vocabulary(["a", "[UNK]"])


def test_a_saved_vocabulary_loads_with_the_same_ids_and_bad_files_are_named(tmp_path):
    vocabulary = Vocabulary(["ünïcode", "cat.", "a"])
    vocabulary.save(tmp_path / "vocabulary.txt")
    loaded = Vocabulary.load(tmp_path / "vocabulary.txt")
    assert loaded == vocabulary and loaded.tokens() == vocabulary.tokens()
    assert loaded != Vocabulary(["cat.", "ünïcode", "a"])  # the same words, other ids
    (tmp_path / "bad.txt").write_text("a\n[UNK]\n")
    with pytest.raises(ValueError, match="bad.txt' is not a vocabulary file.*'\\[UNK\\]'"):
        Vocabulary.load(tmp_path / "bad.txt")
    with pytest.raises(ValueError, match="Cannot read a vocabulary from .*missing.txt"):
        Vocabulary.load(tmp_path / "missing.txt")


def test_corpus_reads_a_file_and_encodes_a_test_file(tmp_path):
    (tmp_path / "train.txt").write_text("a cat sat.\n\na dog\n")
    (tmp_path / "test.txt").write_text("a cow sat.\n")
    corpus = Corpus.from_file(tmp_path / "train.txt")
    assert corpus.length == 4  # the longest sentence (3) and its end
    assert corpus.ids.shape == (2, 4)
    assert corpus.vocabulary.decode(corpus.ids) == [["a", "cat", "sat."], ["a", "dog"]]
    np.testing.assert_array_equal(corpus.encode_file(tmp_path / "test.txt"), [[2, 1, 5, 0]])


def test_corpus_errors_name_the_file(tmp_path):
    with pytest.raises(ValueError, match="does not exist. Received: '.*missing.txt'"):
        Corpus.from_file(tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_text("\n \n")
    with pytest.raises(ValueError, match="no sentence.*empty.txt"):
        Corpus.from_file(tmp_path / "empty.txt")
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="not UTF-8.*binary.txt"):
        Corpus.from_file(tmp_path / "binary.txt")
    (tmp_path / "train.txt").write_text("a b\n")
    (tmp_path / "long.txt").write_text("a b c d\n")
    corpus = Corpus.from_file(tmp_path / "train.txt")
    with pytest.raises(ValueError, match="long.txt.*4 tokens.*length=3"):
        corpus.encode_file(tmp_path / "long.txt")


def test_coco_captions_fit_their_length(coco_captions_dir):
    corpus = Corpus.from_file(coco_captions_dir / "train.txt")
    test = corpus.encode_file(coco_captions_dir / "test.txt")
    assert corpus.ids.shape == (10_000, 36) and test.shape == (10_000, 36)
    assert (corpus.ids[:, -1] == 0).all()  # every sequence ends
    assert 0 < (test == 1).mean() < 0.05  # some test words were never seen in training
