"""What TF Serving consumes, checked with TensorFlow's own tools in processes
that never import keras_gan."""

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.export import existing_versions
from keras_gan.export import export_generator
from keras_gan.export import generator_export
from keras_gan.models import DCGANDiscriminator
from keras_gan.models import DCGANGenerator
from keras_gan.models.paper_mnist import paper_mnist_gan
from tests.conftest import REPO

SAVED_MODEL_CLI = str(pathlib.Path(sys.executable).parent / "saved_model_cli")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}


def _trained(gan, steps=2):
    shape = (8 * steps, *gan.data_shape)
    images = np.random.default_rng(0).uniform(size=shape).astype("float32")
    gan.fit(images, batch_size=8, epochs=1, verbose=0)
    return gan


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """A trained paper-MNIST generator and two small DCGAN generators, of grey 8x8
    and of colour 32x32x3 (CIFAR-10's shape) images, exported."""
    base = tmp_path_factory.mktemp("serving")
    paper = _trained(paper_mnist_gan(np.full(784, 0.13), seed=0))
    dcgan = GAN(
        DCGANGenerator(latent_dim=16, data_shape=(8, 8, 1), base_filters=8),
        DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=8),
        latent_distribution="normal",
        seed=1,
    )
    dcgan.compile()
    dcgan = _trained(dcgan)
    colour = GAN(
        DCGANGenerator(latent_dim=16, data_shape=(32, 32, 3), base_filters=4),
        DCGANDiscriminator(data_shape=(32, 32, 3), base_filters=4),
        latent_distribution="normal",
        seed=2,
    )
    colour.compile()
    colour = _trained(colour)
    return {
        "paper": (paper, export_generator(paper, base, "paper", max_samples=64)),
        "dcgan": (dcgan, export_generator(dcgan, base, "dcgan", max_samples=64)),
        "colour": (colour, export_generator(colour, base, "colour", max_samples=64)),
    }


def in_fresh_tensorflow(code, **values):
    """Runs `code` in a new Python that imports only TensorFlow; returns its JSON output."""
    script = (
        textwrap.dedent(
            """
        import json, sys
        import numpy as np
        import tensorflow as tf
        VALUES = json.loads(sys.argv[1])
        OUT = {}
        """
        )
        + textwrap.dedent(code)
        + textwrap.dedent(
            """
        assert "keras_gan" not in sys.modules, "the served model needed keras_gan"
        print(json.dumps(OUT))
        """
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(values, default=str)],
        capture_output=True,
        text=True,
        env=ENV,
        cwd="/",  # keeps the repository off sys.path
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", ["paper", "dcgan", "colour"])
def test_every_signature_answers_in_a_process_without_keras_gan(exports, name, tmp_path):
    gan, path = exports[name]
    latent = gan.sample_latent(3, seed=5).numpy()
    np.save(tmp_path / "latent.npy", latent)
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        OUT["signatures"] = sorted(model.signatures)
        latent = tf.constant(np.load(VALUES["latent"]))
        served = model.signatures["serving_default"](latent=latent)["samples"]
        OUT["served"] = served.numpy().tolist()
        generate = model.signatures["generate"]
        seed = tf.constant(11, tf.int64)
        first = generate(num_samples=tf.constant(4), seed=seed)["samples"].numpy()
        second = generate(num_samples=tf.constant(4), seed=seed)["samples"].numpy()
        other = generate(num_samples=tf.constant(4), seed=tf.constant(12, tf.int64))["samples"]
        OUT["generated"] = first.tolist()
        OUT["same_twice"] = bool((first == second).all())
        OUT["seeds_differ"] = bool((first != other.numpy()).any())
        pngs = model.signatures["generate_png"](num_samples=tf.constant(2), seed=seed)["png"]
        OUT["png_shapes"] = [list(tf.io.decode_png(p).shape) for p in pngs]
        OUT["png_pixels"] = tf.io.decode_png(pngs[0]).numpy().tolist()
        """,
        path=path,
        latent=tmp_path / "latent.npy",
    )
    assert out["signatures"] == [
        "generate",
        "generate_png",
        "generate_truncated",
        "serving_default",
    ]
    expected = keras.ops.convert_to_numpy(gan.generator(latent, training=False))
    np.testing.assert_allclose(out["served"], expected, atol=1e-6)
    # The served `generate` is `gan.generate`: the same seed, the same samples.
    np.testing.assert_allclose(out["generated"], gan.generate(4, seed=11), atol=1e-6)
    assert out["same_twice"] and out["seeds_differ"]
    assert out["png_shapes"] == [[*gan.data_shape]] * 2
    np.testing.assert_allclose(
        np.array(out["png_pixels"]) / 255.0, np.asarray(out["generated"][0]), atol=0.5 / 255 + 1e-6
    )


def test_the_same_seed_gives_the_same_images_in_two_processes(exports):
    _, path = exports["dcgan"]
    code = """
        model = tf.saved_model.load(VALUES["path"])
        seed = tf.constant(99, tf.int64)
        samples = model.signatures["generate"](num_samples=tf.constant(3), seed=seed)
        OUT["samples"] = samples["samples"].numpy().tolist()
        """
    first = in_fresh_tensorflow(code, path=path)["samples"]
    second = in_fresh_tensorflow(code, path=path)["samples"]
    assert first == second


@pytest.mark.parametrize("name, shape", [("dcgan", "8, 8, 1"), ("colour", "32, 32, 3")])
def test_saved_model_cli_shows_the_documented_contract_and_runs(exports, tmp_path, name, shape):
    _, path = exports[name]
    shown = subprocess.run(
        [SAVED_MODEL_CLI, "show", "--dir", str(path), "--all"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    sections = {block.split("'")[0]: block for block in text.split("signature_def['")[1:]}
    default = sections["serving_default"]
    assert "inputs['latent'] tensor_info:" in default
    assert "dtype: DT_FLOAT\n        shape: (-1, 16)" in default
    assert "outputs['samples'] tensor_info:" in default
    assert f"shape: (-1, {shape})" in default
    generate = sections["generate"]
    assert (
        "inputs['num_samples'] tensor_info:\n        dtype: DT_INT32\n        shape: ()" in generate
    )
    assert "inputs['seed'] tensor_info:\n        dtype: DT_INT64\n        shape: ()" in generate
    png = sections["generate_png"]
    assert "outputs['png'] tensor_info:\n        dtype: DT_STRING\n        shape: (-1)" in png

    np.save(tmp_path / "latent.npy", np.zeros((2, 16), np.float32))
    ran = subprocess.run(
        [SAVED_MODEL_CLI, "run", "--dir", str(path), "--tag_set", "serve"]
        + ["--signature_def", "serving_default", "--inputs", f"latent={tmp_path}/latent.npy"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert "Result for output key samples:" in ran.stdout


# Fresh-process code (for `in_fresh_tensorflow`) that replays an export's warmup
# records as TF Serving does: OUT["answered"] lists [model name, signature, inputs,
# outputs] per record, OUT["labels"] the labels a record asks for, by signature.
REPLAY_WARMUP = """
from tensorflow_serving.apis import prediction_log_pb2
model = tf.saved_model.load(VALUES["path"])
warmup = VALUES["path"] + "/assets.extra/tf_serving_warmup_requests"
OUT["answered"], OUT["labels"] = [], {}
for record in tf.data.TFRecordDataset(warmup):
    request = prediction_log_pb2.PredictionLog.FromString(record.numpy()).predict_log.request
    name = request.model_spec.signature_name
    inputs = {k: tf.constant(tf.make_ndarray(v)) for k, v in request.inputs.items()}
    outputs = model.signatures[name](**inputs)
    OUT["answered"].append([request.model_spec.name, name, sorted(inputs), sorted(outputs)])
    if "labels" in inputs:
        OUT["labels"][name] = inputs["labels"].numpy().tolist()
"""


@pytest.mark.parametrize("name", ["dcgan", "colour"])
def test_warmup_records_are_prediction_logs_the_signatures_accept(exports, name):
    _, path = exports[name]
    out = in_fresh_tensorflow(REPLAY_WARMUP, path=path)
    assert out["answered"] == [
        [name, "serving_default", ["latent"], ["samples"]],
        [name, "generate", ["num_samples", "seed"], ["samples"]],
        [name, "generate_png", ["num_samples", "seed"], ["png"]],
        [name, "generate_truncated", ["num_samples", "seed", "truncation"], ["samples"]],
    ]


def test_predict_requests_built_with_the_serving_api_are_accepted(exports):
    _, path = exports["paper"]
    out = in_fresh_tensorflow(
        """
        from tensorflow_serving.apis import predict_pb2
        model = tf.saved_model.load(VALUES["path"])
        request = predict_pb2.PredictRequest()
        request.model_spec.name = "paper"
        request.model_spec.signature_name = "generate"
        request.inputs["num_samples"].CopyFrom(tf.make_tensor_proto(5, dtype=tf.int32))
        request.inputs["seed"].CopyFrom(tf.make_tensor_proto(3, dtype=tf.int64))
        inputs = {k: tf.constant(tf.make_ndarray(v)) for k, v in request.inputs.items()}
        OUT["shape"] = list(model.signatures["generate"](**inputs)["samples"].shape)
        """,
        path=path,
    )
    assert out["shape"] == [5, 28, 28, 1]


@pytest.mark.parametrize("name", ["paper", "colour"])
def test_bad_requests_fail_and_the_model_still_answers(exports, name):
    gan, path = exports[name]
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        generate, default = model.signatures["generate"], model.signatures["serving_default"]
        seed = tf.constant(0, tf.int64)
        bad = {
            "wrong dtype": lambda: default(latent=tf.zeros([2, VALUES["latent_dim"]], tf.float64)),
            "wrong width": lambda: default(latent=tf.zeros([2, 7])),
            "zero": lambda: generate(num_samples=tf.constant(0), seed=seed),
            "negative": lambda: generate(num_samples=tf.constant(-1), seed=seed),
            "huge": lambda: generate(num_samples=tf.constant(10**9), seed=seed),
        }
        OUT["errors"] = {}
        for name, call in bad.items():
            try:
                call()
                OUT["errors"][name] = None
            except (tf.errors.InvalidArgumentError, TypeError, ValueError) as error:
                OUT["errors"][name] = str(error).splitlines()[0][:300]
            OUT.setdefault("after", []).append(
                list(generate(num_samples=tf.constant(1), seed=seed)["samples"].shape)
            )
        """,
        path=path,
        latent_dim=gan.latent_dim,
    )
    assert all(out["errors"].values()), out["errors"]
    assert "num_samples must be at least 1" in out["errors"]["zero"]
    assert "num_samples must be at least 1" in out["errors"]["negative"]
    assert "num_samples must be at most 64, the limit set at export" in out["errors"]["huge"]
    assert out["after"] == [[1, *gan.data_shape]] * 5


def test_versions_increment_and_are_never_overwritten(tmp_path):
    gan = _trained(paper_mnist_gan(seed=0), steps=1)
    first = export_generator(gan, tmp_path, warmup=False)
    second = export_generator(gan, tmp_path, warmup=False)
    assert (first.name, second.name) == ("1", "2")
    assert existing_versions(tmp_path / "generator") == [1, 2]
    stamp = (first / "saved_model.pb").stat().st_mtime_ns
    with pytest.raises(ValueError, match="Version 1 of 'generator' exists already"):
        export_generator(gan, tmp_path, version=1)
    assert (first / "saved_model.pb").stat().st_mtime_ns == stamp
    assert export_generator(gan, tmp_path, version=7, warmup=False).name == "7"
    assert export_generator(gan, tmp_path, warmup=False).name == "8"


def test_an_interrupted_export_leaves_no_version_behind(tmp_path, monkeypatch):
    gan = _trained(paper_mnist_gan(seed=0), steps=1)

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(generator_export, "write_warmup_requests", fail)
    with pytest.raises(KeyboardInterrupt):
        export_generator(gan, tmp_path)
    assert list((tmp_path / "generator").iterdir()) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"model_name": "a/b"}, "`model_name` must be letters"),
        ({"version": 0}, "`version` must be a positive integer. Received: version=0"),
        ({"max_samples": 0}, "`max_samples` must be an integer >= 1"),
    ],
)
def test_bad_export_arguments(tmp_path, kwargs, message):
    gan = paper_mnist_gan(seed=0)
    with pytest.raises(ValueError, match=message):
        export_generator(gan, tmp_path, **kwargs)
    assert not any(tmp_path.iterdir())


def test_export_script_from_a_run_directory(tmp_path):
    from keras_gan.train import TrainConfig
    from keras_gan.train import train

    run_dir = tmp_path / "run"
    train(
        TrainConfig(
            run_dir=str(run_dir),
            num_samples=200,
            latent_dim=4,
            g_units=(8,),
            d_units=(8,),
            d_pieces=2,
            epochs=1,
            export=False,
        )
    )
    done = subprocess.run(
        [
            sys.executable,
            "scripts/export.py",
            f"--source={run_dir}",
            f"--export_base={tmp_path / 'serving'}",
            "--max_refine_steps=2",
        ],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "serving/generator/1/saved_model.pb").is_file()
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        seed, three = tf.constant(1, tf.int64), tf.constant(3)
        refined = model.signatures["generate_refined"]
        OUT["refined"] = list(refined(num_samples=three, seed=seed, steps=tf.constant(2))[
            "samples"
        ].shape)
        OUT["plain"] = list(model.signatures["generate"](num_samples=three, seed=seed)[
            "samples"
        ].shape)
        """,
        path=tmp_path / "serving/generator/1",
    )
    assert out["refined"] == out["plain"] and out["plain"][0] == 3
    bad_step = subprocess.run(
        [
            sys.executable,
            "scripts/export.py",
            f"--source={run_dir}",
            f"--export_base={tmp_path / 'serving'}",
            "--max_refine_steps=2",
            "--refine_step_size=0",
        ],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad_step.returncode == 1
    assert (
        bad_step.stderr.strip()
        .splitlines()[-1]
        .endswith("error: --refine_step_size: `step_size` must be > 0. Received: step_size=0.0")
    )
    assert existing_versions(tmp_path / "serving/generator") == [1]
    missing = subprocess.run(
        [sys.executable, "scripts/export.py", f"--source={tmp_path / 'nothing.keras'}"],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert missing.returncode == 1
    assert "error: The source must be a run directory" in missing.stderr.strip().splitlines()[-1]


def test_the_shipped_models_config_names_the_export_layout():
    from google.protobuf import text_format
    from tensorflow_serving.config import model_server_config_pb2

    text = (REPO / "export" / "models.config").read_text()
    config = text_format.Parse(text, model_server_config_pb2.ModelServerConfig())
    (model,) = config.model_config_list.config
    assert (model.name, model.base_path, model.model_platform) == (
        "generator",
        "/models/generator",
        "tensorflow",
    )
