"""Evaluation of generated samples."""

from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.feature_distances import frechet_distance_of_moments
from keras_gan.metrics.feature_distances import inception_score
from keras_gan.metrics.feature_distances import kernel_distance
from keras_gan.metrics.feature_distances import precision_recall
from keras_gan.metrics.fid_inception import FIDInceptionFeatures
from keras_gan.metrics.fid_inception import fid_inception_v3
from keras_gan.metrics.fid_statistics import compute_fid_statistics
from keras_gan.metrics.fid_statistics import load_fid_statistics
from keras_gan.metrics.inception_features import InceptionFeatures
from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.metrics.nearest_neighbours import nearest_training_images
from keras_gan.metrics.parzen import parzen_estimate
from keras_gan.metrics.parzen import parzen_log_likelihood
from keras_gan.metrics.parzen import validation_parzen
from keras_gan.metrics.registry import Metric
from keras_gan.metrics.registry import names
from keras_gan.metrics.registry import register

__all__ = [
    "FIDInceptionFeatures",
    "InceptionFeatures",
    "Metric",
    "compute_fid_statistics",
    "extract_features",
    "fid_inception_v3",
    "inception_score",
    "frechet_distance",
    "frechet_distance_of_moments",
    "kernel_distance",
    "load_fid_statistics",
    "mode_coverage",
    "names",
    "nearest_training_images",
    "parzen_estimate",
    "parzen_log_likelihood",
    "precision_recall",
    "register",
    "validation_parzen",
]
