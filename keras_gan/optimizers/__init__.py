"""Optimizers and schedules for reproducing the 2014 paper's training."""

from keras_gan.optimizers.scheduled_momentum_sgd import ScheduledMomentumSGD
from keras_gan.optimizers.scheduled_momentum_sgd import paper_mnist_sgd
from keras_gan.optimizers.schedules import FlooredExponentialDecay
from keras_gan.optimizers.schedules import LinearRamp

__all__ = [
    "FlooredExponentialDecay",
    "LinearRamp",
    "ScheduledMomentumSGD",
    "paper_mnist_sgd",
]
