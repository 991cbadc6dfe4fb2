"""Tables of text runs made by scripts/train.py: mean and spread over their seeds.

Reads each run directory's config.json, scores.json and (game runs)
pretrained_scores.json, the scores of the MLE generator the game started from.
Runs are grouped by model and run length; each group's rows are the mean ±
standard deviation over its runs at each temperature. A game run stopped before
its end still gives its pretrained G.

Usage:
    python benchmarks/text_runs_summary.py runs/oracle/gumbel_seed* runs/oracle/seqgan_seed*
    python benchmarks/text_runs_summary.py runs/coco/* --plot=curve.png

--plot draws BLEU-4 against self-BLEU-4 across temperatures for each group (text runs),
as benchmarks/text_summary.py does.
"""

import collections
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from benchmarks.text_summary import draw_curves  # noqa: E402
from benchmarks.text_summary import spread  # noqa: E402


def groups(run_dirs):
    """`{label: [scores, ...]}` of the runs' final and pretrained scores, and `{label: seeds}`."""
    scored, seeds = collections.defaultdict(list), collections.defaultdict(list)
    for run in (pathlib.Path(d) for d in run_dirs if pathlib.Path(d).is_dir()):
        config = json.loads((run / "config.json").read_text())["config"]
        if not (run / "scores.json").is_file():
            print(f"{run}: no scores.json (unfinished): its final G is left out", file=sys.stderr)
        if config["model"] == "mle":
            found = [(f"MLE, {config['epochs']} epochs", run / "scores.json")]
        else:
            found = [
                (f"MLE, {config['pretrain_epochs']} epochs", run / "pretrained_scores.json"),
                (
                    f"{config['model']}, {config['pretrain_epochs']} MLE epochs + "
                    f"{config['epochs']} game epochs",
                    run / "scores.json",
                ),
            ]
        for label, path in found:
            if path.is_file():
                scored[label].append(json.loads(path.read_text()))
                seeds[label].append(config["seed"])
    return scored, seeds


def main(run_dirs):
    scored, seeds = groups(run_dirs)
    if not scored:
        sys.exit(f"no finished text runs among {run_dirs}")
    first = next(iter(scored.values()))[0]
    columns = [
        c
        for c, value in first["rows"][0].items()
        if c != "temperature" and isinstance(value, int | float)
    ]
    if "oracle_entropy" in first:
        entropies = {round(s["oracle_entropy"], 3) for runs in scored.values() for s in runs}
        print(f"oracle entropy: {sorted(entropies)}\n")
    print("| model | seeds | temperature | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 3) + "|")
    for label, runs in scored.items():
        for index, row in enumerate(runs[0]["rows"]):
            cells = [spread([r["rows"][index][c] for r in runs]) for c in columns]
            listed = ",".join(map(str, sorted(seeds[label])))
            print(f"| {label} | {listed} | {row['temperature']} | " + " | ".join(cells) + " |")


def plot(run_dirs, path):
    scored, seeds = groups(run_dirs)
    curves = {
        f"{label} ({len(runs)} seeds)": [r["rows"] for r in runs] for label, runs in scored.items()
    }
    draw_curves(curves, path, "BLEU-4 against self-BLEU-4 across sampling temperatures")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--plot=")]
    if not arguments:
        sys.exit(__doc__)
    main(arguments)
    for target in [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--plot=")]:
        plot(arguments, target)
