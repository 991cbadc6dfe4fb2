"""MultiWorkerMirroredStrategy with two real worker processes on this machine."""

import json
import os
import pathlib
import random
import socket
import subprocess
import sys

import numpy as np
import pytest

from keras_gan.train import train
from tests.train.test_trainer import _class_folder
from tests.train.test_trainer import tiny

WORKER = """
import json, sys
import numpy as np
from keras_gan.train import TrainConfig, train

result = train(TrainConfig(**json.loads(sys.argv[1])))
variables = result.gan.variables + result.gan.d_optimizer.variables
np.savez(sys.argv[2], *[np.asarray(v) for v in variables + result.gan.g_optimizer.variables])
"""


def _free_ports(count):
    """Free ports below the kernel's ephemeral range.

    A port found by binding port 0 comes from the ephemeral range, where any
    process's next outgoing connection may take it between our close and the
    worker's bind. Below that range the kernel hands out no ports by itself,
    so a port that is free now stays free unless someone binds it by number.
    """
    low = int(pathlib.Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    candidates = random.Random(os.getpid()).sample(range(20000, min(low, 32768)), 200)
    ports = []
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"no {count} free ports below {low}")


@pytest.mark.slow
@pytest.mark.parametrize("stream", [False, True], ids=["in_memory", "streamed"])
def test_two_workers_finish_with_identical_weights_and_only_the_chief_writes(tmp_path, stream):
    # Streamed, each worker reads only its half of every batch: the weights equal one
    # device's only if the halves make the whole batch.
    data = {}
    if stream:
        images = _class_folder(tmp_path / "images", per_class=20)
        data = dict(dataset="folder", data_dir=str(images), batch_size=10)
    cluster = {"worker": [f"127.0.0.1:{port}" for port in _free_ports(2)]}
    processes = []
    for index in range(2):
        config = tiny(
            tmp_path / f"run{index}", strategy="multi_worker", export=True, stream=stream, **data
        )
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "TF_CONFIG": json.dumps(
                {"cluster": cluster, "task": {"type": "worker", "index": index}}
            ),
        }
        argv = [
            sys.executable,
            "-c",
            WORKER,
            json.dumps(config.to_dict()),
            str(tmp_path / f"w{index}.npz"),
        ]
        processes.append(
            subprocess.Popen(
                argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        )
    try:
        outputs = [p.communicate(timeout=300) for p in processes]
    finally:
        for p in processes:
            p.kill()
    for p, (_, stderr) in zip(processes, outputs, strict=True):
        assert p.returncode == 0, stderr[-3000:]

    chief, other = (np.load(tmp_path / f"w{i}.npz") for i in range(2))
    assert len(chief.files) == len(other.files) > 0
    for name in chief.files:
        np.testing.assert_array_equal(chief[name], other[name], err_msg=name)

    # The same global batches, noise and averaged gradients as on one device.
    one_device = train(tiny(tmp_path / "one_device", **data))
    gan = one_device.gan
    expected = gan.variables + gan.d_optimizer.variables + gan.g_optimizer.variables
    assert len(expected) == len(chief.files)
    for index, variable in enumerate(expected):
        np.testing.assert_allclose(
            chief[f"arr_{index}"], np.asarray(variable), rtol=1e-4, atol=1e-5, err_msg=variable.path
        )

    # Worker 0 is the chief (no "chief" task in the cluster): it alone writes.
    last = one_device.step  # 20 for the ring; 8 for 40 images in batches of 10
    assert (tmp_path / f"run0/checkpoints/step-{last:09d}/gan.keras").is_file()
    assert (tmp_path / "run0/export/generator/1/saved_model.pb").is_file()
    assert not (tmp_path / "run1").exists()
