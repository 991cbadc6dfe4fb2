"""`keras.callbacks.ReduceLROnPlateau` for a GAN's two optimizers."""

import keras
import numpy as np

from keras_gan.callbacks.optimizer_choice import check_choice
from keras_gan.callbacks.optimizer_choice import chosen_optimizers


class ReduceLROnPlateau(keras.callbacks.Callback):
    """Multiplies the chosen optimizers' learning rates by `factor` when a
    logged value stops improving.

    The same rule as `keras.callbacks.ReduceLROnPlateau` (which reads
    `model.optimizer` and so fails on a GAN): after `patience` epochs without
    an improvement of more than `min_delta` in `monitor`, every chosen
    optimizer's rate becomes `max(rate * factor, min_lr)`, then `cooldown`
    epochs pass before the count starts again. A GAN's losses are no measure
    of quality; monitor an evaluation (`eval_fid` from `PeriodicEvaluation`)
    or a validation loss.

    Args:
        monitor: name of the epoch log value, e.g. `"eval_fid"`, `"val_d_loss"`.
        optimizers: `"both"`, `"discriminator"` or `"generator"`.
        factor: in (0, 1).
        patience: epochs without improvement before a reduction.
        mode: `"min"` (lower is better) or `"max"`.
        min_delta: smallest change that counts as an improvement.
        cooldown: epochs after a reduction before counting again.
        min_lr: lower bound of the rates.
        verbose: 1 prints each reduction.
    """

    def __init__(
        self,
        monitor,
        optimizers="both",
        factor=0.1,
        patience=10,
        mode="min",
        min_delta=1e-4,
        cooldown=0,
        min_lr=0.0,
        verbose=0,
    ):
        super().__init__()
        if not 0.0 < factor < 1.0:
            raise ValueError(f"`factor` must be in (0, 1). Received: factor={factor!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"`mode` must be 'min' or 'max'. Received: mode={mode!r}")
        self.monitor = monitor
        self.optimizers = check_choice(optimizers)
        self.factor = float(factor)
        self.patience = int(patience)
        self.mode = mode
        self.min_delta = abs(float(min_delta))
        self.cooldown = int(cooldown)
        self.min_lr = float(min_lr)
        self.verbose = verbose
        self.best = None
        self.wait = 0
        self.cooldown_counter = 0

    def on_train_begin(self, logs=None):
        chosen_optimizers(self.model, self.optimizers)  # fail before the first epoch
        self.best, self.wait, self.cooldown_counter = None, 0, 0

    def _improved(self, value):
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor not in logs:
            return  # e.g. an evaluation that runs every few epochs only
        value = float(np.asarray(logs[self.monitor]))
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(value):
            self.best, self.wait = value, 0
            return
        if self.cooldown_counter > 0:
            return
        self.wait += 1
        if self.wait < self.patience:
            return
        for prefix, optimizer in chosen_optimizers(self.model, self.optimizers).items():
            current = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
            rate = max(current * self.factor, self.min_lr)
            optimizer.learning_rate = rate
            if self.verbose and rate < current:
                print(f"Epoch {epoch + 1}: {prefix}_learning_rate {current:g} -> {rate:g}")
        self.cooldown_counter, self.wait = self.cooldown, 0
