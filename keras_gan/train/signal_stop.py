"""SIGINT and SIGTERM as a request to stop at the next safe point, not a kill."""

import signal
import threading


class SignalStop:
    """While installed, SIGINT or SIGTERM is recorded instead of ending the process.

    The work polls `stopped_by` (or is told through `on_signal`) and stops
    where its state can be saved; a second signal gets the handler that was
    there before (e.g. KeyboardInterrupt). Installs nothing off the main
    thread, where Python cannot set handlers.

        with SignalStop() as stop:
            for step in steps:
                work(step)
                if stop.stopped_by:
                    break

    Args:
        on_signal: called with no arguments on the first signal, or None.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, on_signal=None):
        self.on_signal = on_signal
        self.stopped_by = None  # the name of the first signal received
        self._previous = {}

    def install(self):
        if threading.current_thread() is threading.main_thread():
            for number in self.SIGNALS:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def restore(self):
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}

    def __enter__(self):
        return self.install()

    def __exit__(self, *exc_info):
        self.restore()

    def _handle(self, number, frame):
        self.stopped_by = signal.Signals(number).name
        signal.signal(number, self._previous.get(number, signal.SIG_DFL))
        if self.on_signal is not None:
            self.on_signal()
