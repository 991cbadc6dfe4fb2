"""`benchmarks/step_times.py` works and counts what it says: a smoke run, never timings."""

import json

import pytest

from tests.conftest import REPO
from tests.conftest import run_script

BENCHMARKS = REPO / "benchmarks"


def run(*args):
    return run_script("benchmarks/step_times.py", *args, timeout=900)


@pytest.mark.slow
def test_a_smoke_run_times_each_precision_in_its_own_process(tmp_path):
    output = tmp_path / "steps.json"
    done = run(
        "--pairs=dcgan_mnist",
        "--implementations=fit",
        "--rounds=1",
        "--steps=2",
        "--warmup=1",
        "--batch_size=8",
        "--onednn_profile",
        f"--output={output}",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(output.read_text())
    machine = results["machine"]
    assert machine["cpu_model"] and isinstance(machine["cpu_flags"], list)
    assert results["peaks"]["float32"] > 0 and results["peaks"]["bfloat16"] > 0
    assert results["versions"]["tensorflow"]
    assert results["flops"]["dcgan_mnist"]["batch_size"] == 8
    measured = {(m["precision"], m["implementation"]) for m in results["measurements"]}
    assert measured == {("float32", "fit"), ("mixed_bfloat16", "fit")}
    for m in results["measurements"]:
        assert len(m["timed_ms"]) == 2 and len(m["warmup_ms"]) == 1 and m["median_ms"] > 0
    (row,) = results["summary"]
    assert len(row["bfloat16_speedup_per_round"]) == 1
    assert "bfloat16 / float32 speed-up by round" in done.stdout
    # Where oneDNN's time went; in bfloat16 (`auto`) D's second layer, 64 channels wide,
    # takes its kernel gradient as a dilated forward convolution, in float32 TensorFlow's op.
    profiles = {m["precision"]: m["onednn_ms_per_step"] for m in results["measurements"]}
    for profile in profiles.values():
        assert profile["by_kind"]["forward"] > 0 and profile["by_kind"]["backward_data"] > 0
        assert profile["total"] == pytest.approx(sum(profile["by_kind"].values()))
    assert "forward_dilated" in profiles["mixed_bfloat16"]["by_kind"]
    assert "forward_dilated" not in profiles["float32"]["by_kind"]
    assert "oneDNN ms per step by primitive" in done.stdout


def test_onednn_lines_are_summed_by_primitive_per_step(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import step_times

    head = "onednn_verbose,v1,primitive"
    shape = "mb8_ic64oc128_ih14oh7kh5sh2dh0ph1_iw14ow7kw5sw2dw0pw1"
    dilated = "mb64_ic8oc128_ih17oh5kh7sh1dh1ph0_iw17ow5kw7sw1dw1pw0"
    lines = [
        f"{head},create:cache_miss,cpu,convolution,brg,forward_training,src,,alg,{shape},9.0",
        f"{head},exec,cpu,convolution,brg,forward_training,src,,alg,{shape},3.0",
        f"{head},exec,cpu,convolution,brg,forward_training,src,,alg,{shape},1.0",
        f"{head},exec,cpu,convolution,brg,forward_training,src,,alg,{dilated},2.0",
        f"{head},exec,cpu,convolution,jit,backward_weights,src,,alg,{shape},6.0",
        f"{head},exec,cpu,reorder,jit:uni,undef,src dst,,,256x128x5x5,0.5",
        "a line of the benchmark's own",
    ]
    profile = step_times.onednn_time(lines, steps=2)
    assert profile["by_kind"] == {
        "backward_weights": 3.0,
        "forward": 2.0,
        "forward_dilated": 1.0,
        "reorder": 0.25,
    }
    assert profile["total"] == 6.25
    assert profile["top"][0] == {"primitive": f"backward_weights jit {shape}", "ms": 3.0}


def test_bad_flags_fail_before_any_work(tmp_path):
    for flag in ("--pairs=cifar10,stylegan2", "--precisions=float16", "--implementations=jax"):
        done = run(flag, f"--output={tmp_path / 'new.json'}")
        assert done.returncode == 1, (flag, done.stderr[-2000:])
        assert f"Received: {flag}" in done.stderr
        assert "round 1" not in done.stderr  # nothing was measured
    assert not (tmp_path / "new.json").exists()


def test_a_pair_variant_overrides_its_flagfile_and_bad_overrides_fail_first(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import step_times

    config = step_times._config("stylegan2_cifar10@filters=64@ada_augment=")
    assert (config.filters, config.ada_augment) == (64, "")
    assert step_times._config("stylegan2_cifar10").filters != 64
    for pair, named in (
        ("cifar10@no_such_flag=1", "no_such_flag"),
        ("cifar10@filters=-3", "filters"),
    ):
        done = run(f"--pairs={pair}", f"--output={tmp_path / 'new.json'}")
        assert done.returncode == 1, (pair, done.stderr[-2000:])
        assert f"--pairs={pair}" in done.stderr and named in done.stderr
        assert "round 1" not in done.stderr
    assert not (tmp_path / "new.json").exists()


def test_the_flop_count_of_the_cifar10_step(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import step_times

    # Multiply-adds per sample of configs/cifar10.cfg's layers (5x5 kernels, stride 2).
    g0, g = 128 * 4096, [4 * 4 * 25 * 256 * 128, 8 * 8 * 25 * 128 * 64, 16 * 16 * 25 * 64 * 3]
    d0, d = 16 * 16 * 25 * 3 * 64, [8 * 8 * 25 * 64 * 128, 4 * 4 * 25 * 128 * 256, 4096]
    generator, discriminator = g0 + sum(g), d0 + sum(d)
    batch = 16
    d_update = batch * generator + 2 * batch * (3 * discriminator - d0)
    g_update = batch * (generator + 2 * discriminator + 2 * generator - g0)
    average = batch * generator  # the average's forward pass for its batch-norm statistics
    expected = 2 * (d_update + g_update + average)
    counted = step_times.step_flops("cifar10", batch_size=batch)
    assert counted["batch_size"] == batch
    # Spectral norm's power iterations and elementwise ops add a fraction of a percent;
    # D's weight gradients in the G step (which TensorFlow prunes) would add 8%.
    assert counted["flops_per_step"] == pytest.approx(expected, rel=0.01)
