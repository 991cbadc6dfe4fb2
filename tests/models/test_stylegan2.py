"""StyleGAN2: parameter counts of the reference code, what its equations say, the GAN it trains."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan.layers import AdaAugment
from keras_gan.layers import EqualizedDense
from keras_gan.layers import MinibatchStandardDeviation
from keras_gan.layers import ModulatedConv2D
from keras_gan.layers.equalized import downsample_2d
from keras_gan.layers.equalized import upsample_2d
from keras_gan.models import RampedAverage
from keras_gan.models import StyleGAN2Discriminator
from keras_gan.models import StyleGAN2Generator
from keras_gan.penalties import R1
from keras_gan.penalties import GeneratorPenalty
from keras_gan.penalties import PathLength
from keras_gan.penalties import path_lengths

SMALL = {"channel_base": 256, "channel_max": 16}


def count(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def numpy(x):
    return keras.ops.convert_to_numpy(x)


def test_parameter_counts_at_cifar10s_setting_equal_the_reference_code():
    """NVlabs/stylegan2-ada-pytorch training/networks.py (commit
    d72cc7d041b42ec8e806021a205ed9349f87c6a4) with train.py's `cifar` spec: z = w = 512,
    `--map` 2 (G's mapping only), channel_base 32768 and channel_max 512 (512 channels at
    sides 4 to 32), D's architecture 'orig', 10 classes. Counted by hand, and the same
    numbers from the reference classes built with torch 2.13 on this machine:

    G: mapping embed 10*512 + 512 = 5,632, fc0 1024*512 + 512 = 524,800, fc1 262,656. A
    synthesis layer 512->512: affine 512*512 + 512, kernel 512*512*9, noise strength 1, bias
    512: 2,622,465; a toRGB: affine 262,656, kernel 512*3, bias 3: 264,195. b4: const
    512*4*4 = 8,192, one layer and a toRGB: 2,894,852; b8, b16, b32: two layers and a toRGB:
    5,509,125 each. Total 20,215,315; unconditional: fc0 reads 512, no embed: 20,215,315 -
    5,632 - 262,144.
    D: b32 fromRGB 3*512 + 512 = 2,048 and two 3x3 convs 2,359,808 each; b16, b8 the two
    convs; the label map (8 layers, D's `--map` is the default 8): embed 5,632 + 8 * 262,656;
    epilogue conv 513*512*9 + 512 = 2,364,416, fc 8192*512 + 512 = 4,194,816, out 512*512 +
    512 = 262,656. Total 23,089,664; unconditional: out 513, no label map: 20,720,641.
    'resnet' adds three 1x1 skips without bias: 3 * 262,144.
    (w_avg and the noise images are buffers there, non-trainable here.)
    """
    cifar = {"latent_dim": 512, "mapping_layers": 2, "num_classes": 10}
    generator = StyleGAN2Generator(**cifar)
    discriminator = StyleGAN2Discriminator(num_classes=10, architecture="orig", mbstd_group_size=32)
    generator.build()
    discriminator.build()
    assert count(generator) == 20_215_315
    assert count(discriminator) == 23_089_664
    assert generator.num_ws == 8
    unconditional = StyleGAN2Generator(latent_dim=512, mapping_layers=2)
    unconditional.build()
    assert count(unconditional) == 20_215_315 - 5_632 - 262_144
    plain = StyleGAN2Discriminator(architecture="orig")
    plain.build()
    assert count(plain) == 20_720_641
    residual = StyleGAN2Discriminator(architecture="resnet")
    residual.build()
    assert count(residual) == 20_720_641 + 3 * 262_144


def _modulated(demodulate, filters=24):
    layer = ModulatedConv2D(filters, demodulate=demodulate, noise=False, activation="linear")
    layer.build([(None, 32, 32, 16), (None, 8)])
    rng = np.random.default_rng(0)
    layer.kernel.assign(rng.normal(size=layer.kernel.shape))
    layer.affine.kernel.assign(rng.normal(size=layer.affine.kernel.shape))
    layer.affine.bias.assign(np.full(layer.affine.bias.shape, 3.0))  # styles around 3
    return layer


def test_demodulation_gives_unit_output_variance_for_unit_input():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 32, 32, 16)).astype("float32")
    w = rng.normal(size=(4, 8)).astype("float32")
    for demodulate in (True, False):
        y = numpy(_modulated(demodulate)([x, w]))[:, 1:-1, 1:-1]  # away from the zero padding
        variance = y.var(axis=(1, 2))  # per sample and output channel
        if demodulate:
            np.testing.assert_allclose(variance, 1.0, atol=0.25)
            assert abs(variance.mean() - 1.0) < 0.03
        else:
            assert variance.mean() > 4.0  # the styles' scale passes through


def test_modulated_conv_equals_a_convolution_with_each_samples_own_kernel():
    """StyleGAN2's equations 1 and 3: w'_ijk = s_i w_ijk, then
    w''_ijk = w'_ijk / sqrt(sum_ik w'_ijk^2 + eps)."""
    layer = _modulated(True)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 32, 32, 16)).astype("float32")
    w = rng.normal(size=(3, 8)).astype("float32")
    styles = numpy(layer.affine(w))
    kernel = numpy(layer.kernel) / np.sqrt(16 * 9)
    expected = []
    for n in range(3):
        modulated = kernel * styles[n][None, None, :, None]
        modulated /= np.sqrt((modulated**2).sum(axis=(0, 1, 2), keepdims=True) + 1e-8)
        expected.append(tf.nn.conv2d(x[n : n + 1], modulated, 1, "SAME")[0])
    np.testing.assert_allclose(numpy(layer([x, w])), np.stack(expected), atol=2e-4)


def test_minibatch_std_appends_each_groups_standard_deviation():
    x = np.arange(4 * 2 * 2 * 2, dtype="float32").reshape(4, 2, 2, 2) ** 1.5
    out = numpy(MinibatchStandardDeviation(group_size=2)(x))
    assert out.shape == (4, 2, 2, 3)
    np.testing.assert_array_equal(out[..., :2], x)
    # Sample i is in group i mod 2 (the batch is cut into 2 groups of 2): {0, 2} and {1, 3}.
    for members in ([0, 2], [1, 3]):
        spread = np.sqrt(x[members].var(axis=0) + 1e-8).mean()
        for i in members:
            np.testing.assert_allclose(out[i, ..., 2], spread, rtol=1e-5)
    # A group larger than the batch is the batch; identical samples give ~0.
    same = np.repeat(x[:1], 3, axis=0)
    np.testing.assert_allclose(numpy(MinibatchStandardDeviation(32)(same))[..., 2], 1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="multiple of the group size. Received: batch of 6"):
        MinibatchStandardDeviation(4).build((6, 4, 4, 8))


def test_resampling_keeps_a_constant_image_and_halves_or_doubles_the_side():
    x = np.full((2, 8, 8, 3), 0.7, "float32")
    up = numpy(upsample_2d(x))
    down = numpy(downsample_2d(x))
    assert up.shape == (2, 16, 16, 3) and down.shape == (2, 4, 4, 3)
    np.testing.assert_allclose(up[:, 2:-2, 2:-2], 0.7, rtol=1e-6)
    np.testing.assert_allclose(down[:, 1:-1, 1:-1], 0.7, rtol=1e-6)


def test_equalized_dense_starts_at_unit_gain_and_stores_weights_over_the_multiplier():
    layer = EqualizedDense(256, lr_multiplier=0.01, bias_init=1.0)
    x = np.random.default_rng(3).normal(size=(512, 512)).astype("float32")
    y = numpy(layer(x))
    assert abs(y.std() - 1.0) < 0.05 and abs(y.mean() - 1.0) < 0.05
    # Stored 100 times larger: an optimizer's step moves the used weight 100 times less.
    assert 90 < numpy(layer.kernel).std() < 110


def small_generator(**kwargs):
    return StyleGAN2Generator(
        latent_dim=16, data_shape=(16, 16, 3), mapping_layers=2, seed=1, **SMALL, **kwargs
    )


def test_every_style_reaches_the_image_and_truncation_pulls_towards_the_mean_w():
    generator = small_generator(num_classes=3)
    z = np.random.default_rng(4).normal(size=(2, 16)).astype("float32")
    labels = np.array([0, 1])
    ws = generator.map([z, labels])
    assert tuple(ws.shape) == (2, generator.num_ws, 16) and generator.num_ws == 6
    base = numpy(generator.synthesize(ws))
    for k in range(generator.num_ws):
        changed = numpy(ws).copy()
        changed[:, k] += 1.0
        assert np.abs(numpy(generator.synthesize(changed)) - base).max() > 1e-4, k
    generator.mapping.w_avg.assign(np.linspace(-1, 1, 16))
    centre = numpy(generator([z, labels], truncation_psi=0.0))
    np.testing.assert_allclose(centre[0], centre[1], atol=1e-6)
    half = numpy(generator.map([z, labels], truncation_psi=0.5, truncation_cutoff=2))
    np.testing.assert_allclose(
        half[:, :2], 0.5 * (numpy(ws)[:, :2] + np.linspace(-1, 1, 16)), atol=1e-6
    )
    np.testing.assert_allclose(half[:, 2:], numpy(ws)[:, 2:])


def test_noise_is_drawn_in_training_and_fixed_otherwise_and_w_avg_moves_only_in_training():
    generator = small_generator()
    z = np.random.default_rng(5).normal(size=(2, 16)).astype("float32")
    generator(z)
    for layer in generator.convs:
        layer.noise_strength.assign(1.0)
    np.testing.assert_array_equal(numpy(generator(z)), numpy(generator(z)))
    assert (
        np.abs(numpy(generator(z, training=True)) - numpy(generator(z, training=True))).max() > 1e-3
    )
    before = numpy(generator.mapping.w_avg).copy()
    generator(z)
    np.testing.assert_array_equal(numpy(generator.mapping.w_avg), before)
    generator(z, training=True)
    w = numpy(generator.mapping(z))
    np.testing.assert_allclose(
        numpy(generator.mapping.w_avg), w.mean(0) + 0.995 * (before - w.mean(0)), atol=1e-6
    )


def test_style_mixing_takes_the_later_layers_from_a_second_z():
    generator = small_generator(style_mixing=1.0)
    z = np.random.default_rng(6).normal(size=(4, 16)).astype("float32")
    w = numpy(generator.mapping(z))
    for _ in range(3):
        ws = numpy(generator.map(z, training=True))
        first = np.all(np.isclose(ws, w[:, None]), axis=(0, 2))
        # A cut-off in [1, num_ws): the first layer keeps z's w, the last never does.
        assert first[0] and not first[-1]
        cut = int(np.argmin(first))
        assert first[:cut].all() and not first[cut:].any()
    np.testing.assert_allclose(numpy(generator.map(z)), np.repeat(w[:, None], 6, axis=1))


def test_conditional_networks_read_the_label():
    generator = small_generator(num_classes=3)
    discriminator = StyleGAN2Discriminator((16, 16, 3), num_classes=3, **SMALL)
    z = np.repeat(np.random.default_rng(7).normal(size=(1, 16)).astype("float32"), 3, axis=0)
    labels = np.array([0, 1, 2])
    images = numpy(generator([z, labels]))
    assert np.abs(images[0] - images[1]).max() > 1e-4 and np.abs(images[1] - images[2]).max() > 1e-4
    same = np.repeat(images[:1], 3, axis=0)
    logits = numpy(discriminator([same, labels]))[:, 0]
    assert len(set(np.round(logits, 6))) == 3
    with pytest.raises(ValueError, match=r"called on \[inputs, labels\]"):
        discriminator(same)


def test_bad_shapes_and_settings_fail_with_what_was_received():
    with pytest.raises(
        ValueError, match=r"power of 2, at least 8. Received: data_shape=\(28, 28, 1\)"
    ):
        StyleGAN2Generator(data_shape=(28, 28, 1))
    with pytest.raises(ValueError, match="Received: architecture='skip'"):
        StyleGAN2Discriminator(architecture="skip")
    with pytest.raises(ValueError, match="Received: style_mixing=1.5"):
        StyleGAN2Generator(style_mixing=1.5)


def test_a_small_conditional_stylegan2_trains_with_lazy_r1_saves_and_loads(tmp_path):
    gan = GAN(
        small_generator(num_classes=3),
        StyleGAN2Discriminator((16, 16, 3), num_classes=3, architecture="resnet", **SMALL),
        latent_distribution="normal",
        num_classes=3,
        seed=0,
    )
    gan.compile(loss="non_saturating", penalties=[R1(gamma=0.01, every=2)])
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(32, 16, 16, 3)).astype("float32")
    labels = rng.integers(0, 3, size=32)
    start = numpy(gan.generator.mapping.w_avg).copy()
    history = gan.fit(images, labels, batch_size=8, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1]) and np.isfinite(history["g_loss"][-1])
    assert np.abs(numpy(gan.generator.mapping.w_avg) - start).max() > 0  # tracked in training
    gan.save(tmp_path / "stylegan2.keras")
    loaded = keras.saving.load_model(tmp_path / "stylegan2.keras")
    labels = np.array([0, 1, 2])
    np.testing.assert_allclose(
        loaded.generate(3, seed=1, labels=labels), gan.generate(3, seed=1, labels=labels), atol=1e-6
    )
    np.testing.assert_array_equal(
        numpy(loaded.generator.mapping.w_avg), numpy(gan.generator.mapping.w_avg)
    )


class LinearStyles:
    """A G whose image is a fixed linear map A of its styles: J_w^T y = A^T y exactly."""

    def __init__(self, layers=3, w_dim=4, shape=(4, 4, 2), seed=0):
        rng = np.random.default_rng(seed)
        self.shape, self.layers, self.w_dim = shape, layers, w_dim
        self.matrix = rng.normal(size=(layers * w_dim, int(np.prod(shape)))).astype("float32")
        self.path_length_mean = keras.Variable(0.5, trainable=False)

    def map(self, z, training=None):
        return keras.ops.repeat(z[:, None, :], self.layers, axis=1)

    def synthesize(self, ws, training=None):
        flat = keras.ops.reshape(ws, (-1, self.layers * self.w_dim))
        return keras.ops.reshape(keras.ops.matmul(flat, self.matrix), (-1, *self.shape))


def test_path_length_penalty_on_a_linear_generator_is_the_length_of_a_transposed_step():
    generator = LinearStyles()
    z = np.random.default_rng(1).normal(size=(6, 4)).astype("float32")
    seed = tf.constant([3, 4], tf.int64)
    penalty = PathLength(weight=2.0, decay=0.01, batch_shrink=2)
    value = float(penalty(generator, tf.constant(z), None, seed))
    # Every second sample of the batch; y ~ N(0, I) / sqrt(H W) from the same stateless seed.
    y = numpy(tf.random.stateless_normal((3, 4, 4, 2), seed)).reshape(3, -1) / np.sqrt(16)
    pulled = (y @ generator.matrix.T).reshape(3, 3, 4)  # (sample, layer, w)
    lengths = np.sqrt((pulled**2).sum(axis=2).mean(axis=1))
    np.testing.assert_allclose(
        numpy(path_lengths(generator, generator.map(z[::2]), seed)), lengths, rtol=1e-5
    )
    mean = 0.5 + 0.01 * (lengths.mean() - 0.5)
    np.testing.assert_allclose(float(generator.path_length_mean.numpy()), mean, rtol=1e-6)
    np.testing.assert_allclose(value, 2.0 * ((lengths - mean) ** 2).mean(), rtol=1e-5)


class CountingPenalty(GeneratorPenalty):
    """Counts the G updates it is applied in (tf.cond runs only the due branch)."""

    def __init__(self, every):
        super().__init__(every=every)
        self.calls = keras.Variable(0, dtype="int32", trainable=False)

    def __call__(self, generator, z, labels, seed):
        self.calls.assign_add(1)
        return 0.0


def test_path_length_trains_a_stylegan2_lazily_and_refuses_a_generator_without_styles(tmp_path):
    from keras_gan.models import DCGANDiscriminator
    from keras_gan.models import DCGANGenerator

    gan = GAN(
        small_generator(),
        StyleGAN2Discriminator((16, 16, 3), **SMALL),
        latent_distribution="normal",
        seed=0,
    )
    every_2nd, every = CountingPenalty(2), CountingPenalty(1)
    gan.compile(loss="non_saturating", generator_penalties=[PathLength(every=2), every_2nd, every])
    images = np.random.default_rng(0).uniform(size=(16, 16, 16, 3)).astype("float32")
    gan.fit(images, batch_size=8, epochs=3, verbose=0)  # 6 G updates
    assert (int(every_2nd.calls.numpy()), int(every.calls.numpy())) == (3, 6)
    assert float(numpy(gan.generator.path_length_mean)) > 0
    gan.compile(loss="non_saturating", generator_penalties=[PathLength(every=2)])
    gan.save(tmp_path / "pl.keras")
    loaded = keras.saving.load_model(tmp_path / "pl.keras")
    assert [p.get_config() for p in loaded.generator_penalties] == [
        {"weight": 2.0, "decay": 0.01, "batch_shrink": 2, "every": 2}
    ]
    assert float(numpy(loaded.generator.path_length_mean)) == float(
        numpy(gan.generator.path_length_mean)
    )
    dcgan = GAN(
        DCGANGenerator(latent_dim=8, data_shape=(8, 8, 1), base_filters=8),
        DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=8),
    )
    with pytest.raises(ValueError, match="Received: DCGANGenerator, which lacks map, synthesize"):
        dcgan.compile(generator_penalties=[PathLength()])


def test_the_w_truncation_sampler_is_the_generators_truncation_and_refuses_other_generators():
    from keras_gan import sampling
    from keras_gan.models import DCGANDiscriminator
    from keras_gan.models import DCGANGenerator

    gan = GAN(
        small_generator(num_classes=3),
        StyleGAN2Discriminator((16, 16, 3), num_classes=3, **SMALL),
        latent_distribution="normal",
        num_classes=3,
    )
    gan.generator.build()
    gan.generator.mapping.w_avg.assign(np.full(16, 0.3))
    labels = np.array([0, 1, 2, 0])
    z = gan.sample_latent(4, seed=9)
    samples = gan.generate(4, seed=9, labels=labels, sampler=sampling.WTruncation(psi=0.5))
    expected = gan.generator([z, labels], truncation_psi=0.5)
    np.testing.assert_allclose(samples, numpy(expected), atol=1e-6)
    plain = gan.generate(4, seed=9, labels=labels, sampler=sampling.get("w_truncation", psi=1.0))
    np.testing.assert_allclose(plain, gan.generate(4, seed=9, labels=labels), atol=1e-6)
    centre = gan.generate(4, seed=9, labels=labels, sampler=sampling.WTruncation(psi=0.0))
    np.testing.assert_allclose(centre[0], centre[3], atol=1e-6)  # one image per class
    dcgan = GAN(
        DCGANGenerator(latent_dim=8, data_shape=(8, 8, 1), base_filters=8),
        DCGANDiscriminator(data_shape=(8, 8, 1), base_filters=8),
    )
    with pytest.raises(ValueError, match="Received: a DCGANGenerator"):
        dcgan.generate(2, seed=0, sampler="w_truncation")
    with pytest.raises(ValueError, match="Received: psi=nan"):
        sampling.WTruncation(psi=float("nan"))


def _fit_small_stylegan2(strategy, steps, generator_penalties=(), ada=False):
    images = np.random.default_rng(0).uniform(size=(16 * steps, 8, 8, 3)).astype("float32")
    with strategy.scope():
        keras.utils.set_random_seed(0)
        generator = StyleGAN2Generator(
            latent_dim=8, data_shape=(8, 8, 3), mapping_layers=2, style_mixing=0.9, seed=1, **SMALL
        )
        # Minibatch std groups stay within a replica, as within a GPU in the
        # reference; groups of 1 take them out of this comparison.
        discriminator = StyleGAN2Discriminator((8, 8, 3), mbstd_group_size=1, **SMALL)
        # ADA's p from the replicas' signs; R1 on augmented reals, as the reference.
        augmentation = (
            AdaAugment("bgc", probability=0.5, adaptive_target=0.6, seed=2) if ada else None
        )
        gan = GAN(
            generator,
            discriminator,
            latent_distribution="normal",
            seed=0,
            generator_ema=RampedAverage(0.9),
            augmentation=augmentation,
        )
        gan.compile(
            loss="non_saturating",
            d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.0),
            g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.0),
            penalties=[R1(gamma=1.0, every=2)],
            generator_penalties=list(generator_penalties),
        )
        for layer in gan.generator.convs:  # the per-pixel noise reaches the images from step 1
            layer.noise_strength.assign(0.5)
    history = gan.fit(images, batch_size=16, epochs=1, shuffle=False, verbose=0).history
    return gan, history


def test_two_replicas_train_a_stylegan2_exactly_like_one_device():
    """The per-pixel noise and style mixing's second z are each replica's share of
    one global draw: 2 replicas of 8 update G, D, w_avg (a per-replica running
    mean, read as the replicas' mean) and the ramped average as one device with 16
    does, with lazy R1, and with ADA's own pipeline (p from both replicas' signs; R1
    on augmented reals inside the lazy branch). Drawn per replica, the noise would
    repeat across replicas. Without augmentation is a subset of this case; adaptive
    DiffAugment on replicas is tests/layers/test_diff_augment.py's (this test ran it
    too until 0.22.0, for 45 s of CI)."""
    from keras_gan import distribute

    mirrored = distribute.get_strategy("mirrored", num_cpu_devices=2)
    one, one_history = _fit_small_stylegan2(tf.distribute.OneDeviceStrategy("/cpu:0"), 3, ada=True)
    two, two_history = _fit_small_stylegan2(mirrored, 3, ada=True)
    assert np.abs(numpy(one.generator.mapping.w_avg)).max() > 0
    for a, b in zip(one.get_weights(), two.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    for key in ("d_loss", "g_loss"):
        np.testing.assert_allclose(one_history[key], two_history[key], rtol=1e-4)


def test_path_length_runs_lazily_on_two_replicas_with_a_running_mean_per_replica():
    """Inside the lazy penalty's tf.cond MirroredStrategy cannot synchronise, so the
    path length mean is kept per replica (as per GPU in the reference). Each
    replica probes every 2nd sample of its batch with its share of one draw, so
    after the first step the mean over replicas is one device's."""
    from keras_gan import distribute

    mirrored = distribute.get_strategy("mirrored", num_cpu_devices=2)
    penalty = [PathLength(every=2)]
    one, _ = _fit_small_stylegan2(tf.distribute.OneDeviceStrategy("/cpu:0"), 1, penalty)
    two, history = _fit_small_stylegan2(mirrored, 1, penalty)
    first = float(numpy(one.generator.path_length_mean))
    assert first > 0 and np.isfinite(history["g_loss"]).all()
    np.testing.assert_allclose(float(numpy(two.generator.path_length_mean)), first, rtol=1e-4)
