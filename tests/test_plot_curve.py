"""A metric against training time: `run_layout.training_seconds` and scripts/plot_curve.py."""

import json
import os
import re
import subprocess
import sys

import pytest

from keras_gan.run_layout import training_seconds
from tests.conftest import REPO


def _run(folder, history, steps=(10, 20)):
    """A run directory whose checkpoints at `steps` hold `history` (no model needed)."""
    (folder / "checkpoints").mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    for step in steps:
        checkpoint = folder / "checkpoints" / f"step-{step:09d}"
        checkpoint.mkdir()
        (checkpoint / "gan.keras").write_bytes(b"")
        records = [r for r in history if r["epoch"] * 10 <= step]
        state = {"step": step, "steps_per_epoch": 10, "history": records}
        (checkpoint / "state.json").write_text(json.dumps(state))
    return folder


def test_training_seconds_add_up_the_epochs_or_fall_back_to_file_times(tmp_path):
    timed = [
        {"epoch": 1, "steps": 10, "seconds": 1800.0},
        {"epoch": 2, "steps": 10, "seconds": 900.0},
    ]
    assert training_seconds(_run(tmp_path / "new", timed)) == {10: 1800.0, 20: 2700.0}
    # A run from before 0.8 kept no seconds: the checkpoints' times after config.json.
    old = _run(tmp_path / "old", [{"epoch": 1, "steps": 10}, {"epoch": 2, "steps": 10}])
    os.utime(old / "config.json", (1000, 1000))
    for step, when in ((10, 1100), (20, 1250)):
        os.utime(old / f"checkpoints/step-{step:09d}/state.json", (when, when))
    assert training_seconds(old) == {10: 100.0, 20: 250.0}
    # Resumed by 0.8 after a pause: the old epoch from file times, the new one its seconds.
    # The resume rewrote config.json; the first start's TensorBoard log names its time.
    mixed = _run(tmp_path / "mixed", [{"epoch": 1, "steps": 10}, timed[1]])
    os.utime(mixed / "config.json", (50000, 50000))
    os.utime(mixed / "checkpoints/step-000000010/state.json", (1100, 1100))
    os.utime(mixed / "checkpoints/step-000000020/state.json", (99999, 99999))  # after a pause
    with pytest.raises(ValueError, match="start time is unknown"):
        training_seconds(mixed)  # never a negative time
    (mixed / "logs/train").mkdir(parents=True)
    (mixed / "logs/train/events.out.tfevents.1000.host.1.v2").write_bytes(b"")
    (mixed / "logs/train/events.out.tfevents.50001.host.2.v2").write_bytes(b"")  # the resume's
    assert training_seconds(mixed) == {10: 100.0, 20: 1000.0}
    (mixed / "checkpoints/step-000000010/state.json").unlink()  # pruned: no time for epoch 1
    (mixed / "checkpoints/step-000000010/gan.keras").unlink()
    with pytest.raises(ValueError, match="Epoch 1 was recorded without its time"):
        training_seconds(mixed)
    with pytest.raises(ValueError, match="The run has no checkpoint"):
        training_seconds(tmp_path)


def _plot(*flags):
    return subprocess.run(
        [sys.executable, "scripts/plot_curve.py", *flags],
        cwd=REPO,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def evaluated(tmp_path):
    history = [
        {"epoch": 1, "steps": 10, "seconds": 1800.0},
        {"epoch": 2, "steps": 10, "seconds": 1800.0},
    ]
    run = _run(tmp_path / "run", history)
    for step, fid in ((20, 40.0), (10, 55.5)):
        (tmp_path / f"{step}.json").write_text(json.dumps({"step": step, "fid_inception": fid}))
    return run, tmp_path


def test_the_curve_puts_each_evaluation_at_its_training_time(evaluated):
    run, folder = evaluated
    output = folder / "curve.png"
    done = _plot(f"--run_dir={run}", f"--evaluations={folder}/*.json", f"--output={output}")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split() for line in done.stdout.splitlines()[1:3]]
    assert rows == [["10", "0.50", "55.5"], ["20", "1.00", "40"]]
    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = _plot(f"--run_dir={run}", f"--evaluations={folder}/*.json", f"--output={output}")
    assert again.returncode == 1 and "never overwritten" in again.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        ({"fid_inception": 3.0}, r"records no training step.*Received: keys \['fid_inception'\]"),
        ({"step": 15, "fid_inception": 3.0}, r"scored step 15, which is not an epoch end"),
        ({"step": 10, "fid": 3.0}, r"holds no 'fid_inception'. Received: keys \['fid', 'step'\]"),
    ],
)
def test_an_evaluation_that_does_not_fit_the_run_is_named(evaluated, content, message):
    run, folder = evaluated
    bad = folder / "bad.json"
    bad.write_text(json.dumps(content))
    done = _plot(f"--run_dir={run}", f"--evaluations={bad}", f"--output={folder / 'c.png'}")
    assert done.returncode == 1
    assert "bad.json" in done.stderr
    assert re.search(message, done.stderr), done.stderr
    assert not (folder / "c.png").exists()


def test_several_runs_are_drawn_side_by_side_each_with_its_own_evaluations(tmp_path):
    """`--run_dir=a,b` with `{run}` in the pattern: each run's evaluations at its own times
    (here b's epochs took twice as long), and the table says whose point each row is."""
    for name, seconds, fids in (("a", 1800.0, (50.0, 40.0)), ("b", 3600.0, (48.0, 39.0))):
        history = [{"epoch": e, "steps": 10, "seconds": seconds} for e in (1, 2)]
        run = _run(tmp_path / name, history)
        (run / "fid").mkdir()
        for step, fid in zip((10, 20), fids, strict=True):
            (run / "fid" / f"{step}.json").write_text(
                json.dumps({"step": step, "fid_inception": fid})
            )
    runs = f"--run_dir={tmp_path / 'a'},{tmp_path / 'b'}"
    output = tmp_path / "curves.png"
    done = _plot(runs, "--evaluations={run}/fid/*.json", "--run_labels=x,x", f"--output={output}")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split() for line in done.stdout.splitlines()[1:5]]
    assert rows == [
        ["10", "0.50", "50", str(tmp_path / "a")],
        ["20", "1.00", "40", str(tmp_path / "a")],
        ["10", "1.00", "48", str(tmp_path / "b")],
        ["20", "2.00", "39", str(tmp_path / "b")],
    ]
    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Without {run} nothing says whose evaluations a pattern names; labels must match runs.
    for flags, message in (
        ([f"--evaluations={tmp_path}/a/fid/*.json"], "must contain {run}"),
        (["--evaluations={run}/fid/*.json", "--run_labels=x"], "names 1 runs but --run_dir"),
        (["--evaluations={run}/fid/*.json", "--run_dir=,"], "must name one or more runs"),
    ):
        done = _plot(runs, *flags, f"--output={tmp_path / 'c.png'}")
        assert done.returncode == 1 and message in done.stderr, done.stderr[-2000:]
        assert "Received:" in done.stderr
        assert not (tmp_path / "c.png").exists()
