"""Progress of long evaluations: plain lines when the output is not a terminal."""

import io

import numpy as np

from keras_gan.metrics.parzen import parzen_log_likelihood
from keras_gan.progress import progress_bar


def test_a_log_file_gets_plain_lines_without_terminal_codes(capsys):
    # Keras' Progbar takes any POSIX system for a live display: redirected to a
    # file, evaluate.py's bars filled it with carriage returns and colour codes.
    rng = np.random.default_rng(0)
    parzen_log_likelihood(rng.normal(size=(250, 3)), rng.normal(size=(40, 3)), 0.5, 100, True)
    output = capsys.readouterr().out
    assert "\r" not in output and "\x1b" not in output
    lines = output.splitlines()
    assert lines[0].startswith("100/250 points") and lines[-1].startswith("250/250 points")


def test_plain_lines_come_about_every_interval_and_at_the_end():
    stream = io.StringIO()
    bar = progress_bar(1000, "image", stream=stream, every_seconds=3600)
    for _ in range(10):
        bar.add(100)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # the first update, and the end
    assert lines[0].startswith("100/1000 images, ") and "left" in lines[0]
    assert lines[1].startswith("1000/1000 images, ") and "left" not in lines[1]
    every_time = io.StringIO()
    bar = progress_bar(3, "point", stream=every_time, every_seconds=0)
    for done in (1, 2, 3):
        bar.update(done)
    assert len(every_time.getvalue().splitlines()) == 3
