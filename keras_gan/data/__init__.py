"""Data sets (synthetic mixtures with known densities, image folders, .npz files,
tensorflow-datasets) and the one input pipeline that feeds `GAN.fit`."""

from keras_gan.data.contrast_normalization import contrast_statistics
from keras_gan.data.contrast_normalization import gcn_to_display
from keras_gan.data.contrast_normalization import gcn_to_pixels
from keras_gan.data.contrast_normalization import global_contrast_normalize
from keras_gan.data.contrast_normalization import restore_contrast
from keras_gan.data.datasets import Stream
from keras_gan.data.datasets import load_dataset
from keras_gan.data.datasets import open_stream
from keras_gan.data.image_folder import list_image_files
from keras_gan.data.image_folder import load_image_folder
from keras_gan.data.npz_file import load_npz
from keras_gan.data.pipeline import make_epoch_pipeline
from keras_gan.data.pipeline import make_pipeline
from keras_gan.data.streaming import DataSourceImages
from keras_gan.data.streaming import ImageFiles
from keras_gan.data.streaming import make_data_source_pipeline
from keras_gan.data.streaming import make_streaming_pipeline
from keras_gan.data.synthetic import gaussian_1d
from keras_gan.data.synthetic import grid
from keras_gan.data.synthetic import grid_modes
from keras_gan.data.synthetic import mixture_density
from keras_gan.data.synthetic import ring
from keras_gan.data.synthetic import ring_modes
from keras_gan.data.tfds_images import load_tfds_images

__all__ = [
    "DataSourceImages",
    "ImageFiles",
    "Stream",
    "contrast_statistics",
    "gaussian_1d",
    "gcn_to_display",
    "gcn_to_pixels",
    "global_contrast_normalize",
    "grid",
    "grid_modes",
    "list_image_files",
    "load_dataset",
    "load_image_folder",
    "load_npz",
    "load_tfds_images",
    "make_data_source_pipeline",
    "make_epoch_pipeline",
    "make_pipeline",
    "make_streaming_pipeline",
    "mixture_density",
    "open_stream",
    "restore_contrast",
    "ring",
    "ring_modes",
]
