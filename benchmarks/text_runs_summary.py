"""Tables of text runs made by scripts/train.py: mean and spread over their seeds.

Reads each run directory's config.json, scores.json and (game runs)
pretrained_scores.json, the scores of the MLE generator the game started from.
Runs are grouped by model and run length; each group's rows are the mean ±
standard deviation over its runs at each temperature. A game run stopped before
its end still gives its pretrained G.

Usage:
    python benchmarks/text_runs_summary.py runs/oracle/gumbel_seed* runs/oracle/seqgan_seed*
    python benchmarks/text_runs_summary.py runs/coco/* --plot=curve.png
    python benchmarks/text_runs_summary.py runs/coco/arae_seed0 evaluated_step63.json

A run stopped early is listed by the JSON `scripts/evaluate.py` wrote for one of its
checkpoints instead of by its directory: that checkpoint's G stands for its final G, with the
MLE G it started from.

--plot draws BLEU-4 against self-BLEU-4 across temperatures for each group (text runs),
as benchmarks/text_summary.py does.

Oracle runs also get a table at equal coverage: a game moves G along another temperature
curve, so its NLL_oracle at a temperature is compared with its own MLE generator's at the same
nll_test, read off the MLE's curve through its temperatures (linear between them, the end
segment extended beyond them). Negative: the game's samples are likelier under the oracle than
MLE's at the same held-out NLL.

Text runs get the same at equal diversity: BLEU-4 minus the MLE's at the same self-BLEU-4.
A game is compared with the MLE G it started from; an ARAE run, which has none, with the mean
curve (over seeds, per temperature) of the listed MLE generators trained for as many epochs as
its autoencoder. Positive: the run's samples match the test captions better than MLE's at the
same diversity.
"""

import collections
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from benchmarks.text_summary import draw_curves  # noqa: E402
from benchmarks.text_summary import spread  # noqa: E402


def _runs(paths):
    """Each listed run as `(path, config, pretrained, final, steps)`: the scores of the MLE G
    it started from and of its final G (None where missing), and the game's length. A path may
    be, instead of a run directory, the JSON `scripts/evaluate.py` wrote for one of a text
    run's checkpoints: that G then stands for the run's final one (a run stopped early)."""
    for path in (pathlib.Path(p) for p in paths):
        if path.is_file():
            evaluated = json.loads(path.read_text())
            source = pathlib.Path(evaluated.get("source", ""))
            run = next((d for d in source.parents if (d / "config.json").is_file()), None)
            if not {"step", "rows"} <= set(evaluated) or run is None:
                sys.exit(
                    f"{path}: not the JSON scripts/evaluate.py writes for a checkpoint of a text "
                    f"run that still exists (its source: {str(source) or 'none'})"
                )
            final, steps = evaluated, f"{evaluated['step']} game steps (evaluated)"
        elif path.is_dir():
            run, final = path, None
            if (path / "scores.json").is_file():
                final = json.loads((path / "scores.json").read_text())
            else:
                print(
                    f"{path}: no scores.json (unfinished): its final G is left out", file=sys.stderr
                )
        else:
            continue
        config = json.loads((run / "config.json").read_text())["config"]
        if path.is_dir():
            steps = f"{config['epochs']} game epochs"
        pretrained = None
        if (run / "pretrained_scores.json").is_file():
            pretrained = json.loads((run / "pretrained_scores.json").read_text())
        yield path, config, pretrained, final, steps


def groups(run_dirs):
    """`{label: [scores, ...]}` of the runs' final and pretrained scores, and `{label: seeds}`."""
    scored, seeds = collections.defaultdict(list), collections.defaultdict(list)
    for _, config, pretrained, final, steps in _runs(run_dirs):
        if config["model"] == "mle":
            found = [(f"MLE, {config['epochs']} epochs", final)]
        elif config["model"] == "arae":  # no G before the game: no pretrained scores
            found = [(f"arae, {config['pretrain_epochs']} autoencoder epochs + {steps}", final)]
        else:
            found = [
                (f"MLE, {config['pretrain_epochs']} epochs", pretrained),
                (f"{config['model']}, {config['pretrain_epochs']} MLE epochs + {steps}", final),
            ]
        for label, scores in found:
            if scores is not None:
                scored[label].append(scores)
                seeds[label].append(config["seed"])
    return scored, seeds


def at_equal_coverage(mle_rows, game_rows, quality="nll_oracle", coverage="nll_test"):
    """Per game row: `(temperature, game quality - MLE quality at the game's coverage)`.

    The MLE's (coverage, quality) points, one per temperature, are joined by straight lines
    in order of coverage; beyond its first or last point the end segment is extended."""
    points = sorted((row[coverage], row[quality]) for row in mle_rows)
    if len(points) < 2:
        raise ValueError(f"the MLE curve needs 2 temperatures or more; received {len(points)}")
    differences = []
    for row in game_rows:
        x = row[coverage]
        i = next((k for k in range(1, len(points) - 1) if x < points[k][0]), len(points) - 1)
        (x0, y0), (x1, y1) = points[i - 1], points[i]
        mle = y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        differences.append((row["temperature"], row[quality] - mle))
    return differences


def _cells(mle_rows, game_rows, quality, coverage):
    """The table's cells, `T: difference`, starred where the game's point lies outside the
    MLE curve's range (read off its end segment, extended)."""
    low, high = min(r[coverage] for r in mle_rows), max(r[coverage] for r in mle_rows)
    differences = at_equal_coverage(mle_rows, game_rows, quality, coverage)
    return [
        f"{t}: {d:+.3f}" + ("" if low <= row[coverage] <= high else "*")
        for (t, d), row in zip(differences, game_rows, strict=True)
    ]


EXTENDED = "*: outside the MLE curve's range, read off its end segment extended."


def equal_coverage_table(run_dirs):
    """Rows of the equal-coverage table for the game runs with oracle scores."""
    lines = []
    for path, config, pretrained, final, _ in sorted(_runs(run_dirs), key=lambda r: str(r[0])):
        if pretrained is None or final is None:
            continue
        mle, game = pretrained["rows"], final["rows"]
        if "nll_oracle" not in game[0] or "nll_test" not in game[0]:
            continue
        cells = _cells(mle, game, "nll_oracle", "nll_test")
        lines.append(f"| {path.name} | {config['seed']} | " + " | ".join(cells) + " |")
    return lines


def _mean_rows(row_lists):
    """Rows of the mean over seeds at each temperature (each list in the same order)."""
    return [
        {
            "temperature": row["temperature"],
            **{
                k: sum(rows[i][k] for rows in row_lists) / len(row_lists)
                for k in ("bleu4", "self_bleu4")
            },
        }
        for i, row in enumerate(row_lists[0])
    ]


def equal_diversity_table(run_dirs):
    """Rows of the equal-diversity table for the text runs (BLEU-4 at equal self-BLEU-4)."""
    runs = []
    mle = collections.defaultdict(list)  # epochs -> the MLE generators' rows
    for path, config, pretrained, final, _ in sorted(_runs(run_dirs), key=lambda r: str(r[0])):
        if any("bleu4" not in s["rows"][0] for s in (pretrained, final) if s is not None):
            continue  # oracle runs
        if config["model"] == "mle" and final is not None:
            mle[config["epochs"]].append(final["rows"])
        elif pretrained is not None:
            mle[config["pretrain_epochs"]].append(pretrained["rows"])
        if config["model"] != "mle" and final is not None:
            runs.append((path, config, pretrained and pretrained["rows"], final["rows"]))
    lines = []
    for path, config, own_mle, game in runs:
        if own_mle is None:  # ARAE: the mean MLE curve of as many epochs
            if not mle.get(config["pretrain_epochs"]):
                continue
            curves = mle[config["pretrain_epochs"]]
            own_mle, against = _mean_rows(curves), f"the mean of {len(curves)} MLE"
        else:
            against = "its own MLE"
        cells = _cells(own_mle, game, "bleu4", "self_bleu4")
        lines.append(f"| {path.name} | {config['seed']} | {against} | " + " | ".join(cells) + " |")
    return lines


def main(run_dirs):
    scored, seeds = groups(run_dirs)
    if not scored:
        sys.exit(f"no finished text runs among {run_dirs}")
    # Every score any group has; a model without one (ARAE has no NLL of data) shows "-".
    columns = list(
        dict.fromkeys(
            c
            for runs in scored.values()
            for c, value in runs[0]["rows"][0].items()
            if c != "temperature" and isinstance(value, int | float)
        )
    )
    first = next(iter(scored.values()))[0]
    if "oracle_entropy" in first:
        entropies = {round(s["oracle_entropy"], 3) for runs in scored.values() for s in runs}
        print(f"oracle entropy: {sorted(entropies)}\n")
    print("| model | seeds | temperature | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 3) + "|")
    for label, runs in scored.items():
        for index, row in enumerate(runs[0]["rows"]):
            cells = [
                spread([r["rows"][index][c] for r in runs]) if c in row else "-" for c in columns
            ]
            listed = ",".join(map(str, sorted(seeds[label])))
            print(f"| {label} | {listed} | {row['temperature']} | " + " | ".join(cells) + " |")
    comparisons = (
        ("NLL_oracle minus its MLE generator's at the same nll_test", "", equal_coverage_table),
        (
            "BLEU-4 minus the MLE generator's at the same self-BLEU-4",
            " compared with |",
            equal_diversity_table,
        ),
    )
    for title, column, table in comparisons:
        lines = table(run_dirs)
        if lines:
            header = f"| run | seed |{column} differences |\n" + "|---" * (3 + bool(column)) + "|"
            print(f"\n{title}, by temperature:\n\n{header}\n" + "\n".join(lines))
            print(f"\n{EXTENDED}")


def plot(run_dirs, path):
    scored, seeds = groups(run_dirs)
    curves = {
        f"{label} ({len(runs)} seed{'' if len(runs) == 1 else 's'})": [r["rows"] for r in runs]
        for label, runs in scored.items()
    }
    draw_curves(curves, path, "BLEU-4 against self-BLEU-4 across sampling temperatures")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--plot=")]
    if not arguments:
        sys.exit(__doc__)
    main(arguments)
    for target in [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--plot=")]:
        plot(arguments, target)
