"""The library side of `scripts/train.py`: a config object and `train(config)`."""

from keras_gan.train.config import TrainConfig
from keras_gan.train.trainer import TrainingDiverged
from keras_gan.train.trainer import TrainResult
from keras_gan.train.trainer import train

__all__ = ["TrainConfig", "TrainResult", "TrainingDiverged", "train"]
