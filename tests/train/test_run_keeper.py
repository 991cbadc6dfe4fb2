"""The epoch records a run keeps: what its loss and metric curves are drawn from."""

import types

import keras
import pytest

from keras_gan.train import run_keeper
from keras_gan.train.run_keeper import RunKeeper


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _epoch(keeper, clock, step_from, step_to, seconds, d_loss):
    keeper.model.g_optimizer.iterations.assign(step_from)
    keeper.on_epoch_begin(0)
    keeper.model.g_optimizer.iterations.assign(step_to)
    clock.now += seconds
    keeper.on_epoch_end(0, {"d_loss": d_loss, "g_loss": 0.5})


def test_an_epoch_split_by_a_resume_is_one_record_with_both_halves_time(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(run_keeper.time, "monotonic", clock)
    model = types.SimpleNamespace(
        g_optimizer=types.SimpleNamespace(iterations=keras.Variable(0, dtype="int64"))
    )
    first = RunKeeper(None, steps_per_epoch=10, history=[], keep=1, write=False)
    first.set_model(model)
    _epoch(first, clock, 0, 4, seconds=2.0, d_loss=1.0)  # stopped after 4 of 10 steps
    assert first.history == [{"d_loss": 1.0, "g_loss": 0.5, "epoch": 1, "steps": 4, "seconds": 2.0}]
    resumed = RunKeeper(None, steps_per_epoch=10, history=first.history, keep=1, write=False)
    resumed.set_model(model)
    clock.now += 3600.0  # the hour the run was stopped does not count
    _epoch(resumed, clock, 4, 10, seconds=3.0, d_loss=2.0)
    (record,) = resumed.history
    assert (record["epoch"], record["steps"]) == (1, 10)
    assert record["seconds"] == pytest.approx(5.0)  # summed, not averaged
    assert record["d_loss"] == pytest.approx((4 * 1.0 + 6 * 2.0) / 10)  # a mean per step
    assert resumed.complete_history() == [record]
