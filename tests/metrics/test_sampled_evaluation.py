"""Every metric scores a sampler's samples: `evaluate(..., sampler=...)` and `--sampler`."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from keras_gan import sampling
from keras_gan.metrics.evaluate import evaluate
from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.mnist_classifier import mnist_feature_extractor
from tests.conftest import REPO

SMALL = dict(num_samples=60, test_split="test[:200]", seed=3, metrics=["fid"])


def test_the_metrics_score_the_samples_the_sampler_draws(tiny_mnist_generator, mnist_data_dir):
    keras_file, export = tiny_mnist_generator
    gan = keras.saving.load_model(keras_file)
    truncation = sampling.Truncation(0.5)
    results = evaluate(keras_file, "mnist", data_dir=mnist_data_dir, sampler=truncation, **SMALL)
    from keras_gan.data import load_tfds_images
    from keras_gan.data.pipeline import to_array

    network = mnist_feature_extractor()
    test = to_array(load_tfds_images("mnist", split="test[:200]", data_dir=mnist_data_dir))
    samples = gan.generate(60, seed=3, sampler=sampling.Truncation(0.5))
    expected = frechet_distance(extract_features(network, test), extract_features(network, samples))
    assert results["fid"] == pytest.approx(expected, rel=1e-6)
    plain = evaluate(keras_file, "mnist", data_dir=mnist_data_dir, **SMALL)
    assert results["fid"] != plain["fid"]
    assert results["sampler"] == {"name": "truncation", "threshold": 0.5}
    assert results["sampler_cost"]["discriminator_calls_per_sample"] == 0.0
    with pytest.raises(ValueError, match="samples through its generate signature only"):
        evaluate(export, "mnist", data_dir=mnist_data_dir, sampler="truncation", **SMALL)
    with pytest.raises(ValueError, match="calibration_split calibrates the discriminator"):
        evaluate(
            keras_file,
            "mnist",
            data_dir=mnist_data_dir,
            sampler="truncation",
            calibration_split="train[:10]",
            **SMALL,
        )


def test_parzen_with_a_sampler_carries_a_warning(tiny_mnist_generator, mnist_data_dir):
    keras_file, _ = tiny_mnist_generator
    options = dict(SMALL, metrics=["parzen"], validation_split="train[:200]")
    with pytest.warns(UserWarning, match="a sampler can raise it without a better model"):
        sampled = evaluate(
            keras_file, "mnist", data_dir=mnist_data_dir, sampler="truncation", **options
        )
    assert sampled["warnings"] and "Theis et al. 2016" in sampled["warnings"][0]
    plain = evaluate(keras_file, "mnist", data_dir=mnist_data_dir, **options)
    assert "warnings" not in plain and np.isfinite(plain["parzen_ll"])
    fid_only = evaluate(keras_file, "mnist", data_dir=mnist_data_dir, sampler="truncation", **SMALL)
    assert "warnings" not in fid_only


def test_the_script_calibrates_a_sampler_on_held_out_images(
    tiny_mnist_generator, mnist_data_dir, tmp_path
):
    keras_file, _ = tiny_mnist_generator
    output = tmp_path / "results.json"
    command = [sys.executable, "scripts/evaluate.py", f"--model={keras_file}", "--dataset=mnist"]
    command += [f"--data_dir={mnist_data_dir}", "--num_samples=20", "--metrics=fid"]
    command += ["--test_split=test[:100]"]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}

    def evaluate_with(*flags):
        return subprocess.run(
            command + list(flags), cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )

    done = evaluate_with(
        "--sampler=metropolis_hastings",
        "--sampler_args=chain_length=3",
        "--calibration_split=train[50000:50200]",
        f"--output={output}",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = json.loads(output.read_text())
    sampler = written["sampler"]
    assert sampler["name"] == "metropolis_hastings" and sampler["chain_length"] == 3
    scale, offset = sampler["calibration"]
    assert (scale, offset) != (1.0, 0.0) and np.isfinite([scale, offset]).all()
    assert written["sampler_cost"]["generator_calls_per_sample"] == 3.0
    refused = evaluate_with("--sampler=truncation", "--sampler_args=threshold=-1")
    assert refused.returncode == 1
    assert "`threshold` must be > 0. Received: threshold=-1" in refused.stderr
    # A setting the sampler does not have, or a word where it wants a number: the error
    # names the flags as given.
    for setting, reason in (
        ("foo=1", "unexpected keyword argument 'foo'"),
        ("steps=abc", "steps='abc'"),
    ):
        refused = evaluate_with("--sampler=langevin", f"--sampler_args={setting}")
        assert refused.returncode == 1
        assert f"Received: --sampler_args={setting}" in refused.stderr and reason in refused.stderr
        assert "Traceback" not in refused.stderr
