"""COCO captions: maximum likelihood against the Gumbel-softmax GAN, across temperatures.

One seed per process. G is pretrained by maximum likelihood (MLE, the
baseline), scored, then trained on by the GAN from that point and scored again.
Each is scored at several sampling temperatures (Caccia et al., ICLR 2020):
BLEU-2..5 of --num_samples sentences against all test captions (RelGAN's
references), self-BLEU-2..5 of the first 500 (Texygen's), the per-token NLL of
the test captions and of the training ones (RelGAN's NLL_gen). Writes
OUT/seed_N.json and the two generators' weights.

Usage:
    python benchmarks/text_gan_vs_mle.py --seed=0 --out=runs/text_coco
"""

import json
import os
import pathlib
import sys
import time

from absl import app
from absl import flags

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATA = os.environ.get(
    "KERAS_GAN_COCO_CAPTIONS_DIR", str(REPO / ".." / "shared" / "data" / "coco_captions")
)

flags.DEFINE_integer("seed", 0, "Seed of the weights, batches and noise.")
flags.DEFINE_string("out", "runs/text_coco", "Folder for the JSON and weights.")
flags.DEFINE_string("text_file", f"{DATA}/train.txt", "Training captions.")
flags.DEFINE_string("test_file", f"{DATA}/test.txt", "Test captions (BLEU references, NLL_gen).")
flags.DEFINE_integer("pretrain_epochs", 40, "MLE epochs (RelGAN: 150).")
flags.DEFINE_integer("adversarial_steps", 800, "Generator updates of the GAN.")
flags.DEFINE_integer("d_steps", 5, "Discriminator updates per generator update (RelGAN: 5).")
flags.DEFINE_float("max_inverse_temperature", 100.0, "RelGAN's beta_max (100 or 1000).")
flags.DEFINE_string("loss", "relativistic_average", "GAN loss.")
flags.DEFINE_float("learning_rate", 1e-4, "Adam learning rate of both players (RelGAN).")
flags.DEFINE_list("temperatures", ["0.7", "0.8", "0.9", "1.0", "1.1"], "Sampling temperatures.")
flags.DEFINE_integer("num_samples", 2000, "Sentences scored by BLEU per temperature.")
flags.DEFINE_integer("batch_size", 64, "Sentences per MLE batch and per D minibatch.")
flags.DEFINE_bool(
    "rescore",
    False,
    "Train nothing: score the weights a finished run saved again (same seeds, same samples) "
    "and rewrite OUT/seed_N.json's scores, keeping its curve and times.",
)
FLAGS = flags.FLAGS


def main(argv):
    del argv
    import keras
    import tensorflow as tf

    from benchmarks.machine import describe
    from keras_gan.callbacks import GumbelTemperature
    from keras_gan.models import MaximumLikelihood
    from keras_gan.models import TextGenerator
    from keras_gan.models import text_gan
    from keras_gan.text import Corpus
    from keras_gan.text import read_sentences
    from keras_gan.text.evaluation import TextEvaluation

    out = pathlib.Path(FLAGS.out)
    out.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(FLAGS.seed)
    corpus = Corpus.from_file(FLAGS.text_file)
    test_ids = corpus.encode_file(FLAGS.test_file)
    evaluation = TextEvaluation(
        read_sentences(FLAGS.test_file), test_ids, FLAGS.num_samples, train_ids=corpus.ids
    )
    temperatures = [float(t) for t in FLAGS.temperatures]
    size, length = corpus.vocabulary.size, corpus.length
    result = {
        "flags": FLAGS.flag_values_dict(),
        "machine": describe(),
        "vocab_size": size,
        "length": length,
        "curve": [],
    }

    def score(name, generator):
        start = time.perf_counter()
        rows = [evaluation(generator, corpus.vocabulary, t, seed=FLAGS.seed) for t in temperatures]
        result[name] = rows
        one = next(r for r in rows if r["temperature"] == 1.0)
        print(
            f"{name}: T=1 BLEU-2..5 "
            + " ".join(f"{one[f'bleu{n}']:.3f}" for n in (2, 3, 4, 5))
            + f", self-BLEU-4 {one['self_bleu4']:.3f}, NLL test {one['nll_test']:.3f} "
            f"({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        for sentence in one["samples"][:3]:
            print("   ", sentence, flush=True)

    generator = TextGenerator(size, length)
    if FLAGS.rescore:
        previous = json.loads((out / f"seed_{FLAGS.seed}.json").read_text())
        result.update({k: previous[k] for k in ("curve", "mle_seconds", "gan_seconds")})
        for name in ("mle", "gan"):
            generator.build()
            generator.load_weights(out / f"seed_{FLAGS.seed}_{name}.weights.h5")
            score(name, generator)
        (out / f"seed_{FLAGS.seed}.json").write_text(json.dumps(result, indent=1))
        return
    mle = MaximumLikelihood(generator)
    mle.compile(keras.optimizers.Adam(1e-2))  # RelGAN's and Texygen's pretraining rate

    class Curve(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if (epoch + 1) % 5 == 0:
                nll = mle.evaluate(test_ids, test_ids, batch_size=500, verbose=0)
                result["curve"].append(
                    {"epoch": epoch + 1, "train_nll": logs["loss"], "nll_test": nll}
                )
                print(
                    f"MLE epoch {epoch + 1}: train NLL {logs['loss']:.4f}, NLL test {nll:.4f}",
                    flush=True,
                )

    start = time.perf_counter()
    mle.fit(
        corpus.ids,
        corpus.ids,
        batch_size=FLAGS.batch_size,
        epochs=FLAGS.pretrain_epochs,
        shuffle=True,
        verbose=0,
        callbacks=[Curve()],
    )
    result["mle_seconds"] = time.perf_counter() - start
    generator.save_weights(out / f"seed_{FLAGS.seed}_mle.weights.h5")
    score("mle", generator)

    gan = text_gan(size, length, generator=generator, d_steps=FLAGS.d_steps, seed=FLAGS.seed)
    gan.compile(
        keras.optimizers.Adam(FLAGS.learning_rate),
        keras.optimizers.Adam(FLAGS.learning_rate),
        loss=FLAGS.loss,
    )
    batches = (
        tf.data.Dataset.from_tensor_slices(corpus.ids)
        .shuffle(len(corpus.ids), seed=FLAGS.seed)
        .repeat()
        .batch(FLAGS.batch_size * FLAGS.d_steps, drop_remainder=True)
        .map(lambda ids: tf.one_hot(ids, size))
        .prefetch(2)
    )

    class Progress(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(
                f"GAN step {(epoch + 1) * 100}: "
                + ", ".join(f"{k} {v:.3f}" for k, v in logs.items())
                + f", beta {float(generator.inverse_temperature.numpy()):.1f}",
                flush=True,
            )

    start = time.perf_counter()
    gan.fit(
        batches,
        epochs=FLAGS.adversarial_steps // 100,
        steps_per_epoch=100,
        verbose=0,
        callbacks=[
            GumbelTemperature(FLAGS.max_inverse_temperature, FLAGS.adversarial_steps),
            Progress(),
        ],
    )
    result["gan_seconds"] = time.perf_counter() - start
    generator.save_weights(out / f"seed_{FLAGS.seed}_gan.weights.h5")
    score("gan", generator)
    (out / f"seed_{FLAGS.seed}.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    app.run(main)
