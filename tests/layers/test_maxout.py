import keras
import numpy as np
import pytest

from keras_gan.layers import Maxout
from tests import test_case


def test_output_is_max_over_pieces_of_the_affine_map():
    layer = Maxout(units=3, num_pieces=4)
    x = np.random.default_rng(0).normal(size=(5, 6)).astype("float32")
    y = keras.ops.convert_to_numpy(layer(x))
    kernel, bias = layer.dense.get_weights()
    pieces = (x @ kernel + bias).reshape(5, 3, 4)
    np.testing.assert_allclose(y, pieces.max(axis=-1), rtol=1e-5, atol=1e-6)
    assert layer.compute_output_shape((None, 6)) == (None, 3)


def test_config_and_saving_round_trip(tmp_path):
    layer = Maxout(units=3, num_pieces=2, kernel_initializer="he_normal", name="mx")
    test_case.assert_config_round_trip(layer)
    model = keras.Sequential([keras.Input((6,)), layer])
    test_case.assert_saving_round_trip(model, np.ones((2, 6), "float32"), tmp_path)


@pytest.mark.parametrize("arg", ["units", "num_pieces"])
def test_rejects_non_positive_sizes(arg):
    kwargs = {"units": 3, "num_pieces": 2, arg: 0}
    with pytest.raises(ValueError, match=f"`{arg}` must be a positive integer. Received: {arg}=0"):
        Maxout(**kwargs)
