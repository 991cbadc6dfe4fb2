"""How many of a text run's samples copy a training sentence exactly: memorisation, which
BLEU against test sentences can reward (they share n-grams with the training ones).

For each run (a run directory, a checkpoint, or a run's pretrain/ folder for its MLE G), the
same seeded samples its scores use (`generated_sentences`, seed --seed) at each temperature:
the share that equal a line of the training file, of the test file, and the share of distinct
samples.

Usage:
    python benchmarks/text_copies.py runs/coco/arae_seed0 runs/coco/seqgan_seed0/pretrain \
        --train=../shared/data/coco_captions/train.txt --test=../shared/data/coco_captions/test.txt
"""

import pathlib
import sys

from absl import app
from absl import flags

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

FLAGS = flags.FLAGS


def define_flags():
    """The script's flags (defined only when it runs, so importing `shares` defines none)."""
    flags.DEFINE_string("train", None, "The training sentences, one per line.")
    flags.DEFINE_string("test", None, "The test sentences, one per line.")
    flags.DEFINE_list("temperatures", ["0.8", "1.0"], "Sampling temperatures.")
    flags.DEFINE_integer("num_samples", 2000, "Samples per temperature.")
    flags.DEFINE_integer("seed", 0, "The samples' seed (training scores use --seed's).")
    flags.mark_flags_as_required(["train", "test"])


def shares(sentences, train, test):
    """`(copies of train, copies of test, distinct)`, each a share of `sentences` (strings)."""
    n = len(sentences)
    return (
        sum(s in train for s in sentences) / n,
        sum(s in test for s in sentences) / n,
        len(set(sentences)) / n,
    )


def main(argv):
    from keras_gan.export.sources import load_text_generator
    from keras_gan.text import read_sentences
    from keras_gan.text.evaluation import generated_sentences

    train, test = ({" ".join(s) for s in read_sentences(f)} for f in (FLAGS.train, FLAGS.test))
    print("| run | temperature | copies of training sentences | of test sentences | distinct |")
    print("|---|---|---|---|---|")
    for source in argv[1:]:
        generator, vocabulary = load_text_generator(source)
        for t in (float(t) for t in FLAGS.temperatures):
            sampled = generated_sentences(generator, vocabulary, FLAGS.num_samples, FLAGS.seed, t)
            copied, tested, distinct = shares([" ".join(s) for s in sampled], train, test)
            print(f"| {source} | {t} | {copied:.3f} | {tested:.3f} | {distinct:.3f} |", flush=True)


if __name__ == "__main__":
    define_flags()
    app.run(main)
