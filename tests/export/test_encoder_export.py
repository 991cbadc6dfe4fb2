"""An export with an encoder: `encode` and `reconstruct`, checked without keras_gan."""

import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.export import export_generator
from keras_gan.export import load_encoder
from keras_gan.models import BiGAN
from keras_gan.models import DCGANDiscriminator
from keras_gan.models import DCGANEncoder
from keras_gan.models import DCGANGenerator
from keras_gan.models import LatentRegression
from tests.export.test_generator_export import REPLAY_WARMUP
from tests.export.test_generator_export import in_fresh_tensorflow

SHAPE = (8, 8, 1)


def images(num, seed=0):
    return np.random.default_rng(seed).uniform(size=(num, *SHAPE)).astype("float32")


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    bigan = BiGAN(
        DCGANGenerator(latent_dim=16, data_shape=SHAPE, base_filters=8),
        DCGANEncoder(latent_dim=16, data_shape=SHAPE, base_filters=8),
        DCGANDiscriminator(data_shape=SHAPE, base_filters=8, latent_dim=16, joint_units=16),
        latent_distribution="normal",
        seed=1,
    )
    bigan.compile()
    bigan.fit(images(32), batch_size=8, epochs=1, verbose=0)
    base = tmp_path_factory.mktemp("serving")
    return bigan, export_generator(bigan, base, "pairs", max_samples=64)


def test_encode_and_reconstruct_answer_as_the_bigan_does(export, tmp_path):
    bigan, path = export
    np.save(tmp_path / "images.npy", images(5, seed=3))
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        OUT["inputs"] = {
            name: sorted(f.structured_input_signature[1]) for name, f in model.signatures.items()
        }
        x = tf.constant(np.load(VALUES["images"]))
        OUT["latent"] = model.signatures["encode"](images=x)["latent"].numpy().tolist()
        OUT["samples"] = model.signatures["reconstruct"](images=x)["samples"].numpy().tolist()
        """,
        path=path,
        images=tmp_path / "images.npy",
    )
    assert out["inputs"]["encode"] == out["inputs"]["reconstruct"] == ["images"]
    assert set(out["inputs"]) == {
        "serving_default",
        "generate",
        "generate_png",
        "generate_truncated",
        "encode",
        "reconstruct",
    }
    x = images(5, seed=3)
    np.testing.assert_allclose(out["latent"], bigan.encode(x), atol=1e-5)
    np.testing.assert_allclose(out["samples"], bigan.reconstruct(x), atol=1e-5)


def test_bad_images_fail_with_invalid_argument_and_the_model_still_answers(export):
    _, path = export
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        encode, reconstruct = model.signatures["encode"], model.signatures["reconstruct"]
        bad = {
            "no channel": lambda: encode(images=tf.zeros([2, 8, 8])),
            "other size": lambda: reconstruct(images=tf.zeros([2, 9, 8, 1])),
            "0-255 pixels": lambda: encode(images=tf.fill([2, 8, 8, 1], 255.0)),
            "too many": lambda: encode(images=tf.zeros([65, 8, 8, 1])),
            "none": lambda: reconstruct(images=tf.zeros([0, 8, 8, 1])),
            "integers": lambda: encode(images=tf.zeros([2, 8, 8, 1], tf.int32)),
        }
        OUT["errors"], OUT["kinds"], OUT["after"] = {}, {}, []
        for name, call in bad.items():
            try:
                call()
                OUT["errors"][name] = None
            except (tf.errors.InvalidArgumentError, TypeError, ValueError) as error:
                OUT["errors"][name] = str(error)[:600]
                OUT["kinds"][name] = type(error).__name__
            OUT["after"].append(list(encode(images=tf.zeros([1, 8, 8, 1]))["latent"].shape))
        """,
        path=path,
    )
    assert all(out["errors"].values()), out["errors"]
    expected = {
        "no channel": "images must have shape [batch, 8, 8, 1]; received shape] [2 8 8]",
        "other size": "images must have shape [batch, 8, 8, 1]; received shape] [2 9 8 1]",
        "0-255 pixels": "images must be in [0, 1]; received values from] [255] [to] [255]",
        "too many": "images must hold 1 to 64 images; received] [65]",
        "none": "images must hold 1 to 64 images; received] [0]",
    }
    for name, message in expected.items():
        assert out["kinds"][name] == "InvalidArgumentError", out["errors"][name]
        assert message in out["errors"][name], out["errors"][name]
    assert out["after"] == [[1, 16]] * 6


def test_warmup_records_encode_and_reconstruct_too(export):
    _, path = export
    out = in_fresh_tensorflow(REPLAY_WARMUP, path=path)
    assert [record[1:] for record in out["answered"]] == [
        ["serving_default", ["latent"], ["samples"]],
        ["generate", ["num_samples", "seed"], ["samples"]],
        ["generate_png", ["num_samples", "seed"], ["png"]],
        ["generate_truncated", ["num_samples", "seed", "truncation"], ["samples"]],
        ["encode", ["images"], ["latent"]],
        ["reconstruct", ["images"], ["samples"]],
    ]


def test_a_fitted_encoder_is_exported_with_a_plain_gan_and_checked_first(tmp_path):
    gan = GAN(
        DCGANGenerator(latent_dim=16, data_shape=SHAPE, base_filters=8),
        DCGANDiscriminator(data_shape=SHAPE, base_filters=8),
        seed=0,
    )
    encoder = DCGANEncoder(latent_dim=16, data_shape=SHAPE, base_filters=8)
    regression = LatentRegression.for_gan(gan, encoder)
    regression.compile(optimizer="adam")
    regression.fit(images(16), batch_size=8, verbose=0)
    encoder.save(tmp_path / "encoder.keras")
    loaded = load_encoder(tmp_path / "encoder.keras", gan)
    path = export_generator(gan, tmp_path / "serving", encoder=loaded, warmup=False)
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        latent = model.signatures["encode"](images=tf.zeros([2, 8, 8, 1]))["latent"]
        OUT["latent"] = latent.numpy().tolist()
        """,
        path=path,
    )
    np.testing.assert_allclose(
        out["latent"], encoder.predict(np.zeros((2, *SHAPE)), verbose=0), atol=1e-5
    )
    # Without an encoder, today's contract: no encode signature.
    plain = export_generator(gan, tmp_path / "plain", warmup=False)
    out = in_fresh_tensorflow(
        'OUT["signatures"] = sorted(tf.saved_model.load(VALUES["path"]).signatures)', path=plain
    )
    assert out["signatures"] == [
        "generate",
        "generate_png",
        "generate_truncated",
        "serving_default",
    ]
    small = DCGANEncoder(latent_dim=4, data_shape=SHAPE, base_filters=8)
    small(np.zeros((1, *SHAPE), "float32"))
    small.save(tmp_path / "small.keras")
    with pytest.raises(ValueError, match=r"codes of shape \(batch, 16\).*Received: \(2, 4\)"):
        load_encoder(tmp_path / "small.keras", gan)
    with pytest.raises(ValueError, match="must be an existing .keras file"):
        load_encoder(tmp_path / "missing.keras", gan)
