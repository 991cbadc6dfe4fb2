"""`benchmarks/torch_cifar10_fid.py`: the PyTorch mirror's training run that FIDs are compared with.

The training runs need torch, which keras_gan does not depend on: they skip in
the README's test command and run in `.ci/run`'s second phase, where torch is
installed. The refusals come before torch is imported and run everywhere.
"""

import importlib.util
import json

import numpy as np
import pytest

from tests.conftest import run_script


def run(*args):
    return run_script("benchmarks/torch_cifar10_fid.py", *args, timeout=600)


def test_bad_flags_are_refused_before_any_training(tmp_path, cifar10_manual_dir):
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("kept")
    cases = [
        (["--noscore", f"--output_dir={existing}"], "--output_dir exists"),
        (
            ["--noscore", "--epochs=2", "--score_epochs=3", f"--output_dir={tmp_path / 'a'}"],
            "--score_epochs must lie in 1..--epochs=2. Received: [3]",
        ),
        (
            ["--noscore", "--score_epochs=last", f"--output_dir={tmp_path / 'b'}"],
            "--score_epochs takes epoch numbers. Received: last",
        ),
        (
            [f"--reference_statistics={tmp_path / 'none.npz'}", f"--output_dir={tmp_path / 'c'}"],
            "--fid_inception_weights must be an existing file (or pass --noscore). Received: None",
        ),
    ]
    for args, message in cases:
        done = run(f"--manual_dir={cifar10_manual_dir}", *args)
        assert done.returncode != 0, args
        assert message in done.stderr, (args, done.stderr[-2000:])
    assert (existing / "keep.txt").read_text() == "kept"
    assert not any((tmp_path / name).exists() for name in "abc")


def test_without_torch_a_run_is_refused_with_the_install_command(tmp_path, cifar10_manual_dir):
    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed here; the refusal is for a machine without it")
    done = run(f"--manual_dir={cifar10_manual_dir}", "--noscore", f"--output_dir={tmp_path / 'a'}")
    assert done.returncode != 0
    assert "This benchmark needs PyTorch: pip install torch" in done.stderr, done.stderr[-2000:]
    assert not (tmp_path / "a").exists()


def test_a_seeded_run_writes_the_averaged_generators_samples_and_repeats(
    tmp_path, cifar10_manual_dir
):
    pytest.importorskip("torch")
    outputs = []
    for name in ("first", "again"):
        output = tmp_path / name
        done = run(
            f"--manual_dir={cifar10_manual_dir}",
            "--train_images=128",
            "--epochs=2",
            "--score_epochs=1,2",
            "--num_samples=10",
            "--threads=1",
            "--seed=3",
            "--noscore",
            f"--output_dir={output}",
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "epoch 2/2 step 2/2" in done.stdout  # progress: 128 images are 2 batches of 64
        outputs.append(output)
    result = json.loads((outputs[0] / "result.json").read_text())
    assert [entry["epoch"] for entry in result["epochs"]] == [1, 2]
    assert result["settings"]["seed"] == 3 and result["machine"]["cpu_model"]
    samples = {}
    for output in outputs:
        for epoch in (1, 2):
            with np.load(output / f"samples-{epoch:03d}.npz") as data:
                samples[output.name, epoch] = data["samples"]
    first = samples["first", 2]
    assert first.shape == (10, 32, 32, 3) and first.dtype == np.float32
    assert 0.0 <= first.min() and first.max() <= 1.0  # G ends in a sigmoid, as keras_gan's
    assert not np.array_equal(samples["first", 1], first)  # the average moved with training
    for epoch in (1, 2):  # one thread, one seed: the same run
        np.testing.assert_array_equal(samples["first", epoch], samples["again", epoch])
    again = json.loads((outputs[1] / "result.json").read_text())
    assert [e["d_loss"] for e in again["epochs"]] == [e["d_loss"] for e in result["epochs"]]
