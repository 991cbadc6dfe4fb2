"""`SignalStop`: the first SIGINT/SIGTERM asks to stop, a second acts as before."""

import signal
import threading

import keras
import pytest

from keras_gan.train import train
from keras_gan.train.signal_stop import SignalStop
from tests.train.test_trainer import tiny


def test_the_first_signal_is_recorded_and_a_second_gets_the_previous_handler():
    # A handler of the test's own before it: pytest-xdist's workers ignore SIGINT, so
    # Python's KeyboardInterrupt cannot be relied on here.
    earlier = []
    outer = signal.signal(signal.SIGINT, lambda number, frame: earlier.append(number))
    try:
        before = signal.getsignal(signal.SIGINT)
        asked = []
        with SignalStop(on_signal=lambda: asked.append(True)) as stop:
            signal.raise_signal(signal.SIGINT)
            assert stop.stopped_by == "SIGINT" and asked == [True] and earlier == []
            signal.raise_signal(signal.SIGINT)  # the second goes to the handler before
            assert earlier == [signal.SIGINT] and asked == [True]
        assert signal.getsignal(signal.SIGINT) is before
    finally:
        signal.signal(signal.SIGINT, outer)


def test_leaving_restores_the_handlers_it_replaced():
    before = signal.getsignal(signal.SIGTERM)
    with SignalStop() as stop:
        assert signal.getsignal(signal.SIGTERM) != before
    assert signal.getsignal(signal.SIGTERM) == before and stop.stopped_by is None


def test_off_the_main_thread_it_installs_nothing_rather_than_failing():
    before = signal.getsignal(signal.SIGTERM)
    errors = []

    def install():
        try:
            with SignalStop():
                pass
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    thread = threading.Thread(target=install)
    thread.start()
    thread.join()
    assert errors == [] and signal.getsignal(signal.SIGTERM) == before


class _Fails(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if batch == 2:
            raise RuntimeError("a callback failed")


def test_a_run_that_raises_gives_the_signals_back(tmp_path):
    # Keras skips on_train_end when fit raises; the run must not leave its handler
    # installed, or the next Ctrl-C in the session would be swallowed.
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(RuntimeError, match="a callback failed"):
        train(tiny(tmp_path / "run", epochs=1), [_Fails()])
    assert signal.getsignal(signal.SIGINT) is before
