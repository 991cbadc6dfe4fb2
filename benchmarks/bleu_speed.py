"""Seconds for BLEU-2..5 of generated sentences against the 10,000 COCO test captions:
keras_gan.text.BLEU against nltk's sentence_bleu as Texygen calls it, and their agreement.

nltk is timed on --nltk_sentences sentences (it takes a fraction of a second each) and
scaled to --sentences; keras_gan on all --sentences.

Usage:
    python benchmarks/bleu_speed.py [--sentences=2000] [--nltk_sentences=20]
"""

import argparse
import os
import pathlib
import sys
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = os.environ.get("KERAS_GAN_COCO_CAPTIONS_DIR", str(REPO.parent / "shared/data/coco_captions"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--nltk_sentences", type=int, default=20)
    args = parser.parse_args()
    from nltk.translate.bleu_score import SmoothingFunction
    from nltk.translate.bleu_score import sentence_bleu

    from benchmarks.machine import describe
    from keras_gan.text import BLEU
    from keras_gan.text import read_sentences
    from keras_gan.text import texygen_tokens

    references = [texygen_tokens(s) for s in read_sentences(f"{DATA}/test.txt")]
    hypotheses = [texygen_tokens(s) for s in read_sentences(f"{DATA}/train.txt")]
    hypotheses = hypotheses[: args.sentences]
    machine = describe()
    print(f"{machine['cpu_model']} {machine['cpu_flags']}, {machine['usable_cpus']} CPUs")
    start = time.perf_counter()
    bleu = BLEU(references)
    counted = time.perf_counter() - start
    start = time.perf_counter()
    ours = {n: [bleu.sentence(h, n) for h in hypotheses] for n in (2, 3, 4, 5)}
    scored = time.perf_counter() - start
    smooth = SmoothingFunction().method1
    start = time.perf_counter()
    for n in (2, 3, 4, 5):
        for i, h in enumerate(hypotheses[: args.nltk_sentences]):
            theirs = sentence_bleu(references, h, (1.0 / n,) * n, smoothing_function=smooth)
            assert theirs == ours[n][i], (n, i, theirs, ours[n][i])
    per_sentence = (time.perf_counter() - start) / (4 * args.nltk_sentences)
    print(
        f"keras_gan: references counted in {counted:.2f} s; BLEU-2..5 of "
        f"{len(hypotheses)} sentences in {scored:.2f} s"
    )
    print(
        f"nltk: {per_sentence:.3f} s per sentence and order, so "
        f"{per_sentence * 4 * len(hypotheses) / 60:.0f} min for the same; "
        f"equal on the {args.nltk_sentences} sentences checked"
    )


if __name__ == "__main__":
    main()
