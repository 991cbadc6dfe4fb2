"""The paper's MNIST pair on real MNIST, prepared offline by tensorflow-datasets."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data import load_tfds_images
from keras_gan.models import paper_mnist_gan


@pytest.mark.slow
def test_paper_pair_trains_on_real_mnist(mnist_data_dir):
    train = load_tfds_images("mnist", split="train[:50000]", data_dir=mnist_data_dir)
    images = train.map(lambda image, label: image)

    total = images.batch(10000).reduce(tf.zeros((28, 28, 1)), lambda s, b: s + tf.reduce_sum(b, 0))
    marginals = (total / 50000.0).numpy()
    # SOURCE.md: the mean pixel of all 60,000 training images is 33.3184 / 255.
    assert abs(marginals.mean() - 33.3184 / 255) < 0.002

    gan = paper_mnist_gan(output_bias_marginals=marginals.reshape(-1), seed=0)
    untrained = gan.generate(100, seed=0)
    dataset = images.shuffle(10000, seed=0).batch(100, drop_remainder=True).take(300)
    history = gan.fit(dataset, epochs=1, verbose=0)

    assert int(gan.d_optimizer.iterations) == int(gan.g_optimizer.iterations) == 300
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.isfinite(history.history[key][0])
    samples = gan.generate(100, seed=0)
    assert samples.shape == (100, 28, 28, 1)
    assert samples.min() >= 0.0 and samples.max() <= 1.0
    assert not np.allclose(samples, untrained, atol=1e-3)
    # The discriminator has learned something: it scores data above samples.
    assert history.history["d_real"][0] > history.history["d_fake"][0]
