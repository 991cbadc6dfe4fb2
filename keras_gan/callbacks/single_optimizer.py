"""Keras callbacks that act on `model.optimizer`, which a GAN does not have."""

import keras

# Each with what to use instead on a GAN (d_optimizer and g_optimizer).
REPLACEMENTS = {
    keras.callbacks.LearningRateScheduler: "keras_gan.callbacks.LearningRateScheduler",
    keras.callbacks.ReduceLROnPlateau: "keras_gan.callbacks.ReduceLROnPlateau",
    keras.callbacks.SwapEMAWeights: (
        "GAN(generator_ema=decay), whose averaged generator is saved beside the trained one"
    ),
}


def refuse_single_optimizer_callbacks(callbacks):
    """Raises a ValueError for a Keras callback that would read `model.optimizer`.

    Keras' `LearningRateScheduler`, `ReduceLROnPlateau` and `SwapEMAWeights`
    act on `model.optimizer`; a GAN has two optimizers (`d_optimizer`,
    `g_optimizer`) and no `optimizer`, so they would fail at their first
    epoch with an AttributeError on None, after the first epoch's work.
    """
    for callback in callbacks or ():
        for stock, instead in REPLACEMENTS.items():
            if type(callback) is stock:
                raise ValueError(
                    f"keras.callbacks.{stock.__name__} acts on model.optimizer, and a GAN has "
                    "two optimizers (gan.d_optimizer, gan.g_optimizer) and no model.optimizer. "
                    f"Use {instead}. Received: callbacks containing {callback!r}"
                )
