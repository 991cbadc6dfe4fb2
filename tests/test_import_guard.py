"""What `import keras_gan` does: refuse the wrong Keras, load nothing it does not need."""

import json
import os
import subprocess
import sys
import textwrap

import pytest


def import_with(**env):
    return subprocess.run(
        [sys.executable, "-c", "import keras_gan"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


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


def test_import_loads_no_dataset_training_or_plotting_module_and_keeps_the_plot_backend(
    tmp_path,
):
    script = textwrap.dedent(
        f"""
        import json, sys
        import keras, matplotlib, numpy
        matplotlib.use("svg")  # a user's choice, e.g. a notebook's inline backend
        before = set(sys.modules)
        import keras_gan
        added = sorted(set(sys.modules) - before)
        keras_gan.callbacks.SamplePictures  # the lazy subpackages load on use
        from keras_gan import plots
        plots.plot_image_grid(numpy.zeros((4, 3, 3, 1)), {str(tmp_path / "grid.png")!r})
        print(json.dumps({{"added": added, "backend": matplotlib.get_backend()}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.splitlines()[-1])
    heavy = ("tensorflow_datasets", "keras_gan.train", "keras_gan.callbacks", "keras_gan.plots")
    assert [m for m in report["added"] if m.startswith(heavy + ("matplotlib",))] == []
    assert report["backend"] == "svg"
    assert (tmp_path / "grid.png").stat().st_size > 0


def test_every_saveable_class_is_registered_by_import_keras_gan():
    # A saved GAN names its networks' classes; `keras.saving.load_model` finds only those
    # registered, so `import keras_gan` must register every one the package defines
    # (0.9.1 missed the paper's CIFAR-10 networks: their checkpoints could not be loaded).
    script = textwrap.dedent(
        """
        import importlib, json, pkgutil
        import keras
        import keras_gan

        def registered():
            return {k for k in keras.saving.get_custom_objects() if k.startswith("keras_gan>")}

        at_import = registered()
        for module in pkgutil.walk_packages(keras_gan.__path__, "keras_gan."):
            importlib.import_module(module.name)
        print(json.dumps(sorted(registered() - at_import)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.splitlines()[-1]) == []
