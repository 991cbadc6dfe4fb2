import json
import os
import subprocess
import sys

import numpy as np
import pytest

from keras_gan.metrics.evaluate import evaluate
from tests.conftest import REPO

SMALL = dict(
    num_samples=50,
    validation_split="train[50000:50100]",
    test_split="test[:200]",
    seed=3,
    metrics=("parzen", "fid", "kid", "prd"),
)


def test_script_and_library_agree_and_a_served_model_scores_like_its_keras_file(
    tiny_mnist_generator, mnist_data_dir, tmp_path
):
    keras_file, export = tiny_mnist_generator
    from_export = evaluate(export, "mnist", data_dir=mnist_data_dir, **SMALL)
    from_keras = evaluate(keras_file, "mnist", data_dir=mnist_data_dir, **SMALL)
    assert from_export["parzen_sigma"] == from_keras["parzen_sigma"]
    assert from_export["parzen_ll"] == pytest.approx(from_keras["parzen_ll"], abs=1e-3)
    assert np.isfinite(from_export["parzen_se"]) and from_export["parzen_se"] > 0
    for key in ("fid", "kid", "precision", "recall"):
        assert from_export[key] == pytest.approx(from_keras[key], rel=1e-3, abs=1e-6), key
    assert from_export["fid"] > 0  # an untrained generator is far from the digits

    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "scripts/evaluate.py", f"--model={export}", "--dataset=mnist"]
        + [f"--data_dir={mnist_data_dir}", "--num_samples=50", "--seed=3"]
        + ["--validation_split=train[50000:50100]", "--test_split=test[:200]"]
        + ["--metrics=parzen,fid,kid,prd"]
        + [f"--output={output}"],
        cwd=REPO,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = json.loads(output.read_text())
    assert written == json.loads(json.dumps(from_export))
    assert written["model"] == str(export) and "step" not in written
    assert (from_keras["model"], from_keras["step"]) == (str(keras_file), 0)


def test_unknown_or_unsuitable_metrics_are_refused(tiny_mnist_generator):
    keras_file, _ = tiny_mnist_generator
    with pytest.raises(ValueError, match=r"Unknown metrics \['is'\]; available: parzen"):
        evaluate(keras_file, "mnist", metrics=["is"])
    with pytest.raises(ValueError, match="mode_coverage needs a mixture with known modes"):
        evaluate(keras_file, "mnist", metrics=["mode_coverage"])


def test_the_shipped_mnist_classifier_recognises_digits(mnist_data_dir):
    import keras

    from keras_gan.data import load_tfds_images
    from keras_gan.data.pipeline import to_array
    from keras_gan.metrics.mnist_classifier import WEIGHTS
    from keras_gan.metrics.mnist_classifier import mnist_classifier
    from keras_gan.metrics.mnist_classifier import mnist_feature_extractor

    assert WEIGHTS.stat().st_size < 1_000_000
    test = load_tfds_images("mnist", split="test[:2000]", data_dir=mnist_data_dir)
    images = to_array(test)
    labels = np.concatenate([y.numpy() for _, y in test.batch(2000)])
    classifier = mnist_classifier()
    classifier.load_weights(WEIGHTS)
    predicted = keras.ops.convert_to_numpy(classifier(images)).argmax(axis=1)
    assert (predicted == labels).mean() > 0.97
    assert mnist_feature_extractor()(images[:3]).shape == (3, 128)


def test_a_serving_model_base_is_read_at_its_newest_version(tmp_path):
    # TensorFlow Serving serves the highest numbered version of a model base.
    from keras_gan.export import export_generator
    from keras_gan.metrics.evaluate import load_sampler
    from tests import test_case

    older, newer = test_case.small_image_gan(seed=1), test_case.small_image_gan(seed=2)
    export_generator(older, tmp_path, version=1, warmup=False)
    export_generator(newer, tmp_path, version=2, warmup=False)
    (tmp_path / "generator" / "10-incomplete").mkdir()  # not a version: ignored
    from_base = load_sampler(tmp_path / "generator")(4, 0)
    np.testing.assert_array_equal(from_base, load_sampler(tmp_path / "generator" / "2")(4, 0))
    assert not np.array_equal(from_base, load_sampler(tmp_path / "generator" / "1")(4, 0))


def test_evaluation_scores_the_average_or_the_trained_generator_as_asked(tmp_path):
    from keras_gan.export import export_generator
    from keras_gan.metrics.evaluate import load_sampler
    from tests import test_case

    gan = test_case.small_image_gan(seed=1, generator_ema=0.5)
    gan.compile()
    gan.fit(test_case.small_images(64), batch_size=16, epochs=1, verbose=0)
    gan.save(tmp_path / "gan.keras")
    z = gan.sample_latent(5, seed=4)
    averaged = np.asarray(gan.averaged_generator(z, training=False))
    trained = np.asarray(gan.generator(z, training=False))
    assert not np.allclose(averaged, trained)  # else the test could not tell them apart

    keras_file = tmp_path / "gan.keras"
    assert load_sampler(keras_file).step == 4  # 64 images in batches of 16
    np.testing.assert_allclose(load_sampler(keras_file)(5, 4), averaged, rtol=1e-6)
    np.testing.assert_allclose(load_sampler(keras_file, True)(5, 4), averaged, rtol=1e-6)
    np.testing.assert_allclose(load_sampler(keras_file, False)(5, 4), trained, rtol=1e-6)

    export = export_generator(gan, tmp_path / "serving", warmup=False)
    with pytest.raises(ValueError, match="holds the one generator chosen at export"):
        load_sampler(export, False)
    assert load_sampler(export).step is None  # a SavedModel keeps no optimizer
    plain = test_case.small_image_gan(seed=1)
    plain.compile()
    plain.save(tmp_path / "plain.keras")
    with pytest.raises(ValueError, match="no generator average.*sample_from_average=True"):
        load_sampler(tmp_path / "plain.keras", True)
