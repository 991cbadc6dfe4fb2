"""How far a run's discriminator overfits its training images, checkpoint by checkpoint.

    python benchmarks/overfitting.py --runs=runs/ada2k_none,runs/ada2k_ada \
        --manual_dir=../shared/data/cifar10 --heldout_split=test[:2000] --every=10 \
        --output=runs/ada2k_overfitting.json --plot=runs/ada2k_overfitting.png

For each checkpoint (every `--every`-th, and the last) of each run, D (in inference mode,
without augmentation) scores the run's own training images (its recorded `--split`) and
as many held-out images (`--heldout_split`). It reports ADA's overfitting heuristic
r = E[sign(D(x))] on both (Karras et al. 2020, section 3: r on training images drifts to 1
as D memorises them, while on held-out images it falls), their mean logits, and the
adaptive augmentation's probability p where the run has one. A table, JSON, and with
`--plot` a picture of r and p against training steps. This is an analysis, not a test.
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_RUNS = flags.DEFINE_list("runs", [], "Run directories (unconditional image GANs).")
_MANUAL_DIR = flags.DEFINE_string("manual_dir", "", "Folder of the CIFAR-10 .npz files.")
_HELDOUT = flags.DEFINE_string("heldout_split", "test[:2000]", "Images D never trained on.")
_EVERY = flags.DEFINE_integer("every", 10, "Score every N-th checkpoint (and the last).")
_BATCH = flags.DEFINE_integer("batch_size", 200, "Images per D call.", lower_bound=1)
_OUTPUT = flags.DEFINE_string("output", "", "JSON file to write.")
_PLOT = flags.DEFINE_string("plot", "", "PNG of r and p against training steps.")


def _scores(discriminator, images, batch_size):
    import numpy as np

    logits = np.concatenate(
        [
            np.asarray(discriminator(images[i : i + batch_size], training=False)).reshape(-1)
            for i in range(0, len(images), batch_size)
        ]
    )
    return float(np.mean(np.sign(logits))), float(np.mean(logits))


def _run_rows(run, heldout):
    import keras

    from keras_gan import run_layout
    from keras_gan.data.cifar10_npz import load_cifar10_npz

    config = run_layout.recorded_config(run) or {}
    if config.get("dataset") != "cifar10" or config.get("conditional"):
        raise ValueError(
            "overfitting.py scores unconditional CIFAR-10 runs. Received: "
            f"{run} with dataset={config.get('dataset')!r}, conditional={config.get('conditional')}"
        )
    training = load_cifar10_npz(_MANUAL_DIR.value, config["split"])
    folders = run_layout.checkpoint_folders(run)
    if not folders:
        raise ValueError(f"No checkpoints in {run}/checkpoints.")
    chosen = folders[_EVERY.value - 1 :: _EVERY.value]
    if folders[-1] not in chosen:
        chosen.append(folders[-1])
    rows = []
    for folder in chosen:
        gan = keras.saving.load_model(folder / "gan.keras")
        state = json.loads((folder / "state.json").read_text())
        r_train, logit_train = _scores(gan.discriminator, training, _BATCH.value)
        r_heldout, logit_heldout = _scores(gan.discriminator, heldout, _BATCH.value)
        augmentation = getattr(gan, "augmentation", None)
        probability = getattr(augmentation, "probability", None)
        rows.append(
            {
                "run": str(run),
                "step": int(state["step"]),
                "p": None
                if probability is None
                else float(keras.ops.convert_to_numpy(probability)),
                "r_train": r_train,
                "r_heldout": r_heldout,
                "logit_train": logit_train,
                "logit_heldout": logit_heldout,
            }
        )
        row = rows[-1]
        p = "-" if row["p"] is None else f"{row['p']:.3f}"
        print(
            f"{run} step {row['step']:>6}: p {p}  r train {r_train:+.3f}  held-out "
            f"{r_heldout:+.3f}  logit train {logit_train:+.3f}  held-out {logit_heldout:+.3f}",
            flush=True,
        )
        keras.backend.clear_session()
    return rows


def _plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = list(dict.fromkeys(row["run"] for row in rows))
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for index, run in enumerate(runs):
        mine = [row for row in rows if row["run"] == run]
        steps = [row["step"] for row in mine]
        colour = f"C{index}"
        name = pathlib.Path(run).name
        left.plot(steps, [r["r_train"] for r in mine], "-", color=colour, label=f"{name}: train")
        left.plot(
            steps, [r["r_heldout"] for r in mine], "--", color=colour, label=f"{name}: held-out"
        )
        if any(row["p"] is not None for row in mine):
            right.plot(steps, [r["p"] for r in mine], "-", color=colour, label=name)
    left.set(
        xlabel="training step", ylabel="r = E[sign D(x)]", title="D on training / held-out images"
    )
    left.axhline(0, color="grey", lw=0.5)
    left.legend(fontsize=8)
    right.set(xlabel="training step", ylabel="p", title="ADA's augmentation probability")
    if right.lines:
        right.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main(argv):
    if len(argv) > 1:
        raise app.UsageError(f"Unexpected arguments: {argv[1:]}")
    if not _RUNS.value:
        raise app.UsageError("--runs must name at least one run directory.")
    if _EVERY.value < 1:
        raise app.UsageError(f"--every must be >= 1. Received: --every={_EVERY.value}")
    from keras_gan.data.cifar10_npz import load_cifar10_npz

    heldout = load_cifar10_npz(_MANUAL_DIR.value, _HELDOUT.value)
    rows = [row for run in _RUNS.value for row in _run_rows(pathlib.Path(run), heldout)]
    if _OUTPUT.value:
        pathlib.Path(_OUTPUT.value).write_text(json.dumps(rows, indent=1) + "\n")
    if _PLOT.value:
        _plot(rows, _PLOT.value)


if __name__ == "__main__":
    app.run(main)
