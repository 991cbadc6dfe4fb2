"""Fits an encoder (z from x) to the generator of a finished run, and writes it into the run.

    python scripts/train_encoder.py --source=runs/paper_mnist --manual_dir=../shared/data/mnist

The encoder regresses z from G(z) (the paper's section 7: "the inference net may be trained
for a fixed generator net after the generator net has finished training"), with an optional
reconstruction term on the run's data. It lands in RUN/encoder/: encoder.keras, source.json
(the checkpoint it belongs to) and pictures. Then:

    python scripts/evaluate.py --model=RUN --encoder=RUN/encoder/encoder.keras \
        --metrics=reconstruction,nn_accuracy
    python scripts/export.py --source=RUN --encoder=RUN/encoder/encoder.keras
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402
from absl import logging  # noqa: E402

_SOURCE = flags.DEFINE_string("source", None, "Run directory of scripts/train.py.")
_EPOCHS = flags.DEFINE_integer("epochs", 5, "Epochs over the run's data.")
_BATCH_SIZE = flags.DEFINE_integer("batch_size", 100, "Batch size.")
_LEARNING_RATE = flags.DEFINE_float("learning_rate", 1e-3, "Adam's learning rate.")
_RECONSTRUCTION_WEIGHT = flags.DEFINE_float(
    "reconstruction_weight", 0.0, "Weight of the pixel MSE of G(E(x)) on real x (0: off)."
)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the encoder's weights, noise and data order.")
_DATA_DIR = flags.DEFINE_string("data_dir", None, "Overrides the run's --data_dir.")
_MANUAL_DIR = flags.DEFINE_string("manual_dir", None, "Overrides the run's --manual_dir.")
_OUTPUT_DIR = flags.DEFINE_string("output_dir", None, "Default: RUN/encoder (never overwritten).")
_ENCODER = flags.DEFINE_enum(
    "encoder",
    "auto",
    ["auto", "mlp", "conv"],
    "The encoder: an MLP, or the DCGAN discriminator's convolutions; auto: an MLP for "
    "--model=mlp and paper_cifar10_fc runs, convolutions for every other model.",
)
_ENCODER_UNITS = flags.DEFINE_list(
    "encoder_units",
    None,
    "The MLP encoder's hidden layer sizes, e.g. 1200,1200. Default: the run's --g_units "
    "reversed (--model=mlp), else 1200,1200.",
)
_ENCODER_FILTERS = flags.DEFINE_integer(
    "encoder_filters",
    None,
    "The convolutional encoder's first filters, doubling each stride. Default: the run's "
    "--filters where its model reads it, else 64.",
)
flags.mark_flag_as_required("source")


def main(argv):
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    from keras_gan.train.encoder_training import train_encoder

    if not flags.FLAGS["verbosity"].present:
        logging.set_verbosity(logging.WARNING)
    try:
        output = train_encoder(
            _SOURCE.value,
            epochs=_EPOCHS.value,
            batch_size=_BATCH_SIZE.value,
            learning_rate=_LEARNING_RATE.value,
            reconstruction_weight=_RECONSTRUCTION_WEIGHT.value,
            seed=_SEED.value,
            data_dir=_DATA_DIR.value,
            manual_dir=_MANUAL_DIR.value,
            output_dir=_OUTPUT_DIR.value,
            encoder=_ENCODER.value,
            units=_units(_ENCODER_UNITS.value),
            filters=_ENCODER_FILTERS.value,
        )
    except ValueError as error:
        _error(error)
    print(f"wrote the encoder and its pictures to {output}")


def _units(values):
    """--encoder_units as integers (None when not given)."""
    if values is None:
        return None
    try:
        return tuple(int(value) for value in values)
    except ValueError:
        _error(
            "--encoder_units must be integers >= 1, comma-separated. Received: "
            f"--encoder_units={','.join(values)}"
        )


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    app.run(main)
