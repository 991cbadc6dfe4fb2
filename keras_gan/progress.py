"""Progress of long evaluations: Keras' bar on a terminal, plain lines in a log file."""

import sys
import time

import keras


def progress_bar(total, unit_name, stream=None, every_seconds=60.0):
    """A progress display with Keras' `Progbar` interface (`update(current)`, `add(n)`).

    On a terminal it is `keras.utils.Progbar`. Elsewhere (output redirected
    to a file, CI) Keras' bar would still write carriage returns and colour
    codes into the file, since it takes any POSIX system for a live display;
    this writes a plain line instead at the start, about every
    `every_seconds`, and at the end.
    """
    stream = stream or sys.stdout
    if getattr(stream, "isatty", lambda: False)():
        return keras.utils.Progbar(total, unit_name=unit_name)
    return PlainProgress(total, unit_name, stream, every_seconds)


class PlainProgress:
    """`done/total units, elapsed, remaining` lines, without terminal control codes."""

    def __init__(self, total, unit_name, stream, every_seconds):
        self.total = int(total)
        self.unit_name = unit_name
        self.stream = stream
        self.every_seconds = float(every_seconds)
        self.current = 0
        self.started = time.monotonic()
        self.printed = None

    def add(self, count):
        self.update(self.current + count)

    def update(self, current):
        self.current = int(current)
        now = time.monotonic()
        due = self.printed is None or now - self.printed >= self.every_seconds
        if not (due or self.current >= self.total):
            return
        self.printed = now
        elapsed = now - self.started
        line = f"{self.current}/{self.total} {self.unit_name}s, {elapsed:.0f} s"
        if 0 < self.current < self.total:
            remaining = elapsed * (self.total - self.current) / self.current
            line += f", about {remaining:.0f} s left"
        print(line, file=self.stream, flush=True)
