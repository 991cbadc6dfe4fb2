"""An exponential moving average of the generator's weights.

Why not the optimizers' `use_ema=True`: Keras writes the average into the
model's own weights at the end of `fit` (`finalize_variable_values`), so the
game would resume from the averaged generator instead of the trained one,
and nothing can sample from the average while training runs. Here the
average is a second generator next to the trained one, saved with the GAN.

Batch normalisation: the average keeps moving statistics of its own
activations. The trained generator's statistics describe other weights: an
average of weights that moved in different directions has smaller
activations, so normalising them with the trained generator's variances
shrinks its samples towards a grey mean (measured on CIFAR-10 after 1,560
steps: pixel standard deviation over samples 0.035 with copied statistics,
0.195 with its own, 0.21 for the trained generator). Brock et al. (2019,
BigGAN) recompute them after training ("standing statistics"); here the
average runs forward on each generator step's noise in training mode, so its
statistics track it as the trained generator's track it, and every
checkpoint, picture and export has them.

Reference:
    Karras et al., "Progressive Growing of GANs", ICLR 2018, arXiv:1710.10196;
    Yazici et al., "The Unusual Effectiveness of Averaging in GAN Training",
    ICLR 2019, arXiv:1806.04498; Brock et al., "Large Scale GAN Training
    for High Fidelity Natural Image Synthesis", ICLR 2019, arXiv:1809.11096
    (their "standing statistics").
"""

import math

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="keras_gan")
class RampedAverage:
    """The decay of a weight average that ramps in, as StyleGAN2-ADA's G_ema.

    StyleGAN2-ADA gives the average a half-life of min(H, `ramp_up` x images
    seen) images, H being that of `decay`. With a constant batch that is, in
    updates: after n updates of G the decay is min(decay, 0.5 ** (1 /
    (ramp_up x n))), and 0 at the first (the average becomes G). So early on
    the average forgets its start within 5% of the steps taken (ramp_up
    0.05), and once ramp_up x n passes `decay`'s half-life the decay is
    `decay`. A fixed decay of 0.9999 instead still holds 37% of the
    initial weights after 10,000 steps (0.9999 ** 10,000).

    Args:
        decay: the decay per update after the ramp, in (0, 1) (StyleGAN2-ADA's
            half-life of 500 kimg is 0.99991 per batch of 64).
        ramp_up: the ramp's slope (StyleGAN2-ADA's `ema_rampup`, 0.05).

    Reference:
        NVlabs/stylegan2-ada-pytorch, training/training_loop.py (`ema_nimg`,
        `ema_rampup`, `ema_beta`).
    """

    def __init__(self, decay, ramp_up=0.05):
        self.decay = float(decay)
        self.ramp_up = float(ramp_up)
        if not 0.0 < self.decay < 1.0:
            raise ValueError(f"`decay` must be in (0, 1). Received: decay={decay}")
        if not (math.isfinite(self.ramp_up) and self.ramp_up > 0):
            raise ValueError(f"`ramp_up` must be a number > 0. Received: ramp_up={ramp_up}")

    def __call__(self, updates_before):
        """The decay of the update that follows `updates_before` updates of G."""
        steps = tf.cast(updates_before, tf.float32) * self.ramp_up
        ramped = tf.pow(0.5, 1.0 / tf.maximum(steps, 1e-8))
        return tf.minimum(ramped, self.decay)

    def get_config(self):
        return {"decay": self.decay, "ramp_up": self.ramp_up}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"RampedAverage(decay={self.decay}, ramp_up={self.ramp_up})"


def check_average(generator_ema):
    """`generator_ema` as `GAN` keeps it: None, a float decay in [0, 1), or a
    `RampedAverage` (a serialised one is restored)."""
    if generator_ema is None or isinstance(generator_ema, RampedAverage):
        return generator_ema
    if isinstance(generator_ema, dict):
        return keras.saving.deserialize_keras_object(generator_ema)
    if not 0.0 <= float(generator_ema) < 1.0:
        raise ValueError(
            "`generator_ema` is the decay of the generator's weight average, in [0, 1), or a "
            f"RampedAverage. Received: generator_ema={generator_ema}"
        )
    return float(generator_ema)


def average_copy(generator, probe, name):
    """A new generator of the same architecture, built on `probe`, with its weights.

    The copy is not trainable (no optimizer sees its weights), except that
    its batch-normalisation layers normalise with batch statistics and update
    their moving statistics when called with `training=True`
    (`track_statistics`); their scale and offset stay out of every
    `trainable_weights`.
    """
    config = keras.saving.serialize_keras_object(generator)
    if isinstance(config.get("config"), dict) and "name" in config["config"]:
        config["config"]["name"] = name
    copy = keras.saving.deserialize_keras_object(config)
    copy(probe, training=False)
    if len(copy.weights) != len(generator.weights):
        raise ValueError(
            "The generator could not be copied for its weight average: the copy rebuilt from "
            f"its config has {len(copy.weights)} weights, the generator {len(generator.weights)}. "
            "Make its get_config/from_config describe every layer."
        )
    copy.set_weights(generator.get_weights())
    copy.trainable = False
    for layer in batch_normalizations(copy):
        # Keras runs a BatchNormalization layer in inference mode unless it is trainable.
        layer.trainable = True
        for variable in layer.trainable_weights:
            variable.trainable = False
    return copy


def batch_normalizations(model):
    """The `keras.layers.BatchNormalization` layers inside `model`, nested ones too."""
    return [
        layer
        for layer in model._flatten_layers(include_self=False, recursive=True)
        if isinstance(layer, keras.layers.BatchNormalization)
    ]


def update_average(average, generator, decay):
    """average <- decay * average + (1 - decay) * weights; other state is copied.

    Non-trainable weights are copied from the generator, except the moving
    statistics of batch normalisation, which the average keeps of its own
    activations (`track_statistics`).
    """
    own = {id(variable) for variable in _moving_statistics(average)}
    for mean, value in zip(average.weights, generator.weights, strict=True):
        if value.trainable:
            mean.assign(decay * mean + (1.0 - decay) * keras.ops.cast(value, mean.dtype))
        elif id(mean) not in own:
            mean.assign(value)


def track_statistics(average, inputs):
    """Updates the average's batch-normalisation statistics from one forward pass.

    Returns whether there were any to update (a generator without batch
    normalisation is not run).
    """
    if not _moving_statistics(average):
        return False
    average(inputs, training=True)
    return True


def _moving_statistics(model):
    return [
        variable
        for layer in batch_normalizations(model)
        for variable in (layer.moving_mean, layer.moving_variance)
    ]
