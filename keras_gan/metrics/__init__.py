"""Evaluation of generated samples."""

from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.metrics.parzen import parzen_estimate
from keras_gan.metrics.parzen import parzen_log_likelihood

__all__ = ["mode_coverage", "parzen_estimate", "parzen_log_likelihood"]
