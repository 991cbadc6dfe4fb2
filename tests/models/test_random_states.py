"""The GAN's saved random-number states: keyed by the layer that owns them."""

import keras
import numpy as np
import pytest

from keras_gan import GAN
from tests import test_case


def test_states_are_keyed_by_their_owners_path():
    gan = test_case.small_image_gan()
    assert sorted(gan._random_states()) == [
        "random_state:0",  # the GAN's training noise
        "random_state:1",  # its evaluation noise
        "random_state:discriminator.dropout_0.0",
        "random_state:discriminator.dropout_1.0",
    ]


def _pair(dropout_name):
    generator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dropout(0.5, name=dropout_name), keras.layers.Dense(1)]
    )
    return GAN(generator, discriminator, seed=0)


def test_a_file_from_a_model_with_other_random_layers_is_refused(tmp_path):
    saved = _pair("dropout_a")
    saved.save(tmp_path / "gan.keras")
    other = _pair("dropout_b")  # the same weights, another random layer
    before = [np.asarray(v).copy() for v in other._random_states().values()]
    with pytest.raises(
        ValueError,
        match=r"In the file but not in the model: \['random_state:discriminator.dropout_a.0'\]; "
        r"in the model but not in the file: \['random_state:discriminator.dropout_b.0'\]",
    ):
        other.load_weights(tmp_path / "gan.keras")
    for state, initial in zip(other._random_states().values(), before, strict=True):
        np.testing.assert_array_equal(np.asarray(state), initial)


def test_each_state_is_restored_into_its_own_layer(tmp_path):
    gan = test_case.small_image_gan(seed=3)
    gan.compile()
    gan.fit(test_case.small_images(16), batch_size=8, verbose=0)
    gan.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    original, restored = gan._random_states(), loaded._random_states()
    assert set(original) == set(restored)
    for key, state in original.items():
        np.testing.assert_array_equal(np.asarray(state), np.asarray(restored[key]))
    # The states differ from each other, so a state in the wrong layer would show.
    values = [tuple(np.asarray(s).tolist()) for s in original.values()]
    assert len(set(values)) == len(values)
