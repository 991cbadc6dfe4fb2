import json

import pytest
import tensorflow as tf

from keras_gan import distribute


def test_strategies_by_name():
    assert distribute.get_strategy("default") is tf.distribute.get_strategy()
    assert distribute.get_strategy("one_device").num_replicas_in_sync == 1
    # conftest split the CPU into two logical devices before TensorFlow started.
    mirrored = distribute.get_strategy("mirrored", num_cpu_devices=2)
    assert mirrored.extended.worker_devices == (
        "/job:localhost/replica:0/task:0/device:CPU:0",
        "/job:localhost/replica:0/task:0/device:CPU:1",
    )
    assert distribute.is_chief(mirrored)
    # One per process: a second MirroredStrategy's CPU all-reduces collide with the first's.
    assert distribute.get_strategy("mirrored", num_cpu_devices=2) is mirrored


def test_unknown_strategy():
    with pytest.raises(ValueError, match="Unknown strategy.*Received: strategy='gpu'"):
        distribute.get_strategy("gpu")


def test_logical_devices_cannot_change_once_tensorflow_runs():
    with pytest.raises(
        ValueError, match="already initialised with 2 CPU device.*num_cpu_devices=4"
    ):
        distribute.get_strategy("mirrored", num_cpu_devices=4)


@pytest.mark.parametrize(
    "tf_config, message",
    [
        (None, "reads the cluster from the TF_CONFIG environment variable, which is not set"),
        ("{not json", "TF_CONFIG must be JSON with 'cluster'"),
        (json.dumps({"cluster": {}}), "TF_CONFIG must be JSON with 'cluster'"),
    ],
)
def test_multi_worker_needs_a_cluster(monkeypatch, tf_config, message):
    if tf_config is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", tf_config)
    with pytest.raises(ValueError, match=message):
        distribute.get_strategy("multi_worker")


@pytest.mark.parametrize(
    "tpu, message",
    [
        ("", "No TPU could be reached .*On a Cloud TPU VM leave --tpu empty"),
        ("grpc://127.0.0.1:1", "No TPU answers at grpc://127.0.0.1:1"),
    ],
)
def test_tpu_without_a_tpu_is_a_clear_error(tpu, message, monkeypatch):
    monkeypatch.delenv("TPU_NAME", raising=False)
    with pytest.raises(ValueError, match=message):
        distribute.get_strategy("tpu", tpu=tpu)
