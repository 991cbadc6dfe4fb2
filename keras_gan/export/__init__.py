"""Trained generators as SavedModels for TensorFlow Serving."""

from keras_gan.export.generator_export import existing_versions
from keras_gan.export.generator_export import export_generator

__all__ = ["existing_versions", "export_generator"]
