"""Fixtures shared by the evaluation tests."""

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
