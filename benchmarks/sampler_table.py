"""A table of one or more runs' sampler evaluations (scripts/evaluate.py --sampler=... JSONs).

Each JSON is one evaluation; rows are grouped by the sampler and its settings (plain
G(z) when the JSON has no sampler), and every metric column is the mean over the
JSONs of that row that have it, ± the standard deviation when several runs (seeds)
give it. So evaluations of other metrics of the same samplers merge into their rows.

Usage:
    python benchmarks/sampler_table.py runs/paper_mnist_ema/samplers/*.json \
        --metrics=parzen_ll,fid,precision,recall
    python benchmarks/sampler_table.py runs/conditional_mnist/truncation/*.json \
        --metrics=class_accuracy,fid,precision,recall --plot=truncation.png

--plot draws each metric against the truncation threshold (the truncation rows, with
plain sampling at the right as "none").
"""

import argparse
import collections
import json
import math
import pathlib
import statistics

from matplotlib.figure import Figure

# Settings a row is not told apart by: fitted (calibration) or mechanical (batching).
NOT_A_SETTING = {"calibration", "batch_size", "max_rounds"}


def row_label(result):
    sampler = result.get("sampler")
    if sampler is None:
        return "plain G(z)"
    settings = [f"{k}={v}" for k, v in sampler.items() if k not in NOT_A_SETTING | {"name"}]
    return " ".join([sampler["name"], *settings])


def order(result):
    """Plain first, then by sampler name, and each sampler's rows by falling settings."""
    sampler = result.get("sampler")
    if sampler is None:
        return (0, "", ())
    numbers = [
        v for k, v in sampler.items() if isinstance(v, int | float) and k not in NOT_A_SETTING
    ]
    return (1, sampler["name"], tuple(-v for v in numbers))


def load(paths):
    """`{label: [result, ...]}`, rows in `order`."""
    rows = collections.defaultdict(list)
    results = [json.loads(pathlib.Path(path).read_text()) for path in paths]
    for result in sorted(results, key=order):
        rows[row_label(result)].append(result)
    return rows


def cell(values, digits):
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


def calls_range(costs, network):
    """The network's calls per sample over runs: one number, or "lowest-highest"."""
    values = [cost[f"{network}_calls_per_sample"] for cost in costs]
    low, high = min(values), max(values)
    return f"{low:.3g}" if low == high else f"{low:.3g}-{high:.3g}"


def table(rows, metrics):
    lines = [
        "| sampler | runs | " + " | ".join(metrics) + " | G / D calls per sample |",
        "|---" * (len(metrics) + 3) + "|",
    ]
    for label, results in rows.items():
        cells = []
        for metric in metrics:
            values = [r[metric] for r in results if metric in r]
            cells.append(cell(values, 1 if metric in ("parzen_ll", "fid_inception") else 3))
        costs = [r["sampler_cost"] for r in results if "sampler_cost" in r]
        calls = (
            "1 / 0"
            if not costs
            else f"{calls_range(costs, 'generator')} / {calls_range(costs, 'discriminator')}"
        )
        # Files with other metrics of the same sampler (a second evaluation) merge into its row.
        runs = max(sum(metric in r for r in results) for metric in metrics)
        lines.append(f"| {label} | {runs} | " + " | ".join(cells) + f" | {calls} |")
    return "\n".join(lines)


def plot_truncation(rows, metrics, path):
    points = []
    for results in rows.values():
        sampler = results[0].get("sampler")
        if sampler is None:
            points.append((math.inf, results))
        elif sampler["name"] == "truncation":
            points.append((float(sampler["threshold"]), results))
    if len(points) < 2:
        raise SystemExit(f"--plot wants truncation rows (and plain); found {len(points)}")
    points.sort(key=lambda point: point[0])
    # Evenly spaced, as categories: thresholds such as 0.25, 0.5, ... 2 and none.
    xs = range(len(points))
    figure = Figure(figsize=(3.2 * len(metrics), 3.0))
    axes = figure.subplots(1, len(metrics), squeeze=False)[0]
    for ax, metric in zip(axes, metrics, strict=True):
        means = [
            statistics.mean(r[metric] for r in results if metric in r) for _, results in points
        ]
        ax.plot(xs, means, "o-")
        ax.set_xticks(xs, [f"{t:g}" if math.isfinite(t) else "none" for t, _ in points])
        if metric.startswith("fid"):
            ax.set_yscale("log")
        ax.set_xlabel("truncation threshold")
        ax.set_title(metric)
        ax.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="evaluation JSON files")
    parser.add_argument("--metrics", default="fid,precision,recall")
    parser.add_argument("--plot", help="PNG of the metrics against the truncation threshold")
    args = parser.parse_args()
    metrics = [m for m in args.metrics.split(",") if m]
    rows = load(args.results)
    print(table(rows, metrics))
    if args.plot:
        plot_truncation(rows, metrics, args.plot)


if __name__ == "__main__":
    main()
