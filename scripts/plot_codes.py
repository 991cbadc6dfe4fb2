"""Draws what an InfoGAN's codes control, as the InfoGAN paper's Figure 2.

    python scripts/plot_codes.py --source=runs/infogan_mnist --output_dir=runs/infogan_mnist/codes

Writes `categorical.png` (a row per category, a column per noise draw) and
`continuous_J.png` for each continuous code J (a row per category, the code from
-span to span across the columns). --source is a run directory, a checkpoint
folder or a `.keras` file of a --model=infogan run.
"""

import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

_SOURCE = flags.DEFINE_string("source", None, "Run directory, checkpoint folder or .keras file.")
_OUTPUT_DIR = flags.DEFINE_string("output_dir", None, "Folder for the PNGs (new files only).")
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the noise draws.")
_SPAN = flags.DEFINE_float("span", 2.0, "The continuous codes run from -span to span.")
flags.mark_flags_as_required(["source", "output_dir"])


def main(argv):
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    from keras_gan import plots
    from keras_gan.export import load_trained_gan
    from keras_gan.models import InfoGAN

    try:
        gan = load_trained_gan(_SOURCE.value)
    except ValueError as error:
        _error(error)
    if not isinstance(gan, InfoGAN):
        _error(
            f"--source holds a {type(gan).__name__}, not an InfoGAN (train with --model=infogan). "
            f"Received: --source={_SOURCE.value}"
        )
    output = pathlib.Path(_OUTPUT_DIR.value)
    codes = [None, *range(gan.codes.continuous)]
    paths = [output / ("categorical.png" if c is None else f"continuous_{c}.png") for c in codes]
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        _error(f"these files exist and are never overwritten: {existing}")
    output.mkdir(parents=True, exist_ok=True)
    for code, path in zip(codes, paths, strict=True):
        try:
            images, rows = gan.code_traversal(_SEED.value, continuous=code, span=_SPAN.value)
        except ValueError as error:
            _error(error)
        title = (
            "rows: category; columns: noise"
            if code is None
            else f"continuous code {code}: -{_SPAN.value:g} to {_SPAN.value:g}"
        )
        plots.plot_image_grid(images, path, title=title, columns=10, row_labels=rows)
        print(f"wrote {path}")


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    app.run(main)
