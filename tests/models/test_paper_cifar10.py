"""The 2014 CIFAR-10 models: the shapes of goodfeli/adversarial's two configs, GCN, a step."""

import keras
import numpy as np
import pytest

from keras_gan.data import global_contrast_normalize
from keras_gan.models.paper_cifar10 import paper_cifar10_gan
from keras_gan.models.paper_cifar10 import paper_cifar10_networks
from tests import test_case


def shapes(model):
    return {weight.path.split("/", 1)[1]: tuple(weight.shape) for weight in model.weights}


def test_the_convolutional_pair_has_the_2014_shapes():
    generator, discriminator = paper_cifar10_networks("conv")
    assert generator(np.zeros((2, 100), "float32")).shape == (2, 32, 32, 3)
    assert shapes(generator) == {
        "hidden_0/kernel": (100, 8000),
        "hidden_0/bias": (8000,),
        "hidden_1/kernel": (8000, 8000),
        "hidden_1/bias": (8000,),
        "deconv/kernel": (5, 5, 3, 80),  # 10x10x80 -> 32x32x3, stride 3
        "output_bias": (32, 32, 3),  # pylearn2's untied biases
    }
    images = np.zeros((2, 32, 32, 3), "float32")
    assert discriminator(images).shape == (2, 1)
    # The maps between the layers: 16x16x32, 7x7x32, 5x5x192 (the configs' partial_sum
    # values 33 and 15 are the first two convolutions' output rows).
    x = images
    for conv, expected in zip(discriminator.convs, [(16, 32), (7, 32), (5, 192)], strict=True):
        x = conv(x)
        assert x.shape[1:] == (expected[0], expected[0], expected[1])
    assert shapes(discriminator) == {
        "maxout_conv_0/conv/kernel": (8, 8, 3, 64),
        "maxout_conv_0/conv/bias": (64,),
        "maxout_conv_1/conv/kernel": (8, 8, 32, 64),
        "maxout_conv_1/conv/bias": (64,),
        "maxout_conv_2/conv/kernel": (5, 5, 32, 384),
        "maxout_conv_2/conv/bias": (384,),
        "maxout/dense/kernel": (4800, 2500),
        "maxout/dense/bias": (2500,),
        "logit/kernel": (500, 1),
        "logit/bias": (1,),
    }
    for model in (generator, discriminator):
        test_case.assert_config_round_trip(model)


def test_the_fully_connected_pair_has_the_2014_shapes():
    generator, discriminator = paper_cifar10_networks("fc")
    assert generator(np.zeros((2, 100), "float32")).shape == (2, 32, 32, 3)
    g = shapes(generator)
    assert [g[f"{name}/kernel"] for name in ("hidden_0", "hidden_1", "output")] == [
        (100, 8000),
        (8000, 8000),
        (8000, 3072),
    ]
    assert [layer.activation.__name__ for layer in generator.hidden_layers] == ["relu", "sigmoid"]
    assert generator.output_layer.activation.__name__ == "linear"
    assert np.abs(generator.output_layer.kernel.numpy()).max() > 0.45  # irange .5
    assert np.abs(generator.hidden_layers[0].kernel.numpy()).max() <= 0.05
    assert discriminator(np.zeros((2, 32, 32, 3), "float32")).shape == (2, 1)
    kernels = [v for k, v in shapes(discriminator).items() if k.endswith("kernel")]
    assert kernels == [(3072, 8000), (1600, 8000), (1600, 1)]


@pytest.mark.parametrize("kind", ["fc", "conv"])
def test_each_paper_gan_takes_a_step_on_contrast_normalised_images(kind):
    keras.utils.set_random_seed(0)
    gan = paper_cifar10_gan(kind, seed=0)
    images = global_contrast_normalize(
        np.random.default_rng(0).integers(0, 256, (4, 32, 32, 3)).astype("float32")
    )
    before = [w.numpy().copy() for w in gan.generator.trainable_weights[:1]]
    history = gan.fit(images, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0]) and np.isfinite(history.history["g_loss"][0])
    assert not np.array_equal(before[0], gan.generator.trainable_weights[0].numpy())
    with pytest.raises(ValueError, match=r"`kind` must be 'fc' or 'conv'. Received: kind='mlp'"):
        paper_cifar10_networks("mlp")
