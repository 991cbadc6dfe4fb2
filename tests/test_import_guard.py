"""keras_gan refuses to run on Keras 2 or a non-TensorFlow Keras backend."""

import os
import subprocess
import sys

import pytest

import keras_gan


def import_with(**env):
    return subprocess.run(
        [sys.executable, "-c", "import keras_gan"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_version_is_exposed():
    assert keras_gan.__version__.count(".") == 2


@pytest.mark.parametrize(
    "env, message",
    [
        ({"TF_USE_LEGACY_KERAS": "1"}, "TF_USE_LEGACY_KERAS is set"),
        ({"KERAS_BACKEND": "numpy"}, "backend 'numpy' (set KERAS_BACKEND=tensorflow)"),
    ],
)
def test_wrong_keras_fails_at_import_with_the_reason(env, message):
    result = import_with(**env)
    assert result.returncode != 0
    assert "ImportError" in result.stderr and message in result.stderr
