"""A conditional generator's serving contract, checked in processes that never import keras_gan."""

import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.export import export_generator
from keras_gan.models import DCGANDiscriminator
from keras_gan.models import DCGANGenerator
from keras_gan.models import StyleGAN2Discriminator
from keras_gan.models import StyleGAN2Generator
from tests.export.test_generator_export import REPLAY_WARMUP
from tests.export.test_generator_export import in_fresh_tensorflow

CLASS_NAMES = ["zero", "one", "two"]
# What a StyleGAN2 export serves beyond every generator's signatures.
STYLE_SIGNATURES = {
    False: {},
    True: {
        "generate_w_truncated": ["labels", "num_samples", "psi", "seed"],
        "mix_styles": ["cutoff", "labels", "latent", "mix_latent"],
    },
}


def styled(gan):
    return isinstance(gan.generator, StyleGAN2Generator)


def _networks(family):
    if family == "stylegan2":
        # Per-pixel noise is fixed outside training, so the served G is a function of z.
        widths = {"channel_base": 64, "channel_max": 8}
        return (
            StyleGAN2Generator(16, (8, 8, 1), num_classes=3, mapping_layers=2, seed=3, **widths),
            StyleGAN2Discriminator((8, 8, 1), num_classes=3, label_mapping_layers=2, **widths),
        )
    return (
        DCGANGenerator(latent_dim=16, data_shape=(8, 8, 1), base_filters=8, num_classes=3),
        DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=8, num_classes=3),
    )


@pytest.fixture(scope="module", params=["dcgan", "stylegan2"])
def export(tmp_path_factory, request):
    gan = GAN(
        *_networks(request.param),
        latent_distribution="normal",
        seed=1,
        num_classes=3,
        class_names=CLASS_NAMES,
    )
    gan.compile()
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(32, 8, 8, 1)).astype("float32")
    gan.fit(images, np.arange(32) % 3, batch_size=8, epochs=1, verbose=0)
    base = tmp_path_factory.mktemp("serving")
    return gan, export_generator(gan, base, "digits", max_samples=64)


def test_signatures_take_labels_and_give_the_classes_asked_for(export, tmp_path):
    gan, path = export
    latent = gan.sample_latent(3, seed=5).numpy()
    np.save(tmp_path / "latent.npy", latent)
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        OUT["inputs"] = {
            name: sorted(f.structured_input_signature[1]) for name, f in model.signatures.items()
        }
        labels = tf.constant([2, 0, 1], tf.int32)
        latent = tf.constant(np.load(VALUES["latent"]))
        default = model.signatures["serving_default"]
        OUT["served"] = default(latent=latent, labels=labels)["samples"].numpy().tolist()
        generate = model.signatures["generate"]
        seed = tf.constant(11, tf.int64)
        OUT["generated"] = generate(
            num_samples=tf.constant(3), seed=seed, labels=labels
        )["samples"].numpy().tolist()
        png = model.signatures["generate_png"]
        pngs = png(num_samples=tf.constant(3), seed=seed, labels=labels)
        OUT["png_shapes"] = [list(tf.io.decode_png(p).shape) for p in pngs["png"]]
        names = VALUES["path"] + "/assets.extra/class_names.txt"
        OUT["class_names"] = open(names).read().splitlines()
        """,
        path=path,
        latent=tmp_path / "latent.npy",
    )
    assert out["inputs"] == {
        "serving_default": ["labels", "latent"],
        "generate": ["labels", "num_samples", "seed"],
        "generate_png": ["labels", "num_samples", "seed"],
        "generate_truncated": ["labels", "num_samples", "seed", "truncation"],
        **STYLE_SIGNATURES[styled(gan)],
    }
    labels = np.array([2, 0, 1], "int32")
    expected = gan.generator([latent, labels], training=False)
    np.testing.assert_allclose(out["served"], np.asarray(expected), atol=1e-6)
    # The served `generate` is `gan.generate` with the same labels.
    np.testing.assert_allclose(out["generated"], gan.generate(3, seed=11, labels=labels), atol=1e-6)
    assert out["png_shapes"] == [[8, 8, 1]] * 3
    assert out["class_names"] == CLASS_NAMES


def test_bad_labels_fail_with_invalid_argument_and_the_model_still_answers(export):
    _, path = export
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        generate, default = model.signatures["generate"], model.signatures["serving_default"]
        seed, two = tf.constant(0, tf.int64), tf.constant(2)
        bad = {
            "negative": lambda: generate(num_samples=two, seed=seed, labels=tf.constant([0, -1])),
            "too large": lambda: generate(num_samples=two, seed=seed, labels=tf.constant([3, 0])),
            "too few": lambda: generate(num_samples=two, seed=seed, labels=tf.constant([0])),
            "too many": lambda: default(latent=tf.zeros([1, 16]), labels=tf.constant([0, 1])),
            "float": lambda: generate(num_samples=two, seed=seed, labels=tf.constant([0.0, 1.0])),
        }
        OUT["errors"], OUT["kinds"] = {}, {}
        for name, call in bad.items():
            try:
                call()
                OUT["errors"][name] = None
            except (tf.errors.InvalidArgumentError, TypeError, ValueError) as error:
                OUT["errors"][name] = str(error)[:600]
                OUT["kinds"][name] = type(error).__name__
            after = generate(num_samples=two, seed=seed, labels=tf.constant([1, 2]))
            OUT.setdefault("after", []).append(list(after["samples"].shape))
        """,
        path=path,
    )
    assert all(out["errors"].values()), out["errors"]
    for name in ("negative", "too large", "too few", "too many"):
        assert out["kinds"][name] == "InvalidArgumentError"
        assert "labels must hold one class id in [0, 3) per sample" in out["errors"][name]
    assert out["after"] == [[2, 8, 8, 1]] * 5


def test_warmup_records_ask_for_classes_and_are_accepted(export):
    gan, path = export
    out = in_fresh_tensorflow(REPLAY_WARMUP, path=path)
    assert out["answered"] == [
        ["digits", "serving_default", ["labels", "latent"], ["samples"]],
        ["digits", "generate", ["labels", "num_samples", "seed"], ["samples"]],
        ["digits", "generate_png", ["labels", "num_samples", "seed"], ["png"]],
        [
            "digits",
            "generate_truncated",
            ["labels", "num_samples", "seed", "truncation"],
            ["samples"],
        ],
        *[
            ["digits", name, inputs, ["samples"]]
            for name, inputs in STYLE_SIGNATURES[styled(gan)].items()
        ],
    ]
    assert out["labels"] == {
        name: [0, 2]
        for name in (
            "serving_default",
            "generate",
            "generate_png",
            "generate_truncated",
            *STYLE_SIGNATURES[styled(gan)],
        )
    }


def test_a_stylegan2_serves_w_truncation_and_style_mixing_for_the_classes_asked_for(
    export, tmp_path
):
    gan, path = export
    if not styled(gan):
        pytest.skip("w truncation and style mixing are StyleGAN2's")
    rng = np.random.default_rng(8)
    latent, mix = (rng.normal(size=(3, 16)).astype("float32") for _ in range(2))
    np.save(tmp_path / "latent.npy", latent)
    np.save(tmp_path / "mix.npy", mix)
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        labels = tf.constant([2, 0, 1], tf.int32)
        truncated = model.signatures["generate_w_truncated"]
        OUT["truncated"] = truncated(
            num_samples=tf.constant(3), seed=tf.constant(4, tf.int64), psi=tf.constant(0.5),
            labels=labels,
        )["samples"].numpy().tolist()
        mix = model.signatures["mix_styles"]
        latent, other = tf.constant(np.load(VALUES["latent"])), tf.constant(np.load(VALUES["mix"]))
        OUT["mixed"] = [
            mix(latent=latent, mix_latent=other, cutoff=tf.constant(c), labels=labels)[
                "samples"
            ].numpy().tolist()
            for c in (0, 2, 4)
        ]
        OUT["errors"] = []
        for cutoff, rows in ((-1, 3), (5, 3), (2, 2)):
            try:
                mix(latent=latent, mix_latent=other[:rows], cutoff=tf.constant(cutoff),
                    labels=labels)
                OUT["errors"].append(None)
            except tf.errors.InvalidArgumentError as error:
                OUT["errors"].append(str(error)[:400])
        """,
        path=path,
        latent=tmp_path / "latent.npy",
        mix=tmp_path / "mix.npy",
    )
    generator, labels = gan.sampler, np.array([2, 0, 1], "int32")
    z = gan.sample_latent(3, seed=4)
    expected = generator([z, labels], training=False, truncation_psi=0.5)
    np.testing.assert_allclose(out["truncated"], np.asarray(expected), atol=1e-5)
    ws = generator.map([latent, labels])
    other = generator.map([mix, labels])
    for cutoff, mixed in zip((0, 2, 4), out["mixed"], strict=True):
        expected = generator.synthesize(generator.mix(ws, other, cutoff))
        np.testing.assert_allclose(mixed, np.asarray(expected), atol=1e-5)
    # All from mix_latent at 0, all from latent at num_ws (4 at 8x8): the plain decodes.
    assert generator.num_ws == 4
    np.testing.assert_allclose(out["mixed"][0], np.asarray(generator([mix, labels])), atol=1e-5)
    np.testing.assert_allclose(out["mixed"][2], np.asarray(generator([latent, labels])), atol=1e-5)
    assert all(error and "cutoff must be in 0..4" in error for error in out["errors"]), out[
        "errors"
    ]
