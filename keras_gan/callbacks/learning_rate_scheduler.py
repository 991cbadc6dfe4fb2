"""`keras.callbacks.LearningRateScheduler` for a GAN's two optimizers."""

import keras

from keras_gan.callbacks.optimizer_choice import check_choice
from keras_gan.callbacks.optimizer_choice import chosen_optimizers


class LearningRateScheduler(keras.callbacks.Callback):
    """Sets the learning rate of one or both of a GAN's optimizers every epoch.

    Keras' own `LearningRateScheduler` reads `model.optimizer`, which a GAN
    does not have (it has `d_optimizer` and `g_optimizer`) and fails. This one
    calls `schedule(epoch, learning_rate)` for each chosen optimizer at the
    start of every epoch with that optimizer's current rate, and logs the
    rates as `d_learning_rate` / `g_learning_rate`.

    Args:
        schedule: function `(epoch, learning_rate) -> new learning_rate`
            (epoch from 0).
        optimizers: `"both"`, `"discriminator"` or `"generator"`.
        verbose: 1 prints each change.

    Example:
        >>> halve = lambda epoch, lr: lr * 0.5 if epoch and epoch % 10 == 0 else lr
        >>> gan.fit(images, epochs=30, callbacks=[LearningRateScheduler(halve)])
    """

    def __init__(self, schedule, optimizers="both", verbose=0):
        super().__init__()
        self.schedule = schedule
        self.optimizers = check_choice(optimizers)
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        for prefix, optimizer in chosen_optimizers(self.model, self.optimizers).items():
            current = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
            rate = self.schedule(epoch, current)
            try:
                rate = float(rate)
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"The schedule must return a number. Received: {rate!r} for epoch {epoch}"
                ) from error
            optimizer.learning_rate = rate
            if self.verbose and rate != current:
                print(f"Epoch {epoch + 1}: {prefix}_learning_rate {current:g} -> {rate:g}")

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for prefix, optimizer in chosen_optimizers(self.model, self.optimizers).items():
            logs[f"{prefix}_learning_rate"] = float(
                keras.ops.convert_to_numpy(optimizer.learning_rate)
            )
