"""`scripts/train.py` and `keras-gan-train` as a user runs them: real subprocesses."""

import os
import pathlib
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

import keras_gan  # noqa: F401  (registers the classes a checkpoint holds)
from tests.conftest import REPO

TRAIN = str(REPO / "scripts" / "train.py")
CONSOLE = str(pathlib.Path(sys.executable).parent / "keras-gan-train")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}

# 4 epochs of 200 steps with dropout in D: long enough to interrupt mid-epoch.
RESUMABLE = [
    "--dataset=ring",
    "--num_samples=20000",
    "--batch_size=100",
    "--epochs=4",
    "--latent_dim=8",
    "--latent_distribution=normal",
    "--g_units=64,64",
    "--d_units=64",
    "--d_pieces=2",
    "--d_input_dropout=0.1",
    "--d_hidden_dropout=0.3",
    "--d_learning_rate=0.001",
    "--g_learning_rate=0.001",
    "--seed=7",
    "--noexport",
]


def run(*args, command=TRAIN, timeout=600):
    argv = [sys.executable, command] if command.endswith(".py") else [command]
    return subprocess.run(
        [*argv, *args], cwd=REPO, env=ENV, capture_output=True, text=True, timeout=timeout
    )


def final_variables(run_dir):
    """The newest checkpoint's name and every variable of it: networks, optimizers, RNG."""
    newest = sorted((run_dir / "checkpoints").iterdir())[-1]
    gan = keras.saving.load_model(newest / "gan.keras")
    everything = gan.variables + gan.d_optimizer.variables + gan.g_optimizer.variables
    # Paths depend on how many objects this process made before; order does not.
    return newest.name, [(v.path, np.asarray(v)) for v in everything]


@pytest.mark.slow
def test_the_readme_quickstart_writes_every_promised_file(tmp_path):
    run_dir = tmp_path / "quickstart"
    done = run("--flagfile=configs/quickstart.cfg", f"--run_dir={run_dir}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "modes covered:" in done.stdout
    assert f"exported the generator to {run_dir}/export/generator/1" in done.stdout
    # Not a terminal: one progress line per epoch, not a redrawn bar.
    assert done.stdout.count("195/195") == 25
    assert (run_dir / "config.json").is_file()
    assert (run_dir / "checkpoints/step-000004875/gan.keras").is_file()
    pictures = {p.name for p in (run_dir / "samples").iterdir()}
    assert pictures == {f"epoch_{e:04d}.png" for e in range(1, 26)} | {"losses.png"}
    assert list((run_dir / "logs/train").glob("events.out.tfevents.*"))
    assert list((run_dir / "logs/samples").glob("events.out.tfevents.*"))
    assert (run_dir / "export/generator/1/saved_model.pb").is_file()
    assert (run_dir / "export/generator/1/assets.extra/tf_serving_warmup_requests").is_file()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("uninterrupted")
    done = run(*RESUMABLE, f"--run_dir={run_dir}")
    assert done.returncode == 0, done.stderr[-3000:]
    return final_variables(run_dir)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_killed_run_resumed_ends_with_the_uninterrupted_weights(tmp_path, uninterrupted, stop):
    run_dir = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, TRAIN, *RESUMABLE, f"--run_dir={run_dir}"],
        cwd=REPO,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The sample picture is the last file an epoch's end writes, after the
    # checkpoint. The first one also traces `generate` and renders with
    # matplotlib for the first time: timed from the checkpoint, 0.3 s once
    # ran out before epoch 2 began and the signal landed at step 200.
    first_epoch = run_dir / "samples" / "epoch_0001.png"
    deadline = time.monotonic() + 300
    while not first_epoch.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert first_epoch.exists(), "the run finished no first epoch"
    assert (run_dir / "checkpoints" / "step-000000200").is_dir()
    time.sleep(0.4)  # into the second epoch (about 1 s of 200 steps here)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=120)

    if stop == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 128 + stop, stderr[-3000:]
        assert f"stopped by {stop.name} at step" in stderr
        step = int(stderr.split(f"stopped by {stop.name} at step ")[1].split()[0])
        assert 200 < step < 800, "the signal should land inside the run, after epoch 1"
        # The state at the stopping step was saved, mid-epoch.
        assert (run_dir / "checkpoints" / f"step-{step:09d}" / "gan.keras").is_file()

    resumed = run(*RESUMABLE, f"--run_dir={run_dir}", "--resume")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming at step" in resumed.stdout
    name, variables = final_variables(run_dir)
    expected_name, expected = uninterrupted
    assert name == expected_name == "step-000000800"
    assert len(variables) == len(expected)
    for (path, value), (_, expected_value) in zip(variables, expected, strict=True):
        np.testing.assert_array_equal(value, expected_value, err_msg=path)


@pytest.mark.parametrize("command", [TRAIN, CONSOLE], ids=["script", "console"])
@pytest.mark.parametrize(
    "args, message",
    [
        (["--model=resnet"], "--model must be one of dcgan, mlp. Received: --model=resnet"),
        (["--epochs=0"], "--epochs must be an integer >= 1. Received: --epochs=0"),
        (["--dataset=npz", "--data_dir=/no/such.npz"], "The .npz file does not exist"),
        (["stray"], "unexpected arguments ['stray']; every setting is a --flag"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_a_nonzero_exit(tmp_path, command, args, message):
    run_dir = tmp_path / "run"
    done = run("--flagfile=configs/quickstart.cfg", f"--run_dir={run_dir}", *args, command=command)
    assert done.returncode == 1
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line.endswith(f": error: {message}") or message in last_line, done.stderr
    assert "Traceback" not in done.stderr
    assert not run_dir.exists()


@pytest.mark.slow
def test_paper_config_trains_on_mnist_prepared_offline(tmp_path, mnist_manual_dir, mnist_data_dir):
    run_dir = tmp_path / "paper"
    done = run(
        "--flagfile=configs/paper_mnist.cfg",
        f"--run_dir={run_dir}",
        f"--manual_dir={mnist_manual_dir}",
        f"--data_dir={mnist_data_dir}",
        "--epochs=1",
        "--steps=300",
        "--noexport",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "mnist (28, 28, 1), 300 steps per epoch" in done.stdout
    assert (run_dir / "samples/epoch_0001.png").is_file()
    gan = keras.saving.load_model(run_dir / "checkpoints/step-000000300/gan.keras")
    assert int(gan.g_optimizer.iterations) == 300
    samples = gan.generate(16, seed=0)
    assert samples.shape == (16, 28, 28, 1)
    assert np.isfinite(samples).all() and samples.min() >= 0 and samples.max() <= 1


@pytest.mark.slow
def test_quickstart_under_mirrored_strategy_on_two_logical_cpus(tmp_path):
    run_dir = tmp_path / "mirrored"
    done = run(
        "--flagfile=configs/quickstart.cfg",
        f"--run_dir={run_dir}",
        "--strategy=mirrored",
        "--num_cpu_devices=2",
        "--epochs=2",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 replica(s)" in done.stdout
    assert (run_dir / "checkpoints/step-000000390/gan.keras").is_file()
    assert (run_dir / "export/generator/1/saved_model.pb").is_file()
