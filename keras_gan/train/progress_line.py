"""The epoch's progress line: honest about an epoch a signal stopped, alive in a log file."""

import time

import keras
import numpy as np

EVERY_SECONDS = 60.0  # between a log file's lines inside an epoch


class StepsDoneProgbarLogger(keras.callbacks.ProgbarLogger):
    """Keras' `ProgbarLogger`, except that a stopped epoch shows the steps it ran,
    and a log file hears from a long epoch.

    Keras finishes every epoch's line at the epoch's length, so a run stopped
    by SIGTERM after 5 of 781 steps printed `781/781`. Here an epoch that
    ends with `model.stop_training` set before its last step shows `5/781`.

    Off a terminal (`verbose=2`: output to a file, nohup, CI) Keras prints one
    line per epoch, and a CIFAR-10 epoch on a CPU core lasts 4 to 15 minutes
    of silence. Here a plain line also comes about every `every_seconds`
    (default `EVERY_SECONDS`) inside the epoch, with the metrics as Keras'
    epoch line shows them (means over the epoch so far):
    `  250/781 steps, 95 s, about 202 s left - d_loss: 1.6477 - ...`.
    """

    # As Keras' own: it adds its logger after deciding which callbacks may run in a
    # thread, so that one never stops Keras dispatching batch callbacks asynchronously.
    async_safe = True

    def __init__(self, every_seconds=None):
        super().__init__()
        self.every_seconds = float(EVERY_SECONDS if every_seconds is None else every_seconds)
        self._epoch_started = self._printed = None

    def on_epoch_begin(self, epoch, logs=None):
        super().on_epoch_begin(epoch, logs)
        self._epoch_started = self._printed = time.monotonic()

    def _update_progbar(self, batch, logs=None):
        super()._update_progbar(batch, logs)
        if self.verbose != 2 or self._epoch_started is None:
            return
        now = time.monotonic()
        if now - self._printed < self.every_seconds or self.seen >= (self.target or 0):
            return  # the epoch's own line comes at its end
        self._printed = now
        elapsed = now - self._epoch_started
        remaining = elapsed * (self.target - self.seen) / self.seen
        line = f"  {self.seen}/{self.target} steps, {elapsed:.0f} s, about {remaining:.0f} s left"
        for name, value in (logs or {}).items():
            value = np.asarray(value)
            if value.size == 1:
                line += f" - {name}: {float(value):.4f}"
        print(line, flush=True)

    def on_epoch_end(self, epoch, logs=None):
        stopped = getattr(self.model, "stop_training", False)
        if stopped and self.progbar is not None and 0 < self.seen < (self.target or 0):
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=True)
            return
        super().on_epoch_end(epoch, logs)
