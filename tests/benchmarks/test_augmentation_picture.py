"""benchmarks/augmentation_picture.py draws its rows and never overwrites a file."""

import subprocess
import sys

from tests.conftest import REPO


def test_the_picture_is_written_once_and_bad_pipelines_are_named(tmp_path):
    output = tmp_path / "augment.png"
    command = [sys.executable, "benchmarks/augmentation_picture.py", f"--output={output}"]
    done = subprocess.run(command + ["--count=3"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert output.stat().st_size > 1000
    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert again.returncode != 0 and "never overwritten" in again.stderr
    bad = subprocess.run(
        [*command[:2], f"--output={tmp_path / 'b.png'}", "--pipelines=bgcf"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "['bgcf']" in bad.stderr
