"""`train_encoder`: an encoder fitted afterwards to a finished run's generator."""

import json
import os
import pathlib
import shutil
import sys

import keras

from keras_gan import inference
from keras_gan import run_layout
from keras_gan.data.datasets import load_dataset
from keras_gan.data.pipeline import to_array
from keras_gan.export.sources import load_trained_gan
from keras_gan.models.dcgan_encoder import DCGANEncoder
from keras_gan.models.latent_regression import LatentRegression
from keras_gan.models.mlp_encoder import MLPEncoder
from keras_gan.train.config import IMAGE_FAMILY_FLAGS

ENCODERS = ("auto", "mlp", "conv")
# Generators of dense layers, whose runs get an MLP encoder by default; every other image
# model's generator is convolutional and gets the DCGAN discriminator's convolutions.
MLP_GENERATORS = ("mlp", "paper_cifar10_fc")
MLP_UNITS = (1200, 1200)  # MLPEncoder's default, for runs without --g_units
CONV_FILTERS = 64  # DCGANEncoder's default, for runs without --filters


def train_encoder(
    source,
    epochs=5,
    batch_size=100,
    learning_rate=1e-3,
    reconstruction_weight=0.0,
    seed=0,
    data_dir=None,
    manual_dir=None,
    output_dir=None,
    encoder="auto",
    units=None,
    filters=None,
):
    """Fits an encoder to the generator of the run at `source`; writes it into the run.

    The encoder is an `MLPEncoder` or a `DCGANEncoder` (`encoder`; "auto":
    an MLP for the dense generators of `--model=mlp` and `paper_cifar10_fc`,
    the convolutions for every other model). The MLP's hidden layers are
    `units`, by default the run's `--g_units` reversed (`--model=mlp`) or
    (1200, 1200); the convolutions start at `filters`, by default the run's
    `--filters` where its model reads that flag, else 64. It is trained by
    `LatentRegression` on the generator the run samples from, on the run's
    own training data (`--dataset`, `--split`). Written to
    `<source>/encoder/` (or `output_dir`), all at once when done:
    `encoder.keras`, `source.json` (the checkpoint it was fitted to, the
    settings, the losses per epoch) and the pictures of
    `keras_gan.inference.write_pictures`.

    Args:
        source: a run directory of `scripts/train.py` (its newest checkpoint).
        epochs, batch_size, learning_rate: of the regression (Adam).
        reconstruction_weight: see `LatentRegression`.
        seed: seed of the encoder's weights, the noise and the data order.
        data_dir, manual_dir: override the run's, e.g. on another machine.
        output_dir: where to write; never an existing folder.
        encoder: "auto", "mlp" or "conv".
        units: the MLP's hidden layer sizes (only with an MLP encoder), or None.
        filters: the first convolution's filters (only with "conv"), or None.

    Returns:
        The output folder.

    Raises:
        ValueError: for a source that is not a finished unconditional run, an
            existing output folder, or bad settings.
    """
    run = pathlib.Path(source)
    config_file = run / run_layout.CONFIG_FILE
    latest = run_layout.latest_checkpoint(run) if run.is_dir() else None
    if not config_file.is_file() or latest is None:
        raise ValueError(
            f"--source must be a run directory of scripts/train.py with {run_layout.CONFIG_FILE} "
            f"and a checkpoint. Received: --source={source}"
        )
    output = pathlib.Path(output_dir) if output_dir else run / run_layout.ENCODER_DIR
    if output.exists():
        raise ValueError(
            f"The output folder exists and is never overwritten. Received: {output} (choose "
            "another with --output_dir, or move it away)"
        )
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"--{name} must be an integer >= 1. Received: --{name}={value}")
    if not learning_rate > 0:
        raise ValueError(f"--learning_rate must be > 0. Received: --learning_rate={learning_rate}")
    config = json.loads(config_file.read_text())["config"]
    kind, size = _encoder_settings(config, encoder, units, filters)
    gan = load_trained_gan(latest[0])
    if getattr(gan, "encoder", None) is not None:
        raise ValueError(
            f"The run at {source} is a BiGAN and has its encoder already (exported and evaluated "
            "with it); train_encoder fits one to a GAN without."
        )
    if gan.num_classes is not None:
        raise ValueError(
            f"The run at {source} is conditional; train_encoder fits an encoder to an "
            "unconditional generator."
        )
    images = to_array(
        load_dataset(
            config["dataset"],
            data_dir=data_dir or config["data_dir"] or None,
            manual_dir=manual_dir or config["manual_dir"] or None,
            split=config["split"],
            num_samples=config["num_samples"],
            seed=config["seed"],
        )
    )
    keras.utils.set_random_seed(seed)
    if kind == "conv":
        encoder = DCGANEncoder(gan.latent_dim, gan.data_shape, base_filters=size, name="encoder")
    else:
        encoder = MLPEncoder(gan.latent_dim, size, name="encoder")
    regression = LatentRegression.for_gan(gan, encoder, reconstruction_weight, seed=seed)
    regression.compile(optimizer=keras.optimizers.Adam(learning_rate))
    print(
        f"keras_gan: fitting {type(encoder).__name__}({size}) to {latest[0]} on "
        f"{len(images)} samples of {config['dataset']}, {epochs} epochs; writing to {output}",
        flush=True,
    )
    history = regression.fit(
        images, batch_size=batch_size, epochs=epochs, verbose=1 if sys.stdout.isatty() else 2
    )
    partial = output.with_name(f".partial-{output.name}-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        encoder.save(partial / run_layout.ENCODER_FILE)
        if len(gan.data_shape) == 3:
            inference.write_pictures(gan, partial, encoder, images, seed=seed)
        settings = {
            "checkpoint": str(latest[0].parent),
            "step": latest[1]["step"],
            "epochs": epochs,
            "batch_size": batch_size,
            "learning_rate": learning_rate,
            "reconstruction_weight": reconstruction_weight,
            "seed": seed,
            "encoder": {"kind": kind, "units" if kind == "mlp" else "filters": size},
            "history": {k: [float(v) for v in values] for k, values in history.history.items()},
        }
        (partial / "source.json").write_text(json.dumps(settings, indent=2) + "\n")
        os.rename(partial, output)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return output


def _encoder_settings(config, encoder, units, filters):
    """`("mlp", hidden units)` or `("conv", base filters)` for the run `config` records."""
    if encoder not in ENCODERS:
        raise ValueError(f"--encoder must be one of {', '.join(ENCODERS)}. Received: {encoder!r}")
    model = config["model"]
    kind = encoder if encoder != "auto" else ("mlp" if model in MLP_GENERATORS else "conv")
    if kind == "mlp":
        if filters is not None:
            raise ValueError(
                f"--encoder_filters sizes a convolutional encoder, and this one is an MLP "
                f"(--encoder={encoder}, the run's --model={model}); set --encoder=conv or "
                f"--encoder_units. Received: --encoder_filters={filters}"
            )
        if units is None:
            units = tuple(config["g_units"])[::-1] if model == "mlp" else MLP_UNITS
        units = tuple(units)
        if not units or any(isinstance(u, bool) or not isinstance(u, int) or u < 1 for u in units):
            raise ValueError(
                "--encoder_units must be integers >= 1, comma-separated. Received: "
                f"--encoder_units={','.join(map(str, units))}"
            )
        return kind, units
    if units is not None:
        raise ValueError(
            f"--encoder_units sizes an MLP encoder, and this one is convolutional "
            f"(--encoder={encoder}, the run's --model={model}); set --encoder=mlp or "
            f"--encoder_filters. Received: --encoder_units={','.join(map(str, units))}"
        )
    if filters is None:
        filters = config["filters"] if model in IMAGE_FAMILY_FLAGS["filters"] else CONV_FILTERS
    if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
        raise ValueError(f"--encoder_filters must be an integer >= 1. Received: {filters!r}")
    return kind, filters
