"""`benchmarks/throughput.py` works and measures what it says: a smoke run, never timings."""

import json

import numpy as np
import pytest

from tests.conftest import REPO
from tests.conftest import run_script

BENCHMARKS = REPO / "benchmarks"

TRAINING_FIELDS = {
    "pair",
    "batch_size",
    "implementation",
    "steps_per_second",
    "examples_per_second",
    "spread",
    "rates",
    "steps_per_run",
    "warmup_seconds",
    "flops_per_step",
    "share_of_peak",
}


def run(*args, timeout=900):
    return run_script("benchmarks/throughput.py", *args, timeout=timeout)


@pytest.fixture
def benchmark_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import pairs
    import reference_steps

    return reference_steps, pairs


@pytest.mark.slow
def test_a_smoke_run_writes_every_field(tmp_path, mnist_manual_dir, mnist_data_dir):
    """One pair runs through every implementation (the other pair's hand-written step is
    checked against its config's networks below, without the script's XLA compiles)."""
    output = tmp_path / "bench.json"
    done = run(
        "--pairs=dcgan",
        "--batch_sizes=8",
        "--repeats=2",
        "--steps=2",
        "--seconds=0",
        "--export_samples=4",
        "--pipeline_batches=3",
        "--memory_steps=2",
        f"--manual_dir={mnist_manual_dir}",
        f"--data_dir={mnist_data_dir}",
        f"--output={output}",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(output.read_text())
    for key in ("date", "command", "machine", "versions", "settings", "matmul", "notes"):
        assert key in results
    assert results["matmul"]["peak_gflops"] > 0
    rows = results["training"]
    implementations = {"fit", "fit_xla", "handwritten_xla", "handwritten"}
    try:
        import torch  # noqa: F401

        implementations |= {"torch_eager"}  # torch_compile may fail without a compiler
    except ImportError:
        assert any("torch is not installed" in note for note in results["notes"])
    found = {r["implementation"] for r in rows if r["pair"] == "dcgan"}
    assert implementations <= found and {r["pair"] for r in rows} == {"dcgan"}, found
    for row in rows:
        assert TRAINING_FIELDS <= set(row), row
        assert len(row["rates"]) == 2 and row["steps_per_second"] > 0
        assert 0 < row["share_of_peak"]
    ratios = {(r["pair"], r["ratio"]) for r in results["ratios"]}
    assert ("dcgan", "fit / handwritten_xla") in ratios
    assert ("dcgan", "fit_xla / handwritten_xla") in ratios
    for export in results["export"]:
        assert export["generate_samples_per_second"] > 0 and export["ratio"] > 0
    pipeline = results["input_pipeline"]
    assert pipeline["examples_per_second"] > 0 and pipeline["ratio"] > 0
    assert pipeline["in_memory_megabytes"] == pytest.approx(50000 * 784 * 4 / 2**20)
    memory = results["memory"]
    # The paper run holds 150 MB of images on top of what importing takes.
    assert memory["peak_rss_megabytes"] > memory["import_only_rss_megabytes"] + 100
    assert "Training steps per second" in done.stdout and "Peak memory" in done.stdout


def test_bad_flags_fail_before_any_work(tmp_path):
    existing = tmp_path / "bench.json"
    existing.write_text("earlier results")
    for flag, expected in [
        ("--pairs=paper,stylegan", "Received: --pairs=paper,stylegan"),
        ("--implementations=fit,jax", "Received: --implementations=fit,jax"),
        ("--batch_sizes=100,0", "Received: --batch_sizes=100,0"),
        (f"--output={existing}", f"never overwritten. Received: --output={existing}"),
    ]:
        done = run(flag, f"--output={tmp_path / 'new.json'}" if "output" not in flag else flag)
        assert done.returncode == 1, (flag, done.stderr[-2000:])
        assert expected in done.stderr, (flag, done.stderr[-2000:])
        assert "matmul peak" not in done.stderr  # nothing was measured
    assert existing.read_text() == "earlier results"
    assert not (tmp_path / "new.json").exists()


@pytest.mark.parametrize("pair", ["paper", "dcgan"])
def test_the_hand_written_step_has_the_configs_networks(pair, benchmark_modules):
    reference_steps, pairs = benchmark_modules
    gan = pairs.build_gan(pair, batch_size=8, jit_compile=False)
    step = reference_steps.STEPS[pair](jit_compile=False)

    def sizes(variables):
        return sorted(int(np.prod(v.shape)) for v in variables)

    assert sizes(step.g_variables) == sizes(gan.generator.trainable_variables)
    assert sizes(step.d_variables) == sizes(gan.discriminator.trainable_variables)
    images = np.random.default_rng(0).uniform(size=(8, 28, 28, 1)).astype("float32")
    d_loss, g_loss = step.step(images)
    assert np.isfinite(d_loss) and np.isfinite(g_loss)


def test_the_flop_count_of_the_paper_step(benchmark_modules):
    reference_steps, _ = benchmark_modules
    step = reference_steps.PaperMnistStep(jit_compile=False)
    g = 100 * 1200 + 1200 * 1200 + 1200 * 784
    d = 784 * 1200 + 240 * 1200 + 240 * 1
    assert step.g_macs == [100 * 1200, 1200 * 1200, 1200 * 784]
    # Forward G (B) and D (2B); D's weight and hidden-input gradients (2B);
    # G's loss back through all of D (B) and G's weight and hidden-input gradients (B).
    expected = 2 * (g + 2 * d + 2 * (d + d - 784 * 1200) + d + g + g - 100 * 1200)
    assert step.step_flops(1) == expected
    assert step.step_flops(100) == 100 * expected
