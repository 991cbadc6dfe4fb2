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
from absl import flags

import keras_gan  # noqa: F401  (registers the classes a checkpoint holds)
from keras_gan.train import cli
from keras_gan.train import train
from keras_gan.train import trainer
from tests.conftest import REPO
from tests.conftest import run_script

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


def run(*args, command="scripts/train.py", timeout=600):
    return run_script(command, *args, timeout=timeout)


def final_variables(run_dir):
    """The newest checkpoint's name and every variable of it: networks, optimizers, RNG."""
    newest = sorted((run_dir / "checkpoints").iterdir())[-1]
    gan = keras.saving.load_model(newest / "gan.keras")
    everything = gan.variables + gan.d_optimizer.variables + gan.g_optimizer.variables
    # Paths depend on how many objects this process made before; order does not.
    return newest.name, [(v.path, np.asarray(v)) for v in everything]


@pytest.mark.slow
def test_the_readme_quickstart_writes_every_promised_file(tmp_path):
    # The quickstart's flags with 2 of its 25 epochs: every file it promises is written the
    # same way after any epoch. Its 25 epochs' result (8 of 8 modes) is checked by running
    # the README's command itself in a fresh clone (docs/development.md), not here.
    run_dir = tmp_path / "quickstart"
    done = run("--flagfile=configs/quickstart.cfg", f"--run_dir={run_dir}", "--epochs=2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "modes covered:" in done.stdout
    assert f"exported the generator to {run_dir}/export/generator/1" in done.stdout
    # Not a terminal: one progress line per epoch, not a redrawn bar.
    assert done.stdout.count("390/390") == 2
    assert (run_dir / "config.json").is_file()
    assert (run_dir / "checkpoints/step-000000780/gan.keras").is_file()
    pictures = {p.name for p in (run_dir / "samples").iterdir()}
    assert pictures == {"epoch_0001.png", "epoch_0002.png", "losses.png"}
    assert list((run_dir / "logs/train").glob("events.out.tfevents.*"))
    assert list((run_dir / "logs/samples").glob("events.out.tfevents.*"))
    assert (run_dir / "export/generator/1/saved_model.pb").is_file()
    assert (run_dir / "export/generator/1/assets.extra/tf_serving_warmup_requests").is_file()


def config_of(*args):
    """The TrainConfig that `scripts/train.py *args` would run, parsed in this process."""
    flag_values = flags.FlagValues()
    cli.define_flags(flag_values)
    flag_values(["train.py", *args])
    return cli.config_from_flags(flag_values)


class SignalAtStep(keras.callbacks.Callback):
    """Sends this process `signal_number` right after the update that reaches `step`."""

    def __init__(self, step, signal_number):
        super().__init__()
        self.step, self.signal_number = step, signal_number

    def on_train_batch_end(self, batch, logs=None):
        if int(self.model.g_optimizer.iterations) == self.step:
            signal.raise_signal(self.signal_number)


def _assert_same_final_checkpoint(run_dir, expected):
    name, variables = final_variables(run_dir)
    expected_name, expected_variables = expected
    assert name == expected_name == "step-000000800"
    assert len(variables) == len(expected_variables)
    for (path, value), (_, expected_value) in zip(variables, expected_variables, strict=True):
        np.testing.assert_array_equal(value, expected_value, err_msg=path)


@pytest.fixture(scope="module")
def uninterrupted_in_process(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("uninterrupted_in_process")
    train(config_of(*RESUMABLE, f"--run_dir={run_dir}"))
    return final_variables(run_dir)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_epoch_saves_that_step_and_the_resumed_run_ends_identically(
    tmp_path, uninterrupted_in_process, stop
):
    run_dir = tmp_path / "run"
    handler = signal.getsignal(stop)
    result = train(config_of(*RESUMABLE, f"--run_dir={run_dir}"), [SignalAtStep(300, stop)])
    # The step the signal arrived in finished and was saved; nothing after it ran.
    assert (result.stopped_by, result.step) == (stop.name, 300)
    assert result.checkpoint.endswith("step-000000300")
    saved = keras.saving.load_model(run_dir / "checkpoints/step-000000300/gan.keras")
    assert int(saved.g_optimizer.iterations) == 300
    assert signal.getsignal(stop) is handler  # the run put the previous handler back

    train(config_of(*RESUMABLE, f"--run_dir={run_dir}", "--resume"))
    _assert_same_final_checkpoint(run_dir, uninterrupted_in_process)


@pytest.mark.slow
def test_a_killed_script_resumed_ends_with_the_uninterrupted_weights(tmp_path):
    reference = tmp_path / "uninterrupted"
    done = run(*RESUMABLE, f"--run_dir={reference}")
    assert done.returncode == 0, done.stderr[-3000:]

    run_dir = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, TRAIN, *RESUMABLE, f"--run_dir={run_dir}"],
        cwd=REPO,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # SIGKILL cannot be caught, so it may land anywhere after the first
    # checkpoint: the resumed run starts from the newest whole one.
    first = run_dir / "checkpoints" / "step-000000200"
    deadline = time.monotonic() + 300
    while not first.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert first.exists(), "the run finished no first epoch"
    process.kill()
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL

    resumed = run(*RESUMABLE, f"--run_dir={run_dir}", "--resume")
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming at step" in resumed.stdout
    _assert_same_final_checkpoint(run_dir, final_variables(reference))


def test_the_script_and_the_console_command_report_bad_input_on_one_line(tmp_path):
    for command in (TRAIN, CONSOLE):
        run_dir = tmp_path / pathlib.Path(command).name
        done = run(
            "--flagfile=configs/quickstart.cfg",
            f"--run_dir={run_dir}",
            "--epochs=0",
            command=command,
        )
        assert done.returncode == 1
        last_line = done.stderr.strip().splitlines()[-1]
        assert last_line.endswith(": error: --epochs must be an integer >= 1. Received: --epochs=0")
        assert "Traceback" not in done.stderr
        assert not run_dir.exists()


def _main(flag_args):
    """Runs `cli.main` in this process as `scripts/train.py` would; returns the exit status."""
    flag_values = flags.FlagValues()
    cli.define_flags(flag_values)
    argv = flag_values(["train.py", *flag_args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv, flag_values)
    return exit_info.value.code


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--model=stylegan"],
            "--model must be one of arae, biggan, dcgan, gumbel_gan, infogan, mle, mlp, "
            "paper_cifar10_conv, paper_cifar10_fc, resnet, seqgan, stylegan2. Received: "
            "--model=stylegan",
        ),
        (["--epochs=0"], "--epochs must be an integer >= 1. Received: --epochs=0"),
        (["--dataset=npz", "--data_dir=/no/such.npz"], "The .npz file does not exist"),
        (["stray"], "unexpected arguments ['stray']; every setting is a --flag"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_status_1(tmp_path, capsys, args, message):
    run_dir = tmp_path / "run"
    flagfile = f"--flagfile={REPO}/configs/quickstart.cfg"
    assert _main([flagfile, f"--run_dir={run_dir}", *args]) == 1
    last_line = capsys.readouterr().err.strip().splitlines()[-1]
    assert f": error: {message}" in last_line
    assert not run_dir.exists()


@pytest.mark.parametrize(
    "phase, message",
    [
        (None, "stopped by SIGTERM at step 300 of 800; checkpoint run/step-000000300."),
        (
            "D pretraining",
            "stopped by SIGTERM in D pretraining at step 300 of 800; checkpoint "
            "run/step-000000300.",
        ),
    ],
)
def test_a_run_stopped_by_a_signal_exits_as_a_shell_reports_the_signal(
    tmp_path, capsys, monkeypatch, phase, message
):
    stopped = trainer.TrainResult(
        gan=None,
        step=300,
        total_steps=800,
        stopped_by="SIGTERM",
        checkpoint="run/step-000000300",
        export_path=None,
        mode_coverage=None,
        phase=phase,
    )
    monkeypatch.setattr(trainer, "train", lambda config: stopped)
    assert _main([f"--run_dir={tmp_path / 'run'}"]) == 128 + signal.SIGTERM
    assert message + " Continue with the same flags and --resume." in capsys.readouterr().err


@pytest.mark.slow
def test_paper_config_trains_on_mnist_prepared_offline(tmp_path, mnist_manual_dir, mnist_data_dir):
    run_dir = tmp_path / "paper"
    done = run(
        "--flagfile=configs/paper_mnist.cfg",
        f"--run_dir={run_dir}",
        f"--manual_dir={mnist_manual_dir}",
        f"--data_dir={mnist_data_dir}",
        "--epochs=1",
        "--steps=50",
        "--noexport",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "mnist (28, 28, 1), 50 steps per epoch" in done.stdout
    assert (run_dir / "samples/epoch_0001.png").is_file()
    gan = keras.saving.load_model(run_dir / "checkpoints/step-000000050/gan.keras")
    assert int(gan.g_optimizer.iterations) == 50
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
        "--jit_compile=auto",  # the config's XLA does not work under a strategy
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 replica(s)" in done.stdout
    assert (run_dir / "checkpoints/step-000000780/gan.keras").is_file()
    assert (run_dir / "export/generator/1/saved_model.pb").is_file()
