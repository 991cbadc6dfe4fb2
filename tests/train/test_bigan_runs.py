"""BiGAN runs (--bigan) and encoders fitted to finished runs (scripts/train_encoder.py)."""

import json
import re
import signal
import subprocess
import sys

import keras
import numpy as np
import pytest

from keras_gan.models import BiGAN
from keras_gan.train import train
from keras_gan.train.encoder_training import train_encoder
from tests.conftest import REPO
from tests.train.test_train_script import ENV
from tests.train.test_train_script import SignalAtStep
from tests.train.test_trainer import _assert_same_variables
from tests.train.test_trainer import _class_folder
from tests.train.test_trainer import tiny


def image_run(run_dir, images, **changes):
    """A DCGAN-family run on 8x8 images: 2 epochs of 10 steps."""
    settings = dict(dataset="folder", data_dir=str(images), model="dcgan", filters=4, batch_size=10)
    return tiny(run_dir, **{**settings, **changes})


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    return _class_folder(tmp_path_factory.mktemp("images") / "images")


def test_a_bigan_run_writes_its_encoder_pictures_and_export(tmp_path, images):
    run = tmp_path / "run"
    result = train(image_run(run, images, bigan=True, export=True))
    assert isinstance(result.gan, BiGAN)
    assert type(result.gan.encoder).__name__ == "DCGANEncoder"
    assert result.gan.discriminator.latent_dim == 4
    pictures = {p.name for p in (run / "samples").iterdir()}
    assert {"interpolations.png", "interpolations_data.png", "reconstructions.png"} <= pictures
    saved = keras.saving.load_model(run / "checkpoints/step-000000020/gan.keras")
    assert isinstance(saved, BiGAN)
    # The export answers encode with the run's encoder.
    import tensorflow as tf

    served = tf.saved_model.load(result.export_path).signatures["encode"]
    x = np.random.default_rng(0).uniform(size=(3, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(
        served(images=tf.constant(x))["latent"].numpy(), result.gan.encode(x), atol=1e-5
    )


def test_an_mlp_bigan_run_stopped_mid_epoch_resumes_exactly(tmp_path):
    settings = dict(bigan=True, d_steps=2, d_input_dropout=0.2)
    straight = train(tiny(tmp_path / "straight", **settings))
    assert type(straight.gan.encoder).__name__ == "MLPEncoder"
    stopped = train(tiny(tmp_path / "stopped", **settings), [SignalAtStep(5, signal.SIGTERM)])
    assert (stopped.stopped_by, stopped.step) == ("SIGTERM", 5)
    resumed = train(tiny(tmp_path / "stopped", resume=True, **settings))
    assert resumed.step == 20
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"conditional": True}, "--conditional cannot be used with --bigan"),
        ({"r1_gamma": 1.0}, "--r1_gamma cannot be used with --bigan"),
        ({"simultaneous_updates": True}, "--simultaneous_updates cannot be used with --bigan"),
    ],
)
def test_options_for_a_discriminator_of_samples_alone_are_refused_with_bigan(
    tmp_path, changes, message
):
    with pytest.raises(ValueError, match=message):
        train(tiny(tmp_path / "run", bigan=True, **changes))
    assert not (tmp_path / "run").exists()


def test_train_encoder_fits_an_encoder_into_the_run_and_never_overwrites_it(tmp_path, images):
    run = tmp_path / "run"
    train(image_run(run, images))
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts/train_encoder.py"),
            f"--source={run}",
            "--epochs=2",
            "--batch_size=10",
            "--reconstruction_weight=1",
        ],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"wrote the encoder and its pictures to {run}/encoder" in done.stdout
    folder = run / "encoder"
    assert {p.name for p in folder.iterdir()} == {
        "encoder.keras",
        "source.json",
        "interpolations.png",
        "interpolations_data.png",
        "reconstructions.png",
    }
    source = json.loads((folder / "source.json").read_text())
    assert source["checkpoint"] == str(run / "checkpoints/step-000000020")
    assert source["encoder"] == {"kind": "conv", "filters": 4}  # the run's --filters
    assert len(source["history"]["latent_loss"]) == 2
    encoder = keras.saving.load_model(folder / "encoder.keras")
    assert encoder(np.zeros((2, 8, 8, 1)), training=False).shape == (2, 4)

    stamp = (folder / "encoder.keras").stat().st_mtime_ns
    with pytest.raises(ValueError, match="exists and is never overwritten"):
        train_encoder(run, epochs=1)
    assert (folder / "encoder.keras").stat().st_mtime_ns == stamp


def test_train_encoder_refuses_a_bigan_and_a_folder_without_a_run(tmp_path):
    train(tiny(tmp_path / "bigan", bigan=True, epochs=1))
    with pytest.raises(ValueError, match="is a BiGAN and has its encoder already"):
        train_encoder(tmp_path / "bigan")
    assert not (tmp_path / "bigan/encoder").exists()
    with pytest.raises(ValueError, match="--source must be a run directory"):
        train_encoder(tmp_path / "nothing")
    with pytest.raises(ValueError, match="--epochs must be an integer >= 1"):
        train(tiny(tmp_path / "plain", epochs=1))
        train_encoder(tmp_path / "plain", epochs=0)


def test_train_encoder_sizes_its_encoder_from_the_run_or_the_flags_that_fit_it(tmp_path, images):
    # A ResNet run sets --filters but not --g_units: its encoder is convolutional and starts
    # at the run's filters; an MLP encoder for it is sized by --encoder_units.
    run = tmp_path / "resnet"
    train(image_run(run, images, model="resnet", filters=3, epochs=1))
    conv = train_encoder(run, epochs=1, batch_size=10, output_dir=tmp_path / "conv")
    encoder = keras.saving.load_model(conv / "encoder.keras")
    assert type(encoder).__name__ == "DCGANEncoder" and encoder.base_filters == 3
    mlp = train_encoder(
        run, epochs=1, batch_size=10, output_dir=tmp_path / "mlp", encoder="mlp", units=(7, 5)
    )
    encoder = keras.saving.load_model(mlp / "encoder.keras")
    assert type(encoder).__name__ == "MLPEncoder" and encoder.hidden_units == (7, 5)
    assert json.loads((mlp / "source.json").read_text())["encoder"] == {
        "kind": "mlp",
        "units": [7, 5],
    }


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"units": (8,)}, "--encoder_units sizes an MLP encoder, and this one is convolutional"),
        ({"encoder": "mlp", "filters": 8}, "--encoder_filters sizes a convolutional encoder"),
        ({"encoder": "mlp", "units": (8, 0)}, "Received: --encoder_units=8,0"),
        ({"filters": 0}, "--encoder_filters must be an integer >= 1. Received: 0"),
        ({"encoder": "dense"}, "--encoder must be one of auto, mlp, conv. Received: 'dense'"),
    ],
)
def test_train_encoder_refuses_sizes_its_encoder_would_not_read(
    tmp_path, images, settings, message
):
    run = tmp_path / "run"
    train(image_run(run, images, epochs=1))
    with pytest.raises(ValueError, match=re.escape(message)):
        train_encoder(run, **settings)
    assert not (run / "encoder").exists()
