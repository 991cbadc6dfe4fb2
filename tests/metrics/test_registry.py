"""Metrics as registered objects: a user's own metric plugs in, and each input loads once."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan.metrics import plan
from keras_gan.metrics.evaluate import evaluate
from tests.conftest import REPO

SMALL = dict(
    num_samples=40,
    validation_split="train[50000:50100]",
    test_split="test[:200]",
    seed=3,
)


class ImagesSeen(keras_gan.metrics.Metric):
    """Records the arrays it was handed, to compare with what the built-in metrics read."""

    needs = ("samples", "test")
    seen = []

    def compute(self, inputs):
        type(self).seen.append((inputs.samples, inputs.test))
        return {"mean_gap": float(abs(inputs.samples.mean() - inputs.test.mean()))}


def counting_loads(monkeypatch):
    """Counts every data load of an evaluation: a list of (split, with_labels)."""
    loads = []
    original = plan.load_dataset

    def load(name, **options):
        loads.append((options["split"], options.get("with_labels", False)))
        return original(name, **options)

    monkeypatch.setattr(plan, "load_dataset", load)
    return loads


def test_a_metric_of_your_own_reads_the_inputs_the_built_in_ones_read(
    tiny_mnist_generator, mnist_data_dir, monkeypatch
):
    keras_file, _ = tiny_mnist_generator
    loads = counting_loads(monkeypatch)
    mine = ImagesSeen()
    ImagesSeen.seen = []
    results = evaluate(
        keras_file,
        "mnist",
        metrics=["parzen", "fid", "kid", "prd", mine],
        data_dir=mnist_data_dir,
        **SMALL,
    )
    # Four built-in metrics and one of the user's read the test split: it loaded once,
    # and so did the validation split; nothing else was loaded.
    assert sorted(loads) == [("test[:200]", False), ("train[50000:50100]", False)]
    samples, test = ImagesSeen.seen[0]
    expected = evaluate(keras_file, "mnist", metrics=["parzen"], data_dir=mnist_data_dir, **SMALL)
    assert results["parzen_ll"] == expected["parzen_ll"]
    assert results["mean_gap"] == pytest.approx(abs(samples.mean() - test.mean()))
    assert samples.shape == (40, 28, 28, 1) and test.shape == (200, 28, 28, 1)
    # The user's metric saw the generator's samples for this seed, not another draw.
    gan = keras.saving.load_model(keras_file)
    np.testing.assert_allclose(samples, gan.generate(40, seed=3), rtol=1e-6)
    for key in ("fid", "kid", "kid_std", "precision", "recall"):
        assert key in results


def test_a_split_wanted_with_and_without_labels_loads_once_with_them(
    tiny_mnist_generator, mnist_data_dir, monkeypatch
):
    class LabelsCount(keras_gan.metrics.Metric):
        name = "test_labels_count"
        needs = ("test", "test_labels")

        def compute(self, inputs):
            return {"labelled": int(len(inputs.test_labels))}

    keras_file, _ = tiny_mnist_generator
    loads = counting_loads(monkeypatch)
    results = evaluate(
        keras_file,
        "mnist",
        metrics=["fid", LabelsCount()],
        data_dir=mnist_data_dir,
        **SMALL,
    )
    assert loads == [("test[:200]", True)]
    assert results["labelled"] == 200
    alone = evaluate(keras_file, "mnist", metrics=["fid"], data_dir=mnist_data_dir, **SMALL)
    assert results["fid"] == alone["fid"]  # the labelled load gives the same images


def test_registered_names_reach_evaluate_and_clashes_are_refused(tiny_mnist_generator):
    @keras_gan.metrics.register("test_sample_count")
    class SampleCount(keras_gan.metrics.Metric):
        needs = ("samples",)

        def compute(self, inputs):
            return {"sample_count": len(inputs.samples)}

    keras_file, _ = tiny_mnist_generator
    assert "test_sample_count" in keras_gan.metrics.names()
    assert keras_gan.metrics.names()[:2] == ("parzen", "fid")
    results = evaluate(keras_file, "mnist", metrics=["test_sample_count"], num_samples=7)
    assert results["sample_count"] == 7

    with pytest.raises(ValueError, match=r"'fid' is already registered \(FID\)"):
        keras_gan.metrics.register("fid")(SampleCount)
    with pytest.raises(ValueError, match="Only Metric subclasses"):
        keras_gan.metrics.register("not_a_metric")(dict)
    with pytest.raises(ValueError, match=r"names or keras_gan.metrics.Metric instances"):
        evaluate(keras_file, "mnist", metrics=[object()])


def test_what_a_metric_declares_is_checked_before_any_data_loads(tiny_mnist_generator, monkeypatch):
    class NeedsAnEncoder(keras_gan.metrics.Metric):
        name = "needs_an_encoder"
        needs = ("encoder", "test")

    class NeedsClasses(keras_gan.metrics.Metric):
        name = "needs_classes"
        needs = ("classes", "samples")

    class NeedsAFieldThatIsNot(keras_gan.metrics.Metric):
        name = "needs_nothing_known"
        needs = ("tests",)

    keras_file, _ = tiny_mnist_generator
    loads = counting_loads(monkeypatch)
    with pytest.raises(ValueError, match=r"\['needs_an_encoder'\] measure an encoder"):
        evaluate(keras_file, "mnist", metrics=[NeedsAnEncoder()])
    with pytest.raises(ValueError, match=r"\['needs_classes'\] measure a conditional generator"):
        evaluate(keras_file, "mnist", metrics=[NeedsClasses()])
    with pytest.raises(ValueError, match=r"\['needs_an_encoder'\] need a data set with splits"):
        evaluate(keras_file, "ring", metrics=[NeedsAnEncoder()])
    with pytest.raises(ValueError, match=r"Unknown inputs \['tests'\]; available: samples"):
        evaluate(keras_file, "mnist", metrics=[NeedsAFieldThatIsNot()])
    assert loads == []


def test_the_script_imports_the_modules_that_register_metrics(tiny_mnist_generator, tmp_path):
    keras_file, _ = tiny_mnist_generator
    (tmp_path / "my_metrics.py").write_text(
        "import keras_gan\n"
        "@keras_gan.metrics.register('largest_pixel')\n"
        "class LargestPixel(keras_gan.metrics.Metric):\n"
        "    needs = ('samples',)\n"
        "    def compute(self, inputs):\n"
        "        return {'largest_pixel': float(inputs.samples.max())}\n"
    )
    command = [sys.executable, "scripts/evaluate.py", f"--model={keras_file}"]
    command += ["--num_samples=5", "--metrics=largest_pixel"]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        command + ["--metric_modules=my_metrics"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "largest_pixel" in done.stdout
    refused = subprocess.run(
        command + ["--metric_modules=no_such_module"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 1
    assert "--metric_modules: cannot import 'no_such_module'" in refused.stderr
