"""Seconds per step of the three ways to train a text generator, at COCO's shapes.

MLE (teacher forcing, 64 sequences), the Gumbel-softmax GAN (5 D minibatches of 64
and one G step) and SeqGAN (the same, G's step rewarded by 16 rollouts per prefix),
on random ids of COCO's vocabulary (6,096 ids) and length (36), side by side in one
process. Median of --steps steps after two warm-up steps. --generators times each model
with each generator cell (RelGAN's relational memory against the LSTM: the same models,
side by side in one process).

Usage:
    python benchmarks/text_step_times.py [--steps=5] [--rollouts=16]
    python benchmarks/text_step_times.py --vocab_size=5000 --length=20 \
        --models=mle,gumbel_gan --generators=lstm,relational_memory   # the oracle's shapes
"""

import pathlib
import statistics
import sys
import time

from absl import app
from absl import flags

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

flags.DEFINE_integer("steps", 5, "Timed steps per model.")
flags.DEFINE_integer("rollouts", 16, "SeqGAN's completions per prefix.")
flags.DEFINE_integer("vocab_size", 6096, "Token ids (COCO captions: 6,096).")
flags.DEFINE_integer("length", 36, "Tokens per sequence (COCO captions: 36).")
flags.DEFINE_list("models", ["mle", "gumbel_gan", "seqgan"], "Any of mle, gumbel_gan, seqgan.")
flags.DEFINE_list(
    "generators",
    ["lstm"],
    "G's cells: lstm (32 units) and/or relational_memory (RelGAN's: 1 slot, 2 heads of "
    "--memory_head_size).",
)
flags.DEFINE_integer("memory_head_size", 256, "The relational memory's head size (RelGAN: 256).")
FLAGS = flags.FLAGS
MODELS = ("mle", "gumbel_gan", "seqgan")
GENERATORS = ("lstm", "relational_memory")


def median_seconds(model, batches, steps):
    iterator = iter(batches)
    for _ in range(2):
        model.train_on_batch(*next(iterator))
    times = []
    for _ in range(steps):
        batch = next(iterator)
        start = time.perf_counter()
        model.train_on_batch(*batch)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv):
    del argv
    _check_flags()
    import keras
    import numpy as np
    import tensorflow as tf

    from benchmarks.machine import describe
    from keras_gan.models import MaximumLikelihood
    from keras_gan.models import SeqGAN
    from keras_gan.models import TextDiscriminator
    from keras_gan.models import TextGenerator
    from keras_gan.models import text_gan

    size, length = FLAGS.vocab_size, FLAGS.length
    ids = np.random.default_rng(0).integers(0, size, (3200, length)).astype("int32")
    machine = describe()
    print(f"{machine['cpu_model']}, {machine['usable_cpus']} usable CPUs; {FLAGS.steps} steps")

    def batches(batch_size, transform):
        data = tf.data.Dataset.from_tensor_slices(ids).repeat().batch(batch_size)
        return data.map(transform)

    from keras_gan.layers import RelationalMemoryCell

    def generator(cell):
        memory = RelationalMemoryCell(1, FLAGS.memory_head_size, 2)
        return TextGenerator(size, length, cell=memory if cell == "relational_memory" else None)

    results = {}
    for cell in FLAGS.generators:
        keras.utils.set_random_seed(0)
        if "mle" in FLAGS.models:
            mle = MaximumLikelihood(generator(cell))
            mle.compile(keras.optimizers.Adam(1e-2))
            results[f"MLE, batch 64, {cell}"] = median_seconds(
                mle, batches(64, lambda x: (x, x)), FLAGS.steps
            )
        if "gumbel_gan" in FLAGS.models:
            gan = text_gan(size, length, generator=generator(cell), d_steps=5, seed=0)
            gan.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))
            one_hot = batches(320, lambda x: (tf.one_hot(x, size),))
            name = f"Gumbel GAN, 5 x 64 D + 64 G, {cell}"
            results[name] = median_seconds(gan, one_hot, FLAGS.steps)
        if "seqgan" in FLAGS.models:
            seqgan = SeqGAN(
                generator(cell), TextDiscriminator(size), FLAGS.rollouts, d_steps=5, seed=0
            )
            seqgan.compile()
            name = f"SeqGAN, 5 x 64 D + 64 G, {FLAGS.rollouts} rollouts, {cell}"
            results[name] = median_seconds(seqgan, batches(320, lambda x: (x,)), FLAGS.steps)

    base_name, base = next(iter(results.items()))
    for name, seconds in results.items():
        print(f"{name}: {seconds * 1000:.0f} ms per step ({seconds / base:.1f}x {base_name})")


def _check_flags():
    for name, values, choices in (
        ("models", FLAGS.models, MODELS),
        ("generators", FLAGS.generators, GENERATORS),
    ):
        if not values or any(v not in choices for v in values):
            raise app.UsageError(
                f"--{name} takes any of {', '.join(choices)}. Received: --{name}={','.join(values)}"
            )


if __name__ == "__main__":
    app.run(main)
