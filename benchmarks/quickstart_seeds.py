"""The quickstart on seeds 0..N-1: mode coverage per seed, then min and median.

Usage:
    python benchmarks/quickstart_seeds.py --seeds=10 [--pinned] [--out=runs/quickstart_seeds]

--pinned runs each seed on one core with one TensorFlow thread (taskset -c 0,
TF_NUM_INTRAOP_THREADS=1): other kernel partitioning and rounding, as another
machine would give. Each seed is its own `scripts/train.py` process.
"""

import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
LINE = re.compile(r"modes covered: (\d+) of (\d+); samples within 3 std of a mode: (\d+)%")


def run_seed(seed, out, pinned, config):
    command = [
        sys.executable,
        str(REPO / "scripts" / "train.py"),
        f"--flagfile={config}",
        f"--run_dir={out}/seed_{seed}",
        f"--seed={seed}",
        "--export=false",
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
    return int(match[1]), int(match[2]), int(match[3]), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--pinned", action="store_true")
    parser.add_argument("--config", default=str(REPO / "configs" / "quickstart.cfg"))
    parser.add_argument("--out", default="runs/quickstart_seeds")
    args = parser.parse_args()
    setting = "pinned to 1 core, 1 thread" if args.pinned else "all cores"
    print(f"quickstart, {args.seeds} seeds, {setting}", flush=True)
    rows = []
    for seed in range(args.seeds):
        covered, modes, quality, seconds = run_seed(seed, args.out, args.pinned, args.config)
        rows.append((covered, quality))
        print(f"seed {seed}: {covered} of {modes} modes, {quality}% within 3 std, {seconds:.0f} s")
    covered, quality = zip(*rows, strict=True)
    passing = sum(c == modes and q >= 90 for c, q in rows)
    print(
        f"modes covered: min {min(covered)}, median {statistics.median(covered)}; "
        f"within 3 std: min {min(quality)}%, median {statistics.median(quality)}%; "
        f"{passing} of {args.seeds} seeds with all modes and >= 90%"
    )


if __name__ == "__main__":
    main()
