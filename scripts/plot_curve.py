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
"""

import glob
import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

_RUN_DIR = flags.DEFINE_string("run_dir", None, "The run the checkpoints are from.")
_EVALUATIONS = flags.DEFINE_list(
    "evaluations",
    None,
    "scripts/evaluate.py JSON files of the run's checkpoints (names or glob patterns).",
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
    files = sorted({path for pattern in _EVALUATIONS.value for path in _expand(pattern)})
    points = [_point(path) for path in files]

    from keras_gan import plots
    from keras_gan.run_layout import training_seconds

    try:
        seconds = training_seconds(_RUN_DIR.value)
    except ValueError as error:
        _error(error)
    for path, step, _ in points:
        if step not in seconds:
            _error(
                f"{path} scored step {step}, which is not an epoch end of the run (its epochs "
                f"end at steps {sorted(seconds)}). Received: --run_dir={_RUN_DIR.value}"
            )
    points.sort(key=lambda point: point[1])
    hours = [seconds[step] / 3600 for _, step, _ in points]
    values = [value for _, _, value in points]
    print(f"{'step':>10}  {'hours':>6}  {_METRIC.value}")
    for (_, step, value), hour in zip(points, hours, strict=True):
        print(f"{step:>10}  {hour:6.2f}  {value:.4g}")
    plots.plot_metric_curve(hours, values, output, _LABEL.value or _METRIC.value, _TITLE.value)
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
