"""Keras callbacks for a GAN: pictures, evaluation, and learning rates of its two optimizers.

Keras' `LearningRateScheduler` and `ReduceLROnPlateau` read `model.optimizer`;
a GAN has two optimizers (`d_optimizer`, `g_optimizer`) and no `optimizer`,
so use the equivalents here, which act on both or on a chosen one. Callbacks
that do not touch the optimizer (`EarlyStopping`, `TensorBoard`, `CSVLogger`,
`ModelCheckpoint`, ...) work as they are.
"""

from keras_gan.callbacks.gumbel_temperature import GumbelTemperature
from keras_gan.callbacks.learning_rate_scheduler import LearningRateScheduler
from keras_gan.callbacks.periodic_evaluation import PeriodicEvaluation
from keras_gan.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from keras_gan.callbacks.sample_pictures import SamplePictures

__all__ = [
    "GumbelTemperature",
    "LearningRateScheduler",
    "PeriodicEvaluation",
    "ReduceLROnPlateau",
    "SamplePictures",
]
