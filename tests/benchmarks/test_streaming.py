"""`benchmarks/streaming.py` works and reports what it says: a smoke run, never timings."""

import json

from tests.conftest import run_script


def run(*args):
    return run_script("benchmarks/streaming.py", *args, timeout=900)


def test_a_smoke_run_writes_the_pngs_and_every_field(tmp_path):
    folder, output = tmp_path / "pngs", tmp_path / "streaming.json"
    args = [f"--folder={folder}", "--num_images=300", "--repeats=1", "--steps=2"]
    done = run(*args, f"--output={output}")
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(output.read_text())
    assert results["num_images"] == 300 and results["batch_size"] == 128  # the DCGAN config's
    assert len(list(folder.rglob("*.png"))) == 300
    # A reading at the start and after every tenth of the epoch's 2 batches.
    assert len(results["resident_megabytes_through_the_epoch"]) == 3
    assert set(results["medians"]) == {"stream", "fit_from_stream", "fit_from_memory"}
    assert all(value > 0 for value in results["medians"].values())
    assert "stream / training" in done.stdout
    kept = output.read_text()
    refused = run(*args, f"--output={output}")
    assert refused.returncode == 1 and "never overwritten" in refused.stderr
    assert output.read_text() == kept
