"""A cheap quality number every few epochs, into the epoch logs and TensorBoard."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.data.datasets import MODES
from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.metrics.parzen import PARZEN_SAMPLES
from keras_gan.metrics.parzen import validation_parzen

SAMPLES = 2000


class PeriodicEvaluation(keras.callbacks.Callback):
    """Every `every` epochs: FID for 28x28x1 images, mode coverage for ring/grid.

    FID uses the package's MNIST classifier on 2,000 samples against 2,000
    training images (quick, and comparable between epochs of one run, not
    with the 10,000-sample numbers of `scripts/evaluate.py`); a conditional
    GAN's 2,000 are class-balanced, as its training images are near enough. With
    `validation` data, also `validation_parzen`: the paper's Parzen-window
    estimate on held-out data, kernels on 10,000 samples, the mean
    log-likelihood at the best of the paper's widths (the test set is never
    read, so choosing a checkpoint by it is fair). The values join the
    epoch's logs (`eval_fid`, `eval_modes_covered`, `eval_validation_parzen`,
    ...), so they reach the progress line, the checkpoint history (and
    `--keep_best`) and TensorBoard (`logs/eval`).

    Args:
        every: epochs between evaluations.
        dataset: the data set's name.
        data: the training samples.
        seed: seed of the evaluated samples.
        logs_dir: TensorBoard folder, or None.
        validation: held-out samples for `validation_parzen`, or None.
    """

    def __init__(self, every, dataset, data, seed, logs_dir=None, validation=None):
        super().__init__()
        self.every = every
        self.seed = seed
        self._validation = None if validation is None else np.asarray(validation)
        self._evaluate = self._choose(dataset, data, self._validation)
        self._writer = None
        if logs_dir is not None:
            self._writer = tf.summary.create_file_writer(str(logs_dir / "eval"))

    def _choose(self, dataset, data, validation):
        if dataset in MODES:
            modes, std = MODES[dataset]
            return lambda samples: mode_coverage(samples, modes, std=std)
        if tuple(data.shape[1:]) == (28, 28, 1):
            from keras_gan.metrics.mnist_classifier import mnist_feature_extractor

            extractor = mnist_feature_extractor()
            real = extract_features(extractor, data[:SAMPLES])
            return lambda samples: {
                "fid": frechet_distance(real, extract_features(extractor, samples))
            }
        if validation is not None:
            return lambda samples: {}  # validation_parzen only
        raise ValueError(
            "--eval_every has a metric for ring/grid mixtures and 28x28x1 images only. "
            f"Received: samples of shape {tuple(data.shape[1:])}"
        )

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        count = SAMPLES if self._validation is None else PARZEN_SAMPLES
        samples = self.model.generate(count, seed=self.seed)
        values = self._evaluate(samples[spread_subset(count, SAMPLES)])
        if self._validation is not None:
            values["validation_parzen"] = validation_parzen(samples, self._validation)
        values = {f"eval_{name}": float(value) for name, value in values.items()}
        if logs is not None:
            logs.update(values)
        if self._writer is not None:
            with self._writer.as_default():
                for name, value in values.items():
                    tf.summary.scalar(name, value, step=epoch + 1)
            self._writer.flush()


def spread_subset(count, size):
    """Indices of `size` of `count` samples, evenly spaced from the first.

    A conditional GAN's `generate` returns its classes in order, equally
    often (`balanced_labels`): evenly spaced samples are then class-balanced
    too, where the first `size` would hold the first classes only.
    """
    return np.arange(size) * count // size
