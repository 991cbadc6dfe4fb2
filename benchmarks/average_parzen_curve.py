"""The validation Parzen curve of a run trained with --ema: averaged and trained generator.

Usage:
    python benchmarks/average_parzen_curve.py --run=runs/paper_mnist_ema \
        --manual_dir=../shared/data/mnist --data_dir=../tfds [--every=10] [--plot=curve.png]

Train the run with `--ema=0.999 --checkpoints_to_keep=1000` so that every epoch's checkpoint
stays. The average does not change what is trained (G's updates never read it), so one run
gives both curves: each kept checkpoint whose epoch is a multiple of --every is scored twice,
on its averaged and on its trained generator, as `--eval_every` scores a run during training:
the mean log-likelihood of the validation split under Gaussian kernels on 10,000 samples, at
the best of the paper's 10 widths. The test set is never read.
"""

import argparse
import json


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", required=True, help="Run directory trained with --ema.")
    parser.add_argument("--every", type=int, default=10, help="Epochs between scored points.")
    parser.add_argument("--validation_split", default="train[50000:51000]")
    parser.add_argument("--data_dir", default=None)
    parser.add_argument("--manual_dir", default=None)
    parser.add_argument("--seed", type=int, default=0, help="Seed of the samples (the run's).")
    parser.add_argument("--plot", default=None, help="PNG of the two curves.")
    args = parser.parse_args()
    if args.every < 1:
        parser.error(f"--every must be >= 1. Received: --every={args.every}")

    import keras

    from keras_gan import run_layout
    from keras_gan.data.datasets import load_dataset
    from keras_gan.data.pipeline import to_array
    from keras_gan.metrics.parzen import PARZEN_SAMPLES
    from keras_gan.metrics.parzen import validation_parzen

    folders = run_layout.checkpoint_folders(args.run)
    points = []
    for folder in folders:
        state_file = folder / run_layout.STATE_FILE
        if not state_file.is_file():
            continue  # a checkpoint being written
        state = json.loads(state_file.read_text())
        epoch, rest = divmod(state["step"], state["steps_per_epoch"])
        if rest == 0 and epoch % args.every == 0:
            points.append((epoch, folder / run_layout.MODEL_FILE))
    if not points:
        parser.error(
            f"no whole checkpoint at a multiple of {args.every} epochs in {args.run}/checkpoints "
            f"(found {len(folders)} checkpoint folders; train with --checkpoints_to_keep=1000)"
        )
    validation = to_array(
        load_dataset(
            "mnist", data_dir=args.data_dir, manual_dir=args.manual_dir, split=args.validation_split
        )
    )

    def score(gan, average):
        gan.sample_from_average = average
        return validation_parzen(gan.generate(PARZEN_SAMPLES, seed=args.seed), validation)

    print(f"{args.run}: validation Parzen log-likelihood ({args.validation_split})")
    print("epoch  averaged  trained")
    rows, decay = [], None
    for epoch, model in points:
        gan = keras.saving.load_model(model)
        if gan.averaged_generator is None:
            parser.error(f"{model} has no generator average: train with --ema")
        decay = gan.generator_ema
        rows.append((epoch, score(gan, True), score(gan, False)))
        print(f"{epoch:5d}  {rows[-1][1]:8.2f}  {rows[-1][2]:7.2f}", flush=True)
    for column, name in ((1, "averaged"), (2, "trained")):
        best = max(rows, key=lambda row, column=column: row[column])
        print(f"best {name}: {best[column]:.1f} at epoch {best[0]}")
    if args.plot:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(6, 4))
        axes = figure.subplots()
        epochs = [row[0] for row in rows]
        axes.plot(epochs, [row[1] for row in rows], marker=".", label=f"averaged G (EMA {decay})")
        axes.plot(epochs, [row[2] for row in rows], marker=".", label="trained G")
        axes.set_xlabel("epoch")
        axes.set_ylabel("validation Parzen log-likelihood")
        axes.legend()
        figure.tight_layout()
        figure.savefig(args.plot, dpi=100)
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
