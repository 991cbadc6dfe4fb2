"""Keeps a run safe: checkpoints every epoch and on SIGINT/SIGTERM, stops on NaN."""

import math
import time

import keras
import numpy as np

from keras_gan import run_layout
from keras_gan.train.signal_stop import SignalStop

WATCHED = ("d_loss", "g_loss")


class RunKeeper(keras.callbacks.Callback):
    """Checkpoints at every epoch end; stops cleanly on a signal or a NaN loss.

    A SIGINT or SIGTERM lets the current step finish, then stops `fit`, and
    the state at that step is checkpointed (a second signal acts as usual).
    An epoch whose mean `d_loss` or `g_loss` is not finite (a NaN in any step
    makes the mean NaN) stops `fit` without saving, so the last checkpoint
    stays the last good state. The run stops at the epoch's end, not at the
    bad step; the step named is the first whose running means (the logs Keras
    hands every batch callback, already on the host) were not finite: with
    `steps_per_execution=k`, the last step of the group of k it fell in.

    The history of epoch means travels inside each checkpoint, so a resumed
    run draws its loss curve from the first epoch. Each record also holds
    `seconds`, the epoch's wall time (its evaluation included, its
    checkpoint not), so a metric can be drawn against training time.

    With `monitor`, an epoch whose logs hold a better value of that entry
    than any before (`eval_validation_parzen`, higher is better) is also
    saved as the run's best checkpoint (`best/step-N`, only the newest
    kept), like `keras.callbacks.ModelCheckpoint(save_best_only=True)`; its
    state.json holds `best` = {"monitor", "value"}.

    Args:
        run: the `RunDirectory`.
        steps_per_epoch: updates per epoch.
        history: epoch records of the checkpoint being resumed, or `[]`.
        keep: checkpoints to keep.
        write: False on workers that must not write files.
        monitor: the log entry whose highest value picks the best checkpoint,
            or None.
        best: the monitored value of the best checkpoint so far (a resumed
            run's), or None.
    """

    def __init__(self, run, steps_per_epoch, history, keep, write=True, monitor=None, best=None):
        super().__init__()
        self.run = run
        self.steps_per_epoch = steps_per_epoch
        self.history = list(history)
        self.keep = keep
        self.write = write
        self.monitor = monitor
        self.best = best
        self._signals = SignalStop(on_signal=self._on_signal)
        # (loss name, value, epoch, (first step, last step), first non-finite step) of the
        # first non-finite epoch mean
        self.diverged = None
        self._first_non_finite_step = None
        self.last_checkpoint = None
        self._epoch_start_step = 0
        self._epoch_start_time = time.monotonic()

    def step(self):
        return int(keras.ops.convert_to_numpy(self.model.g_optimizer.iterations))

    @property
    def stopped_by(self):
        """The name of the signal that stopped the run, or None."""
        return self._signals.stopped_by

    def on_train_begin(self, logs=None):
        self._signals.install()

    def on_train_end(self, logs=None):
        self.release_signals()

    def release_signals(self):
        """Gives SIGINT and SIGTERM back to their previous handlers (again: harmless).

        Keras skips `on_train_end` when `fit` raises, so callers also call this
        in a `finally`, or a Ctrl-C after the error would be swallowed."""
        self._signals.restore()

    def _on_signal(self):
        self.model.stop_training = True

    # Its batch hook only reads the logs it is given: Keras may run it in a thread.
    async_safe = True

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start_step = self.step()
        self._epoch_start_time = time.monotonic()
        self._first_non_finite_step = None

    def on_train_batch_end(self, batch, logs=None):
        if self._first_non_finite_step is not None or not logs:
            return
        if any(not math.isfinite(float(logs.get(name, 0.0))) for name in WATCHED):
            self._first_non_finite_step = self._epoch_start_step + batch + 1

    def on_epoch_end(self, epoch, logs=None):
        step = self.step()
        for name in WATCHED:
            value = float(np.asarray((logs or {}).get(name, 0.0)))
            if not math.isfinite(value):
                steps = (self._epoch_start_step + 1, step)
                self.diverged = (name, value, epoch + 1, steps, self._first_non_finite_step)
                self.model.stop_training = True
                return
        record = {name: float(np.asarray(value)) for name, value in (logs or {}).items()}
        # `steps` counts this fit's steps: an epoch resumed halfway has two records.
        record.update(
            epoch=epoch + 1,
            steps=step - self._epoch_start_step,
            seconds=time.monotonic() - self._epoch_start_time,
        )
        self._merge(record)
        if self.write:
            state = {"step": step, "steps_per_epoch": self.steps_per_epoch}
            state["history"] = self.history
            self.last_checkpoint = self.run.save_checkpoint(self.model, state, self.keep)
        self._keep_if_best(record, step)

    def _keep_if_best(self, record, step):
        value = record.get(self.monitor) if self.monitor else None
        if value is None or not math.isfinite(value):
            return
        if self.best is not None and value <= self.best:
            return
        self.best = value
        if self.write:
            state = {"step": step, "steps_per_epoch": self.steps_per_epoch}
            state["best"] = {"monitor": self.monitor, "value": value}
            state["history"] = self.history
            self.run.save_checkpoint(self.model, state, keep=1, kind=run_layout.BEST)

    def _merge(self, record):
        """Adds an epoch record; the two halves of an interrupted epoch become one."""
        if self.history and self.history[-1]["epoch"] == record["epoch"]:
            first = self.history.pop()
            total = first["steps"] + record["steps"]
            merged = {
                name: (first[name] * first["steps"] + record[name] * record["steps"]) / total
                for name in record
                if name in first and name not in ("epoch", "steps", "seconds")
            }
            # Values measured once at the epoch's end (eval_*) come from the second half.
            record = {**record, **merged, "steps": total}
            if "seconds" in first:  # absent in records of runs from before 0.8
                record["seconds"] = first["seconds"] + record["seconds"]
        self.history.append(record)

    def complete_history(self):
        """Records of whole epochs, for the loss curve."""
        return [r for r in self.history if r["steps"] == self.steps_per_epoch]
