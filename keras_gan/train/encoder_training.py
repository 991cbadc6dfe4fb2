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
):
    """Fits an encoder to the generator of the run at `source`; writes it into the run.

    The encoder mirrors the run's generator (an `MLPEncoder` for `--model=mlp`,
    a `DCGANEncoder` for `--model=dcgan`) and is trained by
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
    if config["model"] == "dcgan":
        encoder = DCGANEncoder(
            gan.latent_dim, gan.data_shape, base_filters=config["filters"], name="encoder"
        )
    else:
        encoder = MLPEncoder(gan.latent_dim, tuple(config["g_units"])[::-1], name="encoder")
    regression = LatentRegression.for_gan(gan, encoder, reconstruction_weight, seed=seed)
    regression.compile(optimizer=keras.optimizers.Adam(learning_rate))
    print(
        f"keras_gan: fitting an encoder to {latest[0]} on {len(images)} samples of "
        f"{config['dataset']}, {epochs} epochs; writing to {output}",
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
            "history": {k: [float(v) for v in values] for k, values in history.history.items()},
        }
        (partial / "source.json").write_text(json.dumps(settings, indent=2) + "\n")
        os.rename(partial, output)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return output
