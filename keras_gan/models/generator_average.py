"""An exponential moving average of the generator's weights.

Why not the optimizers' `use_ema=True`: Keras writes the average into the
model's own weights at the end of `fit` (`finalize_variable_values`), so the
game would resume from the averaged generator instead of the trained one,
and nothing can sample from the average while training runs. Here the
average is a second generator next to the trained one, saved with the GAN.

Reference:
    Karras et al., "Progressive Growing of GANs", ICLR 2018, arXiv:1710.10196;
    Yazici et al., "The Unusual Effectiveness of Averaging in GAN Training",
    ICLR 2019, arXiv:1806.04498.
"""

import keras


def average_copy(generator, probe, name):
    """A new generator of the same architecture, built on `probe`, with its weights."""
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
    return copy


def update_average(average, generator, decay):
    """average <- decay * average + (1 - decay) * weights; other state is copied.

    Batch-norm moving statistics (non-trainable weights) are copied from the
    generator: they describe the activations of its current weights.
    """
    for mean, value in zip(average.weights, generator.weights, strict=True):
        if value.trainable:
            mean.assign(decay * mean + (1.0 - decay) * keras.ops.cast(value, mean.dtype))
        else:
            mean.assign(value)
