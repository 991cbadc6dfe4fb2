"""InceptionV3 pool features from a weights file, for the usual FID and KID."""

import pathlib

import keras
from keras import ops

INCEPTION_SIZE = 299
FEATURES = 2048


class InceptionFeatures(keras.Model):
    """The 2048 average-pool features of InceptionV3 for images of any size.

    Images in `input_range` with 1 or 3 channels are resized (bilinear) to
    299x299, grey images repeated to 3 channels, and scaled to [-1, 1] as
    InceptionV3 expects, then mapped to the pool features FID and KID compare.

    The weights come from a file the user already has, since nothing is
    downloaded here: Keras' `inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5`
    (or the file with the classifier top). These are Keras' ImageNet weights,
    not the 2015 TensorFlow graph of the FID paper's reference code, so the
    numbers are comparable with each other, not with published FIDs to the
    last digit.

    Args:
        weights_path: the `.h5` weights file (with or without the top).
        input_range: `(low, high)` of the images' pixel values.

    Raises:
        ValueError: if the file is missing or is not InceptionV3 weights.

    Reference:
        Szegedy et al., "Rethinking the Inception Architecture for Computer
        Vision", CVPR 2016; Heusel et al., "GANs Trained by a Two Time-Scale
        Update Rule Converge to a Local Nash Equilibrium", NeurIPS 2017.
    """

    def __init__(self, weights_path, input_range=(0.0, 1.0), **kwargs):
        super().__init__(**kwargs)
        path = pathlib.Path(weights_path)
        if not path.is_file():
            raise ValueError(f"The InceptionV3 weights file does not exist. Received: {path}")
        self.weights_path = str(path)
        self.input_range = tuple(float(v) for v in input_range)
        self.base = _load_inception(path)
        # 50 images at 299x299 keep activations near 1 GB; read by extract_features.
        self.feature_batch_size = 50

    def call(self, images, training=False):
        images = ops.convert_to_tensor(images, "float32")
        channels = images.shape[-1]
        if channels not in (1, 3):
            raise ValueError(
                "InceptionV3 features need images with 1 or 3 channels. "
                f"Received: images of shape {tuple(images.shape)}"
            )
        if channels == 1:
            images = ops.repeat(images, 3, axis=-1)
        images = ops.image.resize(images, (INCEPTION_SIZE, INCEPTION_SIZE), "bilinear")
        low, high = self.input_range
        images = (images - low) / (high - low) * 2.0 - 1.0
        return self.base(images, training=False)


def _load_inception(path):
    shape = (INCEPTION_SIZE, INCEPTION_SIZE, 3)
    try:
        return keras.applications.InceptionV3(
            include_top=False, weights=str(path), input_shape=shape, pooling="avg"
        )
    except Exception as without_top:  # Keras raises several types for a wrong file
        try:
            full = keras.applications.InceptionV3(include_top=True, weights=str(path))
        except Exception:
            raise ValueError(
                "Not an InceptionV3 weights file (expected Keras' "
                "inception_v3_weights_tf_dim_ordering_tf_kernels[_notop].h5): "
                f"{type(without_top).__name__}: {without_top}. Received: {path}"
            ) from without_top
        return keras.Model(full.inputs, full.get_layer("avg_pool").output)
