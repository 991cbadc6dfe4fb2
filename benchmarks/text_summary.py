"""Tables of benchmarks/text_gan_vs_mle.py's JSON files: mean and spread over seeds.

Usage:
    python benchmarks/text_summary.py runs/text_coco
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


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/text_coco")
