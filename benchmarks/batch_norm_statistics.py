"""Do G's batch-norm moving statistics, updated on k + 1 batches a step, describe the trained G?

    python benchmarks/batch_norm_statistics.py RUN/checkpoints/step-N/gan.keras TFDS_DIR

In a step of Algorithm 1 the generator makes k + 1 batches in training mode, all from the same
weights (G is updated after them), so its moving statistics are an average over k + 1 batches a
step of G's recent weights. This scores a checkpoint's G (MNIST, the package's classifier
features, 10,000 samples of seeds 0 and 1 against the 10,000 test images) with the statistics as
trained, then with statistics re-estimated for the same weights (400 fresh batches of 128 in
training mode drive the moving averages to the current weights' statistics; the weights are
checked unchanged). If the two FIDs agree, the statistics describe the trained G. Prints JSON.
A benchmark, not a test.
"""

import json
import sys

import keras
import numpy as np

import keras_gan  # noqa: F401  (registers the classes the checkpoint names)
from keras_gan.data import load_tfds_images
from keras_gan.data.pipeline import to_array
from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.mnist_classifier import mnist_feature_extractor


def main(path, data_dir):
    gan = keras.saving.load_model(path)
    network = mnist_feature_extractor()
    real = extract_features(network, to_array(load_tfds_images("mnist", "test", data_dir)))

    def fids():
        return [
            frechet_distance(real, extract_features(network, gan.generate(10000, seed=seed)))
            for seed in (0, 1)
        ]

    generator = gan.generator
    norms = [
        layer
        for layer in generator._flatten_layers()
        if isinstance(layer, keras.layers.BatchNormalization)
    ]
    weights = [w.numpy().copy() for w in generator.trainable_weights]
    as_trained = [layer.moving_variance.numpy().copy() for layer in norms]
    results = {"fid_with_trained_statistics": fids()}
    for i in range(400):
        generator(gan.sample_latent(128, seed=10_000 + i), training=True)
    for before, after in zip(weights, generator.trainable_weights, strict=True):
        assert np.array_equal(before, after.numpy())
    results["fid_with_reestimated_statistics"] = fids()
    results["moving_variance_relative_change"] = [
        float(np.abs(layer.moving_variance.numpy() - old).mean() / np.abs(old).mean())
        for layer, old in zip(norms, as_trained, strict=True)
    ]
    print(json.dumps(results))


if __name__ == "__main__":
    main(*sys.argv[1:])
