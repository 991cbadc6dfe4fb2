"""A cheap quality number every few epochs, into the epoch logs and TensorBoard."""

import keras
import tensorflow as tf

from keras_gan.data.datasets import MODES
from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.mode_coverage import mode_coverage

SAMPLES = 2000


class PeriodicEvaluation(keras.callbacks.Callback):
    """Every `every` epochs: FID for 28x28x1 images, mode coverage for ring/grid.

    FID uses the package's MNIST classifier on 2,000 samples against 2,000
    training images (quick, and comparable between epochs of one run, not
    with the 10,000-sample numbers of `scripts/evaluate.py`). The values join
    the epoch's logs (`eval_fid`, `eval_modes_covered`, ...), so they reach
    the progress line, the checkpoint history and TensorBoard (`logs/eval`).

    Args:
        every: epochs between evaluations.
        dataset: the data set's name.
        data: the training samples.
        seed: seed of the evaluated samples.
        logs_dir: TensorBoard folder, or None.
    """

    def __init__(self, every, dataset, data, seed, logs_dir=None):
        super().__init__()
        self.every = every
        self.seed = seed
        self._evaluate = self._choose(dataset, data)
        self._writer = None
        if logs_dir is not None:
            self._writer = tf.summary.create_file_writer(str(logs_dir / "eval"))

    def _choose(self, dataset, data):
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
        raise ValueError(
            "--eval_every has a metric for ring/grid mixtures and 28x28x1 images only. "
            f"Received: samples of shape {tuple(data.shape[1:])}"
        )

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        values = self._evaluate(self.model.generate(SAMPLES, seed=self.seed))
        values = {f"eval_{name}": float(value) for name, value in values.items()}
        if logs is not None:
            logs.update(values)
        if self._writer is not None:
            with self._writer.as_default():
                for name, value in values.items():
                    tf.summary.scalar(name, value, step=epoch + 1)
            self._writer.flush()
