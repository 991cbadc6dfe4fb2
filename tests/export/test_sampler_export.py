"""The samplers in the export: `generate_truncated` and `generate_refined`, checked in
processes that never import keras_gan."""

import numpy as np
import pytest

from keras_gan import GAN
from keras_gan import sampling
from keras_gan.export import export_generator
from keras_gan.models import BiGAN
from keras_gan.models import DCGANDiscriminator
from keras_gan.models import DCGANEncoder
from keras_gan.models import DCGANGenerator
from keras_gan.sampling.base import CHUNK
from tests.export.test_generator_export import REPLAY_WARMUP
from tests.export.test_generator_export import in_fresh_tensorflow

SHAPE = (8, 8, 1)
LANGEVIN = {"steps": 4, "step_size": 0.05, "calibration": (0.9, 0.1)}


def _pair(num_classes=None, seed=1):
    gan = GAN(
        DCGANGenerator(latent_dim=16, data_shape=SHAPE, base_filters=8, num_classes=num_classes),
        DCGANDiscriminator(data_shape=SHAPE, base_filters=8, num_classes=num_classes),
        latent_distribution="normal",
        seed=seed,
        num_classes=num_classes,
    )
    gan.compile()
    images = np.random.default_rng(0).uniform(size=(32, *SHAPE)).astype("float32")
    labels = None if num_classes is None else np.arange(32) % num_classes
    gan.fit(images, labels, batch_size=8, epochs=1, verbose=0)
    return gan


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """An unconditional and a conditional DCGAN, each exported with `generate_refined`,
    and the unconditional one also without it."""
    base = tmp_path_factory.mktemp("serving")
    plain, conditional = _pair(), _pair(num_classes=3, seed=2)
    langevin = sampling.LangevinSampling(**LANGEVIN)
    max_samples = CHUNK + 10  # `generate_refined` works in chunks of CHUNK, as the sampler does
    return {
        "refined": (
            plain,
            export_generator(plain, base, "refined", max_samples=max_samples, langevin=langevin),
        ),
        "plain": (plain, export_generator(plain, base, "plain", max_samples=8)),
        "conditional": (
            conditional,
            export_generator(conditional, base, "conditional", max_samples=8, langevin=langevin),
        ),
    }


def test_the_sampler_signatures_equal_gan_generate_with_the_samplers(exports):
    gan, path = exports["refined"]
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        seed = tf.constant(3, tf.int64)
        truncated = model.signatures["generate_truncated"]
        refined = model.signatures["generate_refined"]
        OUT["truncated"] = truncated(
            num_samples=tf.constant(6), seed=seed, truncation=tf.constant(0.5)
        )["samples"].numpy().tolist()
        OUT["untruncated"] = truncated(
            num_samples=tf.constant(6), seed=seed, truncation=tf.constant(float("inf"))
        )["samples"].numpy().tolist()
        OUT["plain"] = model.signatures["generate"](num_samples=tf.constant(6), seed=seed)[
            "samples"
        ].numpy().tolist()
        count = tf.constant(VALUES["count"])
        OUT["refined"] = refined(num_samples=count, seed=seed, steps=tf.constant(3))[
            "samples"
        ].numpy().tolist()
        OUT["unrefined"] = refined(num_samples=tf.constant(6), seed=seed, steps=tf.constant(0))[
            "samples"
        ].numpy().tolist()
        """,
        path=path,
        count=CHUNK + 10,
    )
    expected = gan.generate(6, seed=3, sampler=sampling.Truncation(0.5))
    np.testing.assert_allclose(out["truncated"], expected, atol=1e-6)
    assert not np.allclose(out["truncated"], out["plain"], atol=1e-3)
    # At an infinite threshold nothing is redrawn: plain sampling.
    assert out["untruncated"] == out["plain"]
    langevin = sampling.LangevinSampling(**{**LANGEVIN, "steps": 3})
    expected = gan.generate(CHUNK + 10, seed=3, sampler=langevin)
    np.testing.assert_allclose(out["refined"], expected, atol=1e-5)
    assert not np.allclose(out["refined"][:6], out["plain"], atol=1e-3)
    np.testing.assert_allclose(out["unrefined"], out["plain"], atol=1e-6)


def test_the_discriminator_is_exported_only_with_generate_refined(exports):
    sizes = {}
    for name in ("plain", "refined"):
        gan, path = exports[name]
        sizes[name] = in_fresh_tensorflow(
            """
            model = tf.saved_model.load(VALUES["path"])
            OUT["signatures"] = sorted(model.signatures)
            OUT["weights"] = int(sum(np.prod(v.shape) for v in model.variables))
            """,
            path=path,
        )
    generator = sum(int(np.prod(v.shape)) for v in gan.generator.variables)
    discriminator = sum(int(np.prod(v.shape)) for v in gan.discriminator.variables)
    assert "generate_refined" not in sizes["plain"]["signatures"]
    assert "generate_refined" in sizes["refined"]["signatures"]
    assert sizes["plain"]["weights"] == generator
    assert sizes["refined"]["weights"] == generator + discriminator


def test_bad_sampler_requests_fail_and_the_model_still_answers(exports):
    _, path = exports["refined"]
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        truncated = model.signatures["generate_truncated"]
        refined = model.signatures["generate_refined"]
        two, seed = tf.constant(2), tf.constant(0, tf.int64)
        bad = {
            "zero truncation": lambda: truncated(
                num_samples=two, seed=seed, truncation=tf.constant(0.0)
            ),
            "negative truncation": lambda: truncated(
                num_samples=two, seed=seed, truncation=tf.constant(-1.0)
            ),
            "nan truncation": lambda: truncated(
                num_samples=two, seed=seed, truncation=tf.constant(float("nan"))
            ),
            "too many truncated": lambda: truncated(
                num_samples=tf.constant(10**6), seed=seed, truncation=tf.constant(1.0)
            ),
            "negative steps": lambda: refined(num_samples=two, seed=seed, steps=tf.constant(-1)),
            "too many steps": lambda: refined(num_samples=two, seed=seed, steps=tf.constant(5)),
            "too many refined": lambda: refined(
                num_samples=tf.constant(10**6), seed=seed, steps=tf.constant(1)
            ),
        }
        OUT["errors"], OUT["after"] = {}, []
        for name, call in bad.items():
            try:
                call()
                OUT["errors"][name] = None
            except tf.errors.InvalidArgumentError as error:
                OUT["errors"][name] = str(error)
            OUT["after"].append([
                list(truncated(num_samples=two, seed=seed, truncation=tf.constant(1.0))[
                    "samples"
                ].shape),
                list(refined(num_samples=two, seed=seed, steps=tf.constant(1))["samples"].shape),
            ])
        """,
        path=path,
    )
    errors = out["errors"]
    assert all(errors.values()), errors
    for name in ("zero truncation", "negative truncation", "nan truncation"):
        assert "truncation must be > 0; received" in errors[name]
    for name in ("negative steps", "too many steps"):
        assert "steps must be in 0..4, the limit set at export; received" in errors[name]
    for name in ("too many truncated", "too many refined"):
        assert f"num_samples must be at most {CHUNK + 10}" in errors[name]
    assert out["after"] == [[[2, *SHAPE], [2, *SHAPE]]] * len(errors)


def test_conditional_sampler_signatures_read_the_labels(exports):
    gan, path = exports["conditional"]
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        seed = tf.constant(5, tf.int64)
        OUT["truncated"], OUT["refined"] = {}, {}
        for labels in ([0, 1, 2], [2, 2, 2]):
            key = str(labels)
            labels = tf.constant(labels, tf.int32)
            OUT["truncated"][key] = model.signatures["generate_truncated"](
                num_samples=tf.constant(3), seed=seed, truncation=tf.constant(0.7), labels=labels
            )["samples"].numpy().tolist()
            OUT["refined"][key] = model.signatures["generate_refined"](
                num_samples=tf.constant(3), seed=seed, steps=tf.constant(2), labels=labels
            )["samples"].numpy().tolist()
        try:
            model.signatures["generate_refined"](
                num_samples=tf.constant(3), seed=seed, steps=tf.constant(2),
                labels=tf.constant([0, 1, 3], tf.int32),
            )
            OUT["bad label"] = None
        except tf.errors.InvalidArgumentError as error:
            OUT["bad label"] = str(error)
        """,
        path=path,
    )
    for labels in ([0, 1, 2], [2, 2, 2]):
        key, labels = str(labels), np.array(labels, "int32")
        truncation = sampling.Truncation(0.7)
        langevin = sampling.LangevinSampling(**{**LANGEVIN, "steps": 2})
        expected = gan.generate(3, seed=5, labels=labels, sampler=truncation)
        np.testing.assert_allclose(out["truncated"][key], expected, atol=1e-6)
        expected = gan.generate(3, seed=5, labels=labels, sampler=langevin)
        np.testing.assert_allclose(out["refined"][key], expected, atol=1e-5)
    # The same seed and z: only the labels differ, and the samples with them.
    assert not np.allclose(out["truncated"]["[0, 1, 2]"][0], out["truncated"]["[2, 2, 2]"][0])
    assert "labels must hold one class id in [0, 3) per sample" in out["bad label"]


def test_warmup_records_replay_the_sampler_signatures(exports):
    _, path = exports["conditional"]
    out = in_fresh_tensorflow(REPLAY_WARMUP, path=path)
    answered = {record[1]: record[2] for record in out["answered"]}
    assert answered["generate_truncated"] == ["labels", "num_samples", "seed", "truncation"]
    assert answered["generate_refined"] == ["labels", "num_samples", "seed", "steps"]


def test_a_bigan_exports_truncation_and_refuses_the_discriminator_samplers(tmp_path):
    bigan = BiGAN(
        DCGANGenerator(latent_dim=16, data_shape=SHAPE, base_filters=8),
        DCGANEncoder(latent_dim=16, data_shape=SHAPE, base_filters=8),
        DCGANDiscriminator(data_shape=SHAPE, base_filters=8, latent_dim=16, joint_units=16),
        latent_distribution="normal",
        seed=1,
    )
    bigan.compile()
    bigan.fit(np.zeros((16, *SHAPE), "float32"), batch_size=8, epochs=1, verbose=0)
    message = r"reads D\(x\), and a BiGAN's discriminator judges \(x, z\) pairs"
    with pytest.raises(ValueError, match=message):
        export_generator(bigan, tmp_path, langevin=sampling.LangevinSampling(steps=2))
    assert not (tmp_path / "generator").exists()
    for sampler in ("rejection", "metropolis_hastings", "langevin", "optimal_transport"):
        with pytest.raises(ValueError, match=message):
            bigan.generate(2, seed=0, sampler=sampler)
    np.testing.assert_array_equal(
        bigan.generate(2, seed=0, sampler=sampling.Truncation(float("inf"))),
        bigan.generate(2, seed=0),
    )


@pytest.mark.parametrize(
    "langevin, message",
    [
        ("langevin", "`langevin` must be a keras_gan.sampling.LangevinSampling"),
        (sampling.LangevinSampling(steps=0), "the most steps a request may ask for, so at least 1"),
    ],
)
def test_bad_langevin_arguments_are_refused_before_anything_is_written(
    exports, tmp_path, langevin, message
):
    gan, _ = exports["plain"]
    with pytest.raises(ValueError, match=message):
        export_generator(gan, tmp_path, langevin=langevin)
    assert list(tmp_path.iterdir()) == []
