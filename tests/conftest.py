"""Shared fixtures: where the real MNIST and CIFAR-10 files are, and MNIST prepared offline once."""

import fcntl
import os
import pathlib
import shutil
import socket
import subprocess
import sys

import pytest
import tensorflow as tf

# Two logical CPU devices for the tf.distribute tests; this must happen before
# TensorFlow initialises its runtime, so here, before any test module runs.
tf.config.set_logical_device_configuration(
    tf.config.list_physical_devices("CPU")[0],
    [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()],
)

REPO = pathlib.Path(__file__).resolve().parent.parent
# TensorFlow's start-up lines would bury a failing script's own error in its stderr.
SCRIPT_ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}


def run_script(script, *args, timeout=600):
    """Runs `python <script> *args` from the repository root as a user would.

    `script` is a path inside the repository (`scripts/train.py`) or a console script's
    absolute path; the finished process is returned with its stdout and stderr as text.
    """
    path = REPO / script
    argv = [sys.executable, str(path)] if path.suffix == ".py" else [str(path)]
    return subprocess.run(
        [*argv, *args], cwd=REPO, env=SCRIPT_ENV, capture_output=True, text=True, timeout=timeout
    )


# The one setting that locates the four original MNIST IDX files.
MNIST_DIR_VARIABLE = "KERAS_GAN_MNIST_DIR"
DEFAULT_MNIST_DIR = REPO.parent / "shared" / "data" / "mnist"
MNIST_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

# The one setting that locates CIFAR-10's three lossless .npz files.
CIFAR10_DIR_VARIABLE = "KERAS_GAN_CIFAR10_DIR"
DEFAULT_CIFAR10_DIR = REPO.parent / "shared" / "data" / "cifar10"
CIFAR10_FILES = ("train_part1.npz", "train_part2.npz", "test.npz")

# The one setting that locates the COCO captions of the text-GAN benchmark.
COCO_CAPTIONS_DIR_VARIABLE = "KERAS_GAN_COCO_CAPTIONS_DIR"
DEFAULT_COCO_CAPTIONS_DIR = REPO.parent / "shared" / "data" / "coco_captions"
COCO_CAPTIONS_FILES = ("train.txt", "test.txt")


@pytest.fixture(scope="session")
def cifar10_manual_dir():
    """The folder holding CIFAR-10's three .npz files; skips the test when it is absent."""
    folder = pathlib.Path(os.environ.get(CIFAR10_DIR_VARIABLE, DEFAULT_CIFAR10_DIR))
    missing = [name for name in CIFAR10_FILES if not (folder / name).is_file()]
    if missing:
        pytest.skip(
            f"CIFAR-10 .npz files not found in {folder} (missing {missing}); "
            f"set {CIFAR10_DIR_VARIABLE} to the folder holding them"
        )
    return folder


@pytest.fixture(scope="session")
def coco_captions_dir():
    """The folder holding the COCO captions' train.txt and test.txt; skips the test when
    they are absent."""
    folder = pathlib.Path(os.environ.get(COCO_CAPTIONS_DIR_VARIABLE, DEFAULT_COCO_CAPTIONS_DIR))
    missing = [name for name in COCO_CAPTIONS_FILES if not (folder / name).is_file()]
    if missing:
        pytest.skip(
            f"COCO caption files not found in {folder} (missing {missing}); "
            f"set {COCO_CAPTIONS_DIR_VARIABLE} to the folder holding them"
        )
    return folder


@pytest.fixture(scope="session")
def mnist_manual_dir():
    """The folder holding MNIST's four IDX files; skips the test when it is absent."""
    folder = pathlib.Path(os.environ.get(MNIST_DIR_VARIABLE, DEFAULT_MNIST_DIR))
    missing = [name for name in MNIST_FILES if not (folder / name).is_file()]
    if missing:
        pytest.skip(
            f"MNIST IDX files not found in {folder} (missing {missing}); "
            f"set {MNIST_DIR_VARIABLE} to the folder holding them"
        )
    return folder


def prepared_once(tmp_path_factory, name, prepare):
    """A folder `prepare(folder)` fills, made once per test run and shared by the
    pytest-xdist workers of that run (each would otherwise spend the same 20-30 s
    preparing MNIST). Without xdist it is the session's own temporary folder."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        prepare(folder)
        return folder
    # The workers' base folders share a parent that belongs to this run alone.
    root = tmp_path_factory.getbasetemp().parent
    folder, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed midway
            folder.mkdir()
            prepare(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def mnist_data_dir(mnist_manual_dir, tmp_path_factory):
    """A TFDS data directory with `mnist` prepared from the IDX files, offline."""
    from keras_gan.data import load_tfds_images

    def prepare(data_dir):
        attempts = []

        def refuse(sock, address, *args):
            attempts.append(address)
            raise OSError(f"network access during offline preparation: {address}")

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(socket.socket, "connect", refuse)
            patch.setattr(socket.socket, "connect_ex", refuse)
            load_tfds_images("mnist", data_dir=data_dir, manual_dir=mnist_manual_dir)
        assert not attempts, (
            f"preparing MNIST from {mnist_manual_dir} tried to connect to {attempts}"
        )

    return prepared_once(tmp_path_factory, "tfds", prepare)


@pytest.fixture(scope="session")
def mnist_array_record_dir(mnist_manual_dir, tmp_path_factory):
    """A TFDS data directory with `mnist` prepared as array_record (for streaming), offline."""
    from keras_gan.data.tfds_images import tfds_data_source

    def prepare(data_dir):
        tfds_data_source("mnist", data_dir=str(data_dir), manual_dir=mnist_manual_dir)

    return prepared_once(tmp_path_factory, "tfds_array_record", prepare)
