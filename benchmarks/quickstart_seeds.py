"""The quickstart on seeds 0..N-1: mode coverage per seed, then min and median.

Usage:
    python benchmarks/quickstart_seeds.py --seeds=10 [--pinned] [--out=runs/quickstart_seeds]
    python benchmarks/quickstart_seeds.py --seeds=5 --flags=--dataset=grid \
        --variant=plain= --variant="mixture=--mixture_components=25"

--pinned runs each seed on one core with one TensorFlow thread (taskset -c 0,
TF_NUM_INTRAOP_THREADS=1): other kernel partitioning and rounding, as another
machine would give. Each seed is its own `scripts/train.py` process.

--variant=NAME=FLAGS (repeatable) compares settings: every seed runs every variant,
interleaved (seed 0 of each, then seed 1 of each, ...), so that a busy machine slows
them alike. Each row reports the training seconds (the sum of Keras's per-epoch times,
without start-up and the final evaluation), so that variants of unequal cost per step
can be set to equal wall time with `--epochs` in their FLAGS. Keras prints each
epoch's time in whole seconds, so the sum is only good for epochs of several seconds
(the quickstart's are 3-5 s), and a speed ratio wants an idle machine.

--picture=PNG puts each variant's last sample picture of seed --picture_seed side by
side (after the runs, or alone with --seeds=0 on runs already made).
"""

import argparse
import os
import pathlib
import re
import shlex
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
LINE = re.compile(r"modes covered: (\d+) of (\d+); samples within 3 std of a mode: (\d+)%")
EPOCH_SECONDS = re.compile(r"^\d+/\d+ - (\d+)s - ", re.MULTILINE)


def run_seed(seed, out, pinned, config, flags=()):
    command = [
        sys.executable,
        str(REPO / "scripts" / "train.py"),
        f"--flagfile={config}",
        f"--run_dir={out}/seed_{seed}",
        f"--seed={seed}",
        "--export=false",
        *flags,
    ]
    env = dict(os.environ)
    if pinned:
        command = ["taskset", "-c", "0", *command]
        env.update(TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1")
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    match = LINE.search(result.stdout)
    if result.returncode or not match:
        raise SystemExit(f"seed {seed} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    training = sum(int(s) for s in EPOCH_SECONDS.findall(result.stdout + result.stderr))
    return int(match[1]), int(match[2]), int(match[3]), seconds, training


def parse_variant(text):
    name, separator, flags = text.partition("=")
    if not separator or not name:
        raise SystemExit(f"--variant wants NAME=FLAGS (FLAGS may be empty), got {text!r}")
    return name, shlex.split(flags)


def summary(name, rows, modes, seeds):
    covered, quality, _, training = zip(*rows, strict=True)
    passing = sum(c == modes and q >= 90 for c, q, _, _ in rows)
    return (
        f"{name}: modes covered: min {min(covered)}, median {statistics.median(covered)}, "
        f"mean {statistics.mean(covered):.1f}; within 3 std: min {min(quality)}%, "
        f"median {statistics.median(quality)}%, mean {statistics.mean(quality):.1f}%; "
        f"{passing} of {seeds} seeds with all modes and >= 90%; "
        f"training seconds: median {statistics.median(training)}"
    )


def side_by_side(out, names, seed, path):
    """One row: each variant's last `samples/epoch_NNNN.png` of `seed`, titled by variant."""
    from matplotlib.figure import Figure
    from matplotlib.image import imread

    pictures = []
    for name in names:
        run = pathlib.Path(out, name if len(names) > 1 else "", f"seed_{seed}")
        found = sorted(run.glob("samples/epoch_*.png"))
        if not found:
            raise SystemExit(f"--picture: no samples/epoch_*.png in {run}")
        pictures.append(imread(found[-1]))
    figure = Figure(figsize=(4 * len(names), 4.4), layout="constrained")
    axes = figure.subplots(1, len(names), squeeze=False)[0]
    for ax, name, picture in zip(axes, names, pictures, strict=True):
        ax.imshow(picture)
        ax.set_title(f"{name}, seed {seed}")
        ax.axis("off")
    figure.savefig(path, dpi=100)
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--pinned", action="store_true")
    parser.add_argument("--config", default=str(REPO / "configs" / "quickstart.cfg"))
    parser.add_argument("--out", default="runs/quickstart_seeds")
    parser.add_argument("--flags", default="", help="flags given to every variant")
    parser.add_argument("--variant", action="append", help="NAME=FLAGS; repeatable")
    parser.add_argument("--picture", help="PNG of the variants' last samples side by side")
    parser.add_argument("--picture_seed", type=int, default=0)
    args = parser.parse_args()
    common = shlex.split(args.flags)
    variants = [parse_variant(v) for v in args.variant or ["quickstart="]]
    setting = "pinned to 1 core, 1 thread" if args.pinned else "all cores"
    print(f"{args.config}, {args.seeds} seeds, {setting}, flags {common}", flush=True)
    rows = {name: [] for name, _ in variants}
    modes = None
    for seed in range(args.seeds):
        for name, flags in variants:
            out = f"{args.out}/{name}" if len(variants) > 1 else args.out
            covered, modes, quality, seconds, training = run_seed(
                seed, out, args.pinned, args.config, [*common, *flags]
            )
            rows[name].append((covered, quality, seconds, training))
            print(
                f"{name} seed {seed}: {covered} of {modes} modes, {quality}% within 3 std, "
                f"{seconds:.0f} s ({training} s training)",
                flush=True,
            )
    for name, _ in variants:
        if rows[name]:
            print(summary(name, rows[name], modes, args.seeds))
    if args.picture:
        side_by_side(args.out, [name for name, _ in variants], args.picture_seed, args.picture)


if __name__ == "__main__":
    main()
