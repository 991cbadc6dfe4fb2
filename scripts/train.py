"""Trains a GAN from absl flags; everything it makes goes to --run_dir.

    python scripts/train.py --flagfile=configs/quickstart.cfg
    python scripts/train.py --flagfile=configs/paper_mnist.cfg --manual_dir=PATH_TO_IDX_FILES

See `python scripts/train.py --helpfull` for the flags; the same command is
installed as `keras-gan-train`. The flags live in `keras_gan/train/cli.py`
and become one `keras_gan.train.TrainConfig`, which `keras_gan.train.train`
runs.
"""

import os

# TensorFlow's C++ start-up notices (oneDNN, CUDA, CPU features) are INFO
# lines on stderr; keep stderr for warnings and errors. Must precede the import.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

from keras_gan.train import cli  # noqa: E402

if __name__ == "__main__":
    cli.run()
