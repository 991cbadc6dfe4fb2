"""Token sequences for GANs on discrete data: a vocabulary, corpora of captions,
the synthetic oracle, and the metrics the sequence-GAN papers report."""

from keras_gan.text.bleu import BLEU
from keras_gan.text.bleu import self_bleu
from keras_gan.text.bleu import texygen_tokens
from keras_gan.text.corpus import Corpus
from keras_gan.text.corpus import read_sentences
from keras_gan.text.oracle import oracle_generator
from keras_gan.text.oracle import seqgan_oracle
from keras_gan.text.vocabulary import Vocabulary

__all__ = [
    "BLEU",
    "Corpus",
    "Vocabulary",
    "oracle_generator",
    "read_sentences",
    "self_bleu",
    "seqgan_oracle",
    "texygen_tokens",
]
