"""The epoch's progress line, honest about an epoch a signal stopped."""

import keras


class StepsDoneProgbarLogger(keras.callbacks.ProgbarLogger):
    """Keras' `ProgbarLogger`, except that a stopped epoch shows the steps it ran.

    Keras finishes every epoch's line at the epoch's length, so a run stopped
    by SIGTERM after 5 of 781 steps printed `781/781`. Here an epoch that
    ends with `model.stop_training` set before its last step shows `5/781`.
    """

    # As Keras' own: it adds its logger after deciding which callbacks may run in a
    # thread, so that one never stops Keras dispatching batch callbacks asynchronously.
    async_safe = True

    def on_epoch_end(self, epoch, logs=None):
        stopped = getattr(self.model, "stop_training", False)
        if stopped and self.progbar is not None and 0 < self.seen < (self.target or 0):
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=True)
            return
        super().on_epoch_end(epoch, logs)
