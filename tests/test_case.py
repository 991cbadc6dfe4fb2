"""Helpers every model and layer test reuses."""

import keras
import numpy as np


def assert_config_round_trip(obj):
    """`from_config(get_config())` rebuilds an object with the same config."""
    config = obj.get_config()
    clone = type(obj).from_config(config)
    assert clone.get_config() == config
    return clone


def assert_saving_round_trip(model, inputs, tmp_path):
    """A `.keras` save and reload gives the same class and the same outputs."""
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is type(model)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(model(inputs, training=False)),
        keras.ops.convert_to_numpy(loaded(inputs, training=False)),
        rtol=1e-6,
        atol=1e-6,
    )
    return loaded


def weights_of(model):
    """Copies of a model's weights, to compare before and after training."""
    return [np.array(w) for w in model.get_weights()]


def small_image_gan(d_steps=1, seed=0, **kwargs):
    """A tiny MLP GAN on 4x4x1 images: fast enough to train in every test."""
    from keras_gan import GAN
    from keras_gan.models import MaxoutDiscriminator
    from keras_gan.models import MLPGenerator

    generator = MLPGenerator(latent_dim=8, data_shape=(4, 4, 1), hidden_units=(16,))
    discriminator = MaxoutDiscriminator(hidden_units=(8,), num_pieces=2)
    return GAN(generator, discriminator, d_steps=d_steps, seed=seed, **kwargs)


def small_images(num=64, seed=0):
    return np.random.default_rng(seed).uniform(size=(num, 4, 4, 1)).astype("float32")
