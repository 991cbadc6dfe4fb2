"""Draws a metric against training time from evaluations of a run's checkpoints.

    for step in 000002343 000004686 000007029; do
      python scripts/evaluate.py --model=runs/cifar10/checkpoints/step-$step \
          --dataset=cifar10 --metrics=fid_inception ... --output=runs/cifar10/fid/$step.json
    done
    python scripts/plot_curve.py --run_dir=runs/cifar10 \
        --evaluations=runs/cifar10/fid/*.json --metric=fid_inception \
        --output=runs/cifar10/fid_curve.png

Each evaluation records the step it scored (scripts/evaluate.py writes it for
checkpoints); the run's history gives the training time at that step
(`keras_gan.run_layout.training_seconds`). Prints the points as a table too.

Several runs in one picture, one line each: `--run_dir=runs/a,runs/b`, with `{run}`
in `--evaluations` standing for each run's folder (`--evaluations='{run}/fid/*.json'`);
`--run_labels` names them, and runs with one label (seeds of one setting) share a
colour and a legend entry.
"""

import glob
import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

_RUN_DIR = flags.DEFINE_list(
    "run_dir", None, "The run the checkpoints are from; several draw one line each."
)
_EVALUATIONS = flags.DEFINE_list(
    "evaluations",
    None,
    "scripts/evaluate.py JSON files of the run's checkpoints (names or glob patterns); "
    "{run} stands for each --run_dir (needed with several).",
)
_RUN_LABELS = flags.DEFINE_list(
    "run_labels",
    None,
    "The legend's name of each --run_dir (default: its folder's name); runs with one name "
    "share a colour.",
)
_METRIC = flags.DEFINE_string("metric", "fid_inception", "The evaluations' key to draw.")
_LABEL = flags.DEFINE_string("label", None, "The y axis label (default: the metric).")
_TITLE = flags.DEFINE_string("title", None, "The picture's title.")
_OUTPUT = flags.DEFINE_string("output", None, "The PNG to write (not overwritten).")
flags.mark_flags_as_required(["run_dir", "evaluations", "output"])


def main(argv):
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    from keras_gan.files import new_output

    try:
        output = new_output(_OUTPUT.value)
    except ValueError as error:
        _error(error)
    if output.suffix != ".png":
        _error(f"--output must name a .png file. Received: --output={output}")
    runs = _RUN_DIR.value
    if not runs or not all(runs):
        _error(f"--run_dir must name one or more runs. Received: --run_dir={runs}")
    several = len(runs) > 1
    if several and not all("{run}" in pattern for pattern in _EVALUATIONS.value):
        _error(
            "with several --run_dir, every --evaluations pattern must contain {run} (each "
            f"run's folder) to say whose evaluations it names. Received: --run_dir={runs} "
            f"--evaluations={_EVALUATIONS.value}"
        )
    labels = _RUN_LABELS.value or [pathlib.Path(run).name for run in runs]
    if len(labels) != len(runs):
        _error(
            f"--run_labels names {len(labels)} runs but --run_dir gives {len(runs)}. "
            f"Received: --run_labels={labels} --run_dir={runs}"
        )

    from keras_gan import plots
    from keras_gan.run_layout import training_seconds

    curves, rows = [], []
    for run, label in zip(runs, labels, strict=True):
        patterns = [pattern.replace("{run}", run) for pattern in _EVALUATIONS.value]
        files = sorted({path for pattern in patterns for path in _expand(pattern)})
        points = [_point(path) for path in files]
        try:
            seconds = training_seconds(run)
        except ValueError as error:
            _error(error)
        for path, step, _ in points:
            if step not in seconds:
                _error(
                    f"{path} scored step {step}, which is not an epoch end of the run (its "
                    f"epochs end at steps {sorted(seconds)}). Received: --run_dir={run}"
                )
        points.sort(key=lambda point: point[1])
        hours = [seconds[step] / 3600 for _, step, _ in points]
        values = [value for _, _, value in points]
        curves.append((label if several or _RUN_LABELS.value else None, hours, values))
        rows += [(run, s, h, v) for (_, s, v), h in zip(points, hours, strict=True)]
    print(f"{'step':>10}  {'hours':>6}  {_METRIC.value}" + ("  run" if several else ""))
    for run, step, hour, value in rows:
        print(f"{step:>10}  {hour:6.2f}  {value:.4g}" + (f"  {run}" if several else ""))
    plots.plot_metric_curves(curves, output, _LABEL.value or _METRIC.value, _TITLE.value)
    print(f"wrote {output}")


def _expand(pattern):
    found = glob.glob(pattern)
    if not found:
        _error(f"--evaluations names no file. Received: {pattern}")
    return [pathlib.Path(path) for path in found]


def _point(path):
    """`(path, step, value)` of one evaluation file."""
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        _error(f"Cannot read the evaluation {path}: {error}")
    if not isinstance(results, dict) or "step" not in results:
        _error(
            f"{path} records no training step: evaluate a checkpoint or run directory (an "
            "exported SavedModel keeps no step) with scripts/evaluate.py. Received: keys "
            f"{sorted(results) if isinstance(results, dict) else type(results).__name__}"
        )
    if _METRIC.value not in results:
        _error(
            f"{path} holds no {_METRIC.value!r}. Received: keys {sorted(results)} "
            f"(--metric={_METRIC.value})"
        )
    return path, int(results["step"]), float(results[_METRIC.value])


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    app.run(main)
