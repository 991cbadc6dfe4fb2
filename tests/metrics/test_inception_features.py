"""InceptionV3 features from a weights file the user has (nothing is downloaded)."""

import json
import os
import subprocess
import sys

import h5py
import keras
import numpy as np
import pytest

from keras_gan.metrics import InceptionFeatures
from keras_gan.metrics import extract_features
from keras_gan.metrics.evaluate import evaluate
from tests.conftest import REPO


def _legacy_weights_file(model, path):
    """Writes weights the way Keras' downloadable InceptionV3 .h5 files are written."""
    # Keras 3 saves only the new .weights.h5 layout; the published ImageNet
    # files are the legacy layout, which this private helper writes.
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)
    return path


@pytest.fixture(scope="module")
def notop_weights(tmp_path_factory):
    keras.utils.set_random_seed(1)
    model = keras.applications.InceptionV3(
        include_top=False, weights=None, input_shape=(299, 299, 3), pooling="avg"
    )
    path = tmp_path_factory.mktemp("inception") / "inception_v3_notop.h5"
    return model, _legacy_weights_file(model, path)


def _preprocessed(grey_images):
    """What InceptionV3 should see for [0, 1] grey images: 299x299x3 in [-1, 1]."""
    rgb = np.repeat(grey_images, 3, axis=-1)
    resized = keras.ops.image.resize(rgb, (299, 299), "bilinear")
    return keras.ops.convert_to_numpy(resized) * 2.0 - 1.0


def test_features_come_from_the_weights_in_the_file(notop_weights):
    source, path = notop_weights
    images = np.random.default_rng(0).uniform(size=(3, 28, 28, 1)).astype("float32")
    features = InceptionFeatures(path)
    extracted = extract_features(features, images)
    assert extracted.shape == (3, 2048)
    expected = keras.ops.convert_to_numpy(source(_preprocessed(images), training=False))
    np.testing.assert_allclose(extracted, expected, rtol=1e-4, atol=1e-5)
    # Differently initialised InceptionV3 weights give other features.
    keras.utils.set_random_seed(2)
    other = keras.applications.InceptionV3(
        include_top=False, weights=None, input_shape=(299, 299, 3), pooling="avg"
    )
    assert not np.allclose(extracted, other(_preprocessed(images), training=False), atol=1e-3)


def test_a_weights_file_with_the_classifier_top_gives_its_pool_features(tmp_path):
    keras.utils.set_random_seed(3)
    full = keras.applications.InceptionV3(include_top=True, weights=None)
    path = _legacy_weights_file(full, tmp_path / "inception_v3.h5")
    images = np.random.default_rng(1).uniform(size=(2, 32, 32, 3)).astype("float32")
    pool = keras.Model(full.inputs, full.get_layer("avg_pool").output)
    resized = keras.ops.convert_to_numpy(keras.ops.image.resize(images, (299, 299))) * 2 - 1
    np.testing.assert_allclose(
        extract_features(InceptionFeatures(path), images),
        keras.ops.convert_to_numpy(pool(resized)),
        rtol=1e-4,
        atol=1e-5,
    )


def test_missing_or_foreign_weights_files_are_refused(tmp_path):
    with pytest.raises(ValueError, match="does not exist. Received: .*nowhere.h5"):
        InceptionFeatures(tmp_path / "nowhere.h5")
    shipped = REPO / "keras_gan" / "metrics" / "mnist_classifier.weights.h5"
    with pytest.raises(ValueError, match="Not an InceptionV3 weights file"):
        InceptionFeatures(shipped)
    text = tmp_path / "notes.h5"
    text.write_text("not weights")
    with pytest.raises(ValueError, match=f"Received: {text}"):
        InceptionFeatures(text)


@pytest.mark.slow
def test_the_script_computes_fid_on_inception_features_like_the_library(
    tiny_mnist_generator,
    notop_weights,
    mnist_data_dir,
    tmp_path,
):
    keras_file, _ = tiny_mnist_generator
    _, weights = notop_weights
    small = dict(num_samples=20, test_split="test[:40]", seed=3, metrics=("fid",))
    expected = evaluate(
        keras_file,
        "mnist",
        data_dir=mnist_data_dir,
        feature_extractor=InceptionFeatures(weights),
        **small,
    )
    output = tmp_path / "fid.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "evaluate.py"),
            f"--model={keras_file}",
            "--dataset=mnist",
            "--metrics=fid",
            f"--keras_inception_weights={weights}",
            f"--data_dir={mnist_data_dir}",
            "--num_samples=20",
            "--test_split=test[:40]",
            "--seed=3",
            f"--output={output}",
        ],
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(output.read_text())["fid"] == pytest.approx(expected["fid"], rel=1e-5)
    both = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "evaluate.py"),
            f"--model={keras_file}",
            f"--inception_weights={weights}",
            f"--feature_model={keras_file}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert both.returncode == 1
    # The old name still works, with a warning that names the two networks' flags.
    assert "--inception_weights is deprecated; use --keras_inception_weights" in both.stderr
    assert "give one. Received: --feature_model=" in both.stderr
    assert f"--keras_inception_weights={weights}" in both.stderr
