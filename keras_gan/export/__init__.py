"""Trained generators as SavedModels for TensorFlow Serving."""

from keras_gan.export.generator_export import existing_versions
from keras_gan.export.generator_export import export_generator
from keras_gan.export.sources import is_text_model
from keras_gan.export.sources import load_encoder
from keras_gan.export.sources import load_saved_model
from keras_gan.export.sources import load_text_generator
from keras_gan.export.sources import load_trained_gan
from keras_gan.export.text_export import export_text_generator

__all__ = [
    "existing_versions",
    "export_generator",
    "export_text_generator",
    "is_text_model",
    "load_encoder",
    "load_saved_model",
    "load_text_generator",
    "load_trained_gan",
]
