"""Fixtures shared by the evaluation tests."""

import json

import pytest

from keras_gan import GAN
from keras_gan.export import export_generator
from keras_gan.models import MaxoutDiscriminator
from keras_gan.models import MLPGenerator


@pytest.fixture(scope="session")
def tiny_mnist_generator(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    gan = GAN(
        MLPGenerator(latent_dim=4, data_shape=(28, 28, 1), hidden_units=(8,)),
        MaxoutDiscriminator(hidden_units=(4,), num_pieces=2),
        seed=0,
    )
    gan.compile()
    gan.save(folder / "gan.keras")
    return folder / "gan.keras", export_generator(gan, folder / "serving")


@pytest.fixture
def gcn_run(tmp_path):
    """Saves a tiny linear-output GAN in a run layout whose config.json records `--gcn`.

    Call it with `(data_shape, gcn)`; it returns `(gan, checkpoint folder)`, and
    the run directory is `tmp_path / "run"`.
    """
    return lambda data_shape, gcn: _save_gcn_run(tmp_path, data_shape, gcn)


def _save_gcn_run(folder, data_shape, gcn):
    gan = GAN(
        MLPGenerator(
            latent_dim=4, data_shape=data_shape, hidden_units=(8,), output_activation="linear"
        ),
        MaxoutDiscriminator(hidden_units=(4,), num_pieces=2),
        seed=0,
    )
    gan.compile()
    checkpoint = folder / "run" / "checkpoints" / "step-000000001"
    checkpoint.mkdir(parents=True)
    gan.save(checkpoint / "gan.keras")
    (checkpoint / "state.json").write_text(json.dumps({"step": 1}))
    (folder / "run" / "config.json").write_text(json.dumps({"config": {"gcn": gcn}}))
    return gan, checkpoint
