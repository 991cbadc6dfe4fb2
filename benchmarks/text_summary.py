"""Tables of benchmarks/text_gan_vs_mle.py's JSON files: mean and spread over seeds.

Usage:
    python benchmarks/text_summary.py runs/text_coco [--plot=docs/text_coco_curve.png]

--plot draws BLEU-4 against self-BLEU-4 across temperatures, one point per seed and a
line through the seed means of each model (Caccia et al.'s quality-diversity curve).
"""

import json
import pathlib
import statistics
import sys

COLUMNS = ("bleu2", "bleu3", "bleu4", "bleu5", "self_bleu4", "nll_test", "nll_train")


def spread(values):
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"


def main(folder):
    runs = [json.loads(p.read_text()) for p in sorted(pathlib.Path(folder).glob("seed_*.json"))]
    if not runs:
        sys.exit(f"no seed_*.json in {folder}")
    seeds = [r["flags"]["seed"] for r in runs]
    print(f"seeds {seeds}; {runs[0]['machine'].get('cpu_model', '?')}\n")
    print("| model | temperature | " + " | ".join(COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    for model in ("mle", "gan"):
        temperatures = [row["temperature"] for row in runs[0][model]]
        for index, temperature in enumerate(temperatures):
            cells = []
            for column in COLUMNS:
                values = [r[model][index].get(column) for r in runs]
                cells.append("-" if None in values else spread(values))
            print(f"| {model} | {temperature} | " + " | ".join(cells) + " |")
    minutes = [(r["mle_seconds"] / 60, r.get("gan_seconds", 0) / 60) for r in runs]
    print("\nminutes (MLE, GAN) per seed:", [(round(a, 1), round(b, 1)) for a, b in minutes])


def plot(folder, path):
    runs = [json.loads(p.read_text()) for p in sorted(pathlib.Path(folder).glob("seed_*.json"))]
    curves = {
        "maximum likelihood": [r["mle"] for r in runs],
        "Gumbel GAN": [r["gan"] for r in runs],
    }
    draw_curves(curves, path, f"COCO captions, {len(runs)} seeds, across sampling temperatures")


COLOURS = ("tab:blue", "tab:red", "tab:green", "tab:purple", "tab:orange")


def draw_curves(curves, path, title):
    """BLEU-4 against self-BLEU-4: `curves` maps a label to one row list per seed (rows of
    `TextEvaluation` at the same temperatures); a point per seed, a line through the means."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4.5))
    for number, (label, rows) in enumerate(curves.items()):
        colour = COLOURS[number % len(COLOURS)]
        x = [statistics.mean(r[i]["self_bleu4"] for r in rows) for i in range(len(rows[0]))]
        y = [statistics.mean(r[i]["bleu4"] for r in rows) for i in range(len(rows[0]))]
        axes.plot(x, y, "-", color=colour, label=label)
        for r in rows:
            axes.plot([p["self_bleu4"] for p in r], [p["bleu4"] for p in r], ".", color=colour)
        for i, row in enumerate(rows[0]):
            axes.annotate(
                f"T={row['temperature']}",
                (x[i], y[i]),
                fontsize=7,
                color=colour,
                xytext=(4, -10 if number % 2 else 4),
                textcoords="offset points",
            )
    axes.set_xlabel("self-BLEU-4 (lower: more diverse)")
    axes.set_ylabel("BLEU-4 against the test captions")
    axes.set_title(title)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--plot=")]
    plots = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--plot=")]
    main(arguments[0] if arguments else "runs/text_coco")
    for target in plots:
        plot(arguments[0] if arguments else "runs/text_coco", target)
