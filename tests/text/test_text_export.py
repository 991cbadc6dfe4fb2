"""The text export: what TensorFlow Serving loads answers with ids and sentences equal to
the generator's own, refuses bad requests, and replays its warmup records."""

import keras
import numpy as np
import pytest

from keras_gan.export import export_text_generator
from keras_gan.models import TextGenerator
from keras_gan.text import Vocabulary
from tests.export.test_generator_export import in_fresh_tensorflow

WORDS = ["a", "cat", "dog.", "sat", "on", "the", "mat."]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    keras.utils.set_random_seed(0)
    vocabulary = Vocabulary(WORDS)
    generator = TextGenerator(vocabulary.size, 6, embedding_dim=4, units=8)
    generator.build()
    # A bias towards the padding id makes some sentences end early.
    bias = np.zeros(vocabulary.size, "float32")
    bias[0] = 1.5
    generator.projection.bias.assign(bias)
    base = tmp_path_factory.mktemp("export")
    path = export_text_generator(generator, base, vocabulary, max_samples=50)
    return generator, vocabulary, str(path)


SERVE = """
model = tf.saved_model.load(VALUES["path"])
generate = model.signatures["generate"]
out = generate(num_samples=tf.constant(40), seed=tf.constant(3, tf.int64))
OUT["ids"] = out["token_ids"].numpy().tolist()
OUT["text"] = [t.decode() for t in out["text"].numpy()]
cold = model.signatures["generate_at_temperature"](
    num_samples=tf.constant(40), seed=tf.constant(3, tf.int64), temperature=tf.constant(0.5)
)
OUT["cold_ids"] = cold["token_ids"].numpy().tolist()
OUT["default_equals_generate"] = bool(np.array_equal(
    model.signatures["serving_default"](num_samples=tf.constant(40), seed=tf.constant(3, tf.int64))
    ["token_ids"].numpy(), out["token_ids"].numpy()))
OUT["refused"] = []
BAD = [(0, 1.0), (51, 1.0), (2, 0.0), (2, float("nan"))]
for count, temperature in BAD:
    inputs = {"num_samples": count, "temperature": temperature}
    try:
        model.signatures["generate_at_temperature"](
            num_samples=tf.constant(inputs["num_samples"]), seed=tf.constant(0, tf.int64),
            temperature=tf.constant(inputs["temperature"]))
        OUT["refused"].append(None)
    except tf.errors.InvalidArgumentError as error:
        OUT["refused"].append(error.message[:3000])
OUT["still_answers"] = generate(num_samples=tf.constant(2), seed=tf.constant(0, tf.int64))[
    "token_ids"].shape.as_list()
"""


def test_served_sentences_equal_the_generators_samples_and_bad_requests_are_refused(exported):
    generator, vocabulary, path = exported
    out = in_fresh_tensorflow(SERVE, path=path)
    expected = generator.sample(40, seed=[3, 0]).numpy()
    np.testing.assert_array_equal(out["ids"], expected)
    assert out["text"] == [" ".join(s) for s in vocabulary.decode(expected)]
    assert any(len(s.split()) < 5 for s in out["text"])  # some end early: the padding is cut
    assert "" not in out["text"][0].split(" ")
    np.testing.assert_array_equal(
        out["cold_ids"], generator.sample(40, seed=[3, 0], temperature=0.5).numpy()
    )
    assert out["default_equals_generate"]
    assert None not in out["refused"]
    assert "num_samples must be at least 1" in out["refused"][0]
    assert "at most 50" in out["refused"][1]
    assert all("temperature must be a number > 0" in m for m in out["refused"][2:])
    assert out["still_answers"] == [2, 6]


def test_warmup_records_replay_every_signature(exported):
    _, _, path = exported
    out = in_fresh_tensorflow(
        """
        from tensorflow_serving.apis import prediction_log_pb2
        model = tf.saved_model.load(VALUES["path"])
        OUT["answered"] = []
        warmup = VALUES["path"] + "/assets.extra/tf_serving_warmup_requests"
        for record in tf.data.TFRecordDataset(warmup):
            log = prediction_log_pb2.PredictionLog.FromString(record.numpy())
            request = log.predict_log.request
            inputs = {k: tf.constant(tf.make_ndarray(v)) for k, v in request.inputs.items()}
            outputs = model.signatures[request.model_spec.signature_name](**inputs)
            OUT["answered"].append([request.model_spec.signature_name, sorted(outputs)])
        """,
        path=path,
    )
    assert out["answered"] == [
        ["serving_default", ["text", "token_ids"]],
        ["generate", ["text", "token_ids"]],
        ["generate_at_temperature", ["text", "token_ids"]],
    ]


def test_without_a_vocabulary_the_text_is_the_ids(tmp_path):
    keras.utils.set_random_seed(0)
    generator = TextGenerator(12, 4, embedding_dim=3, units=4)
    generator.build()
    path = export_text_generator(generator, tmp_path, None)
    out = in_fresh_tensorflow(SERVE.split("cold =")[0], path=str(path))
    ids = generator.sample(40, seed=[3, 0]).numpy()
    first = list(ids[0][: list(ids[0]).index(0)] if 0 in ids[0] else ids[0])
    assert out["text"][0] == " ".join(map(str, first))
    # A second export is the next version; the first is never touched.
    assert export_text_generator(generator, tmp_path, None).name == "2"
    with pytest.raises(ValueError, match="model_name='a/b'"):
        export_text_generator(generator, tmp_path, None, model_name="a/b")
    with pytest.raises(ValueError, match="max_samples"):
        export_text_generator(generator, tmp_path, None, max_samples=0)
    assert sorted(p.name for p in (tmp_path / "generator").iterdir()) == ["1", "2"]
