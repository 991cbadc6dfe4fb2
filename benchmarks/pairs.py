"""The two model pairs the benchmarks measure, built exactly as their flagfiles say."""

import pathlib

import numpy as np
from absl import flags

from keras_gan.train import cli
from keras_gan.train.builders import build_gan as build_from_config

REPO = pathlib.Path(__file__).resolve().parent.parent
PAIRS = {
    "paper": REPO / "configs" / "paper_mnist.cfg",
    "dcgan": REPO / "configs" / "dcgan_mnist.cfg",
}
IMAGE_SHAPE = (28, 28, 1)


def config(pair, batch_size):
    """The `TrainConfig` of `configs/<pair>.cfg` with `batch_size`."""
    values = flags.FlagValues()
    cli.define_flags(values)
    values(["benchmark", f"--flagfile={PAIRS[pair]}", f"--batch_size={batch_size}"])
    return cli.config_from_flags(values)


def build_gan(pair, batch_size, jit_compile):
    """The compiled GAN of `configs/<pair>.cfg` for MNIST-shaped images, with `jit_compile`."""
    gan = build_from_config(
        config(pair, batch_size), IMAGE_SHAPE, steps_per_epoch=500, pixel_means=np.full(784, 0.13)
    )
    compile_config = gan.get_compile_config()
    compile_config["jit_compile"] = jit_compile
    gan.compile_from_config(compile_config)
    return gan
