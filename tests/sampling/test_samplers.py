"""Samplers of a trained generator: known answers on a 1-D mixture whose densities are known."""

import math

import keras
import numpy as np
import pytest
from keras import ops
from scipy import stats

import keras_gan
from keras_gan import sampling

# The data: an equal mixture of N(-2, 0.5^2) and N(2, 0.5^2). The generator: x = 3 z with
# z ~ N(0, 1), so p_g = N(0, 9), which covers the data but puts most samples between the modes.
MODES, STD, SCALE = (-2.0, 2.0), 0.5, 3.0


def log_normal(x, mean, std):
    return -0.5 * ops.square((x - mean) / std) - math.log(std * math.sqrt(2 * math.pi))


class OptimalLogit(keras.layers.Layer):
    """The optimal discriminator's logit, log(p_data(x) / p_g(x))."""

    def call(self, x):
        data = ops.logsumexp(
            ops.concatenate([log_normal(x, m, STD) for m in MODES], axis=-1), axis=-1
        ) - math.log(len(MODES))
        return ops.expand_dims(data, -1) - log_normal(x, 0.0, SCALE)


def toy_gan(latent_distribution="normal"):
    generator = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(SCALE)),
        ]
    )
    discriminator = keras.Sequential([keras.Input((1,)), OptimalLogit()])
    return keras_gan.GAN(
        generator, discriminator, latent_dim=1, latent_distribution=latent_distribution, seed=0
    )


def data_samples(count, seed):
    rng = np.random.default_rng(seed)
    return rng.choice(MODES, count) + STD * rng.normal(size=count)


def distance_to_data(samples):
    return stats.wasserstein_distance(np.ravel(samples), data_samples(20000, 99))


@pytest.fixture(scope="module")
def gan():
    return toy_gan()


def test_truncation_at_infinity_is_plain_sampling_to_the_bit(gan):
    plain = gan.generate(500, seed=5)
    np.testing.assert_array_equal(
        gan.generate(500, seed=5, sampler=sampling.Truncation(1e9)), plain
    )
    uniform = toy_gan("uniform")
    np.testing.assert_array_equal(
        uniform.generate(300, seed=2, sampler=sampling.Truncation(2.0)),
        uniform.generate(300, seed=2),
    )


def test_truncation_resamples_outside_the_threshold_rather_than_rescaling(gan):
    plain = gan.sample_latent(20000, seed=3).numpy()
    z = sampling.Truncation(1.0).latent(gan, 20000, seed=3)
    assert np.abs(z).max() <= 1.0
    inside = np.abs(plain) <= 1.0
    np.testing.assert_array_equal(z[inside], plain[inside])  # kept as drawn
    # N(0, 1) conditioned on [-1, 1]: variance 1 - 2 phi(1) / (2 Phi(1) - 1) = 0.2911.
    expected = stats.truncnorm(-1, 1).var()
    assert z.var() == pytest.approx(expected, rel=0.03)
    samples = gan.generate(20000, seed=3, sampler="truncation")
    np.testing.assert_allclose(samples, SCALE * z, rtol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rejection_and_metropolis_hastings_with_the_optimal_d_sample_the_data(gan, seed):
    plain = distance_to_data(gan.generate(4000, seed=seed))
    rejection = sampling.RejectionSampling(burn_in=2000)
    rejected = distance_to_data(gan.generate(4000, seed=seed, sampler=rejection))
    chain = sampling.MetropolisHastings(chain_length=40)
    chained = distance_to_data(gan.generate(4000, seed=seed, sampler=chain))
    assert plain > 0.5  # G alone is far from the mixture
    assert rejected < 0.15 * plain, (plain, rejected)
    assert chained < 0.15 * plain, (plain, chained)
    assert 0 < rejection.acceptance_rate < 0.7
    assert rejection.cost["generator_calls_per_sample"] > 1
    assert chain.cost == {
        "generator_calls_per_sample": 40.0,
        "discriminator_calls_per_sample": 40.0,
    }


def test_metropolis_hastings_with_one_proposal_is_plain_sampling(gan):
    np.testing.assert_array_equal(
        gan.generate(300, seed=4, sampler=sampling.MetropolisHastings(chain_length=1)),
        gan.generate(300, seed=4),
    )


def test_langevin_dynamics_in_z_approach_the_data_as_they_run(gan):
    distances = [
        distance_to_data(
            gan.generate(3000, seed=1, sampler=sampling.LangevinSampling(steps, step_size=0.02))
        )
        for steps in (0, 3, 200)
    ]
    np.testing.assert_array_equal(
        gan.generate(300, seed=1, sampler=sampling.LangevinSampling(0)), gan.generate(300, seed=1)
    )
    # exp(-E) of the optimal D is the latent density whose image is the data: the chain
    # gets there (measured: 1.05 at 0 steps, 0.06 after 25 and after 200).
    assert distances[1] < 0.8 * distances[0], distances
    assert distances[2] < 0.15 * distances[0], distances


def test_optimal_transport_moves_samples_up_d_within_its_transport_cost(gan):
    plain = gan.generate(2000, seed=0)
    moved = gan.generate(2000, seed=0, sampler=sampling.OptimalTransport(steps=30))
    logit = OptimalLogit()
    # The cost |z - z0| against l / k, with k the largest slope of l(G(z)) between pairs of
    # samples, lets a sample climb D only where D is steeper than that; this D's tails make
    # k large, so the samples move little (measured: mean logit -5.38 to -5.18, distance to
    # the data 1.037 to 1.028), but they move up D and not away from the data.
    assert float(ops.mean(logit(moved))) > float(ops.mean(logit(plain))) + 0.1
    assert distance_to_data(moved) < distance_to_data(plain)
    z0 = gan.sample_latent(2000, seed=0).numpy()
    z = sampling.OptimalTransport(steps=30).latent(gan, 2000, seed=0)
    assert 0 < np.abs(z - z0).max() < 0.5


def test_calibration_recovers_a_known_scale_and_offset():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=20000)
    targets = rng.uniform(size=20000) < 1 / (1 + np.exp(-(2.0 * logits - 0.5)))
    scale, offset = sampling.calibration.logistic_fit(logits, targets)
    assert scale == pytest.approx(2.0, abs=0.1) and offset == pytest.approx(-0.5, abs=0.05)


def test_the_optimal_d_needs_no_calibration(gan):
    # Its logit already is log(p_data / p_g): held-out data against samples fit scale ~1,
    # offset ~0.
    scale, offset = sampling.calibrate(gan, data_samples(6000, 5)[:, None], seed=1)
    assert scale == pytest.approx(1.0, abs=0.1) and offset == pytest.approx(0.0, abs=0.1)


def test_bad_sampler_settings_are_refused_with_what_was_received(gan):
    with pytest.raises(ValueError, match=r"`threshold` must be > 0. Received: threshold=0"):
        sampling.Truncation(0)
    with pytest.raises(ValueError, match=r"`steps` must be an integer >= 0. Received: steps=-1"):
        sampling.LangevinSampling(steps=-1)
    for steps in ("abc", 2.5, float("nan"), True):
        with pytest.raises(ValueError, match=r"`steps` must be an integer >= 0. Received: steps="):
            sampling.LangevinSampling(steps=steps)
    assert sampling.LangevinSampling(steps=np.int64(3)).steps == 3
    # Every sampler's numeric settings go through one check: a word or NaN is named too.
    for length in ("abc", float("inf"), None):
        with pytest.raises(ValueError, match=r"`chain_length` must be an integer >= 1. Received"):
            sampling.MetropolisHastings(chain_length=length)
    for threshold in ("abc", float("nan")):
        with pytest.raises(ValueError, match=r"`threshold` must be > 0. Received: threshold="):
            sampling.Truncation(threshold)
    assert sampling.Truncation(np.float32(0.5)).threshold == 0.5
    with pytest.raises(ValueError, match=r"`chain_length` must be an integer >= 1"):
        sampling.MetropolisHastings(chain_length=0)
    with pytest.raises(ValueError, match=r"Unknown sampler 'best'; available: .*truncation"):
        gan.generate(4, sampler="best")
    with pytest.raises(ValueError, match=r"Bad arguments for sampler 'truncation'"):
        sampling.get("truncation", thresh=1)
    with pytest.raises(ValueError, match=r"kept .* short of 10"):
        gan.generate(
            10,
            seed=0,
            sampler=sampling.RejectionSampling(
                burn_in=10, batch_size=1, max_rounds=2, gamma_percentile=99
            ),
        )


def test_a_conditional_gan_keeps_the_classes_asked_for():
    class LabelShift(keras.Model):
        def call(self, inputs):
            z, labels = inputs
            return z + 10.0 * ops.cast(ops.expand_dims(labels, -1), "float32")

    class Judge(keras.Model):
        def call(self, inputs):
            x, labels = inputs
            return -ops.abs(x - 10.0 * ops.cast(ops.expand_dims(labels, -1), "float32"))

    gan = keras_gan.GAN(
        LabelShift(), Judge(), latent_dim=1, latent_distribution="normal", num_classes=3, seed=0
    )
    labels = np.array([2, 0, 1, 2, 2, 0] * 50)
    for sampler in ("truncation", "rejection", "metropolis_hastings", "langevin"):
        samples = gan.generate(len(labels), seed=0, labels=labels, sampler=sampler)
        offsets = np.round(samples[:, 0] / 10.0)
        np.testing.assert_array_equal(offsets, labels, err_msg=sampler)
