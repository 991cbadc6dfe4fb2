"""BigGAN: parameter counts of the reference code, what its pieces compute, the GAN it trains."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import GAN
from keras_gan.layers import SelfAttention
from keras_gan.layers import VectorConditionalBatchNormalization
from keras_gan.models import BigGANGenerator
from keras_gan.models import ResNetDiscriminator
from keras_gan.regularizers import BigGANOrthogonalRegularizer


def count(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def numpy(x):
    return keras.ops.convert_to_numpy(x)


def test_parameter_counts_at_cifar10s_setting_equal_the_reference_code():
    """StudioGAN's src/models/big_resnet.py and src/utils/ops.py (POSTECH-CVLab/PyTorch-StudioGAN,
    commit 947b35e9835b67860fdce44d337f6d7fee7c8db3) at configs/CIFAR10/BigGAN.yaml (z_dim 80,
    g_shared_dim 128, g_conv_dim = d_conv_dim = 96, attention after G's block 2 and D's
    block 1, cBN, PD), counted by hand:

    G: z in 4 chunks of 20, so each cBN reads 128 + 20 = 148 values. linear0 20*6144 + 6144 =
    129,024; shared embedding 10*128 = 1,280; three GenBlocks of 384 channels, each two cBN
    (gain and bias linears without bias: 2 * 148*384 = 113,664 each), conv1x1 384*384 + 384 =
    147,840 and two conv3x3 384*384*9 + 384 = 1,327,488: 3,030,144 each; SelfAttention(384):
    2 * 384*48 + 2 * 384*192 + 1 = 184,321; bn4 768; conv2d5 384*3*9 + 3 = 10,371. Total
    9,416,196. Unconditional (W/O): the cBN read 20 values and there is no embedding: 589,824
    + 1,280 fewer.
    D: DiscOptBlock 3->192: 768 + 5,376 + 331,968 = 338,112; DiscBlock down: 37,056 +
    2 * 331,968 = 700,992; SelfAttention(192): 2 * 192*24 + 2 * 192*96 + 1 = 46,081; two
    DiscBlocks without a shortcut conv: 2 * 663,936; linear1 193; the projection embedding
    10*192 = 1,920. Total 2,415,170. (Spectral norm's u vectors are buffers there,
    non-trainable here.)
    """
    generator = BigGANGenerator(num_classes=10)
    discriminator = ResNetDiscriminator(channels=192, num_classes=10, attention=16)
    generator.build()
    discriminator.build()
    assert count(generator) == 9_416_196
    assert count(discriminator) == 2_415_170
    unconditional = BigGANGenerator()
    unconditional.build()
    assert count(unconditional) == 9_416_196 - 589_824 - 1_280
    # Attention follows the blocks that make 16x16 maps: G's second, D's first.
    assert generator._attention_after is generator.blocks[1]
    assert discriminator._attention_after is discriminator.blocks[0]


def test_each_chunk_of_z_and_the_label_reach_the_image():
    generator = BigGANGenerator(latent_dim=8, channels=16, num_classes=3, shared_dim=4)
    z = tf.constant(np.random.default_rng(0).normal(size=(2, 8)).astype("float32"))
    labels = np.array([0, 1])
    with tf.GradientTape() as tape:
        tape.watch(z)
        images = generator([z, labels], training=False)
    gradient = numpy(tape.gradient(images, z))
    # Four chunks of 2: the dense input's and one per block's batch norms.
    for chunk in range(4):
        assert np.abs(gradient[:, 2 * chunk : 2 * chunk + 2]).max() > 0, chunk
    other = numpy(generator([z, np.array([2, 2])], training=False))
    assert not np.allclose(numpy(images), other)
    with pytest.raises(ValueError, match=r"multiple of 4. Received: latent_dim=10"):
        BigGANGenerator(latent_dim=10)
    with pytest.raises(ValueError, match=r"\[8, 16, 32\]. Received: attention=12"):
        BigGANGenerator(attention=12)


def test_self_attention_starts_as_the_identity_and_computes_sagans_attention():
    layer = SelfAttention(spectral_norm=False)
    x = np.random.default_rng(0).normal(size=(2, 4, 4, 16)).astype("float32")
    np.testing.assert_array_equal(numpy(layer(x)), x)  # sigma = 0
    layer.sigma.assign(0.7)
    theta, phi, g, out = (
        numpy(c.kernel)[0, 0] for c in (layer.theta, layer.phi, layer.g, layer.output_conv)
    )

    def pool(maps):  # 2x2 max pooling of (4, 4, C) maps, flattened to positions
        return maps.reshape(2, 2, 2, 2, -1).max(axis=(1, 3)).reshape(4, -1)

    expected = []
    for image in x:
        queries = (image @ theta).reshape(16, -1)
        keys, values = pool(image @ phi), pool(image @ g)
        scores = queries @ keys.T
        weights = np.exp(scores - scores.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        expected.append(image + 0.7 * ((weights @ values) @ out).reshape(4, 4, 16))
    np.testing.assert_allclose(numpy(layer(x)), np.stack(expected), rtol=1e-4, atol=1e-5)
    assert count(layer) == 2 * 16 * 2 + 2 * 16 * 8 + 1
    with pytest.raises(ValueError, match=r"multiple of 8. Received: inputs of shape"):
        SelfAttention()(np.zeros((1, 4, 4, 12), "float32"))


def test_vector_conditional_batch_norm_scales_and_shifts_by_a_linear_map_of_y():
    layer = VectorConditionalBatchNormalization(spectral_norm=False, epsilon=1e-4)
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(8, 3, 3, 4)).astype("float32")
    y = rng.normal(size=(8, 5)).astype("float32")
    result = numpy(layer([x, y], training=True))
    gain, bias = numpy(layer.gain.kernel), numpy(layer.bias.kernel)
    normalized = (x - x.mean(axis=(0, 1, 2))) / np.sqrt(x.var(axis=(0, 1, 2)) + 1e-4)
    expected = (1 + y @ gain)[:, None, None, :] * normalized + (y @ bias)[:, None, None, :]
    np.testing.assert_allclose(result, expected, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match=r"y of shape \(batch, features\). Received"):
        VectorConditionalBatchNormalization()([x, y[:, :, None]])


def test_orthogonal_regularization_is_bigg_ans_penalty_with_its_reference_update():
    rng = np.random.default_rng(0)
    kernel = tf.Variable(rng.normal(size=(3, 3, 4, 6)).astype("float32"))
    regularizer = BigGANOrthogonalRegularizer(1e-2)
    with tf.GradientTape() as tape:
        value = regularizer(kernel)
    rows = numpy(kernel).reshape(-1, 6).T  # one row per output filter, as PyTorch's view
    off_diagonal = (rows @ rows.T) * (1 - np.eye(6))
    assert float(value) == pytest.approx(0.5 * 1e-2 * np.sum(off_diagonal**2), rel=1e-5)
    # BigGAN-PyTorch's utils.ortho adds 2 * strength * ((W W^T) * (1 - I)) W to the gradient.
    update = 2 * 1e-2 * off_diagonal @ rows
    np.testing.assert_allclose(
        numpy(tape.gradient(value, kernel)).reshape(-1, 6).T, update, rtol=1e-4, atol=1e-7
    )
    orthogonal = np.linalg.qr(rng.normal(size=(6, 6)))[0].astype("float32") * 3.0
    assert float(regularizer(orthogonal)) == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match=r"> 0. Received: strength=0.0"):
        BigGANOrthogonalRegularizer(0)


def test_orthogonal_regularization_reaches_every_kernel_of_g_but_the_embedding():
    generator = BigGANGenerator(
        latent_dim=8, channels=16, num_classes=3, shared_dim=4, orthogonal_regularization=1e-4
    )
    generator.build()
    kernels = [w for w in generator.trainable_weights if w.path.endswith("kernel")]
    # Dense input; per block 2 x (gain, bias) and three convs; attention's four; the output.
    assert len(kernels) == 1 + 3 * (4 + 3) + 4 + 1
    assert all(isinstance(w.regularizer, BigGANOrthogonalRegularizer) for w in kernels)
    assert generator.shared.embeddings.regularizer is None
    assert len(generator.losses) == len(kernels)
    plain = BigGANGenerator(latent_dim=8, channels=16, num_classes=3, shared_dim=4)
    plain.build()
    assert plain.losses == []


def conditional_gan(side=32, **generator_options):
    latent_dim = 8 if side == 32 else 9  # chunks: one per block and the input's
    return GAN(
        BigGANGenerator(
            latent_dim=latent_dim,
            channels=16,
            data_shape=(side, side, 3),
            num_classes=3,
            shared_dim=4,
            attention=side // 2,
            **generator_options,
        ),
        ResNetDiscriminator(
            channels=8, data_shape=(side, side, 3), num_classes=3, attention=side // 2
        ),
        num_classes=3,
        latent_distribution="normal",
        d_steps=2,
        generator_ema=0.9,
        seed=0,
    )


def test_a_small_conditional_biggan_trains_saves_and_loads(tmp_path):
    gan = conditional_gan(orthogonal_regularization=1e-4)
    gan.compile(loss="hinge")
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(32, 32, 32, 3)).astype("float32")
    labels = rng.integers(0, 3, size=32)
    history = gan.fit(images, labels, batch_size=16, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1]) and np.isfinite(history["g_loss"][-1])
    gan.save(tmp_path / "biggan.keras")
    loaded = keras.saving.load_model(tmp_path / "biggan.keras")
    labels = np.array([0, 1, 2])
    np.testing.assert_allclose(
        loaded.generate(3, seed=1, labels=labels),
        gan.generate(3, seed=1, labels=labels),
        atol=1e-6,
    )
    assert loaded.generator.orthogonal_regularization == 1e-4


def _train_on(strategy, synchronized=True):
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(32, 16, 16, 3)).astype("float32")
    labels = rng.integers(0, 3, size=32)
    with strategy.scope():
        keras.utils.set_random_seed(0)
        gan = conditional_gan(16, synchronized_batch_norm=synchronized)
        gan.compile(
            loss="hinge",
            d_optimizer=keras.optimizers.SGD(0.01),
            g_optimizer=keras.optimizers.SGD(0.01),
        )
    gan.fit(images, labels, batch_size=16, epochs=1, shuffle=False, verbose=0)
    return gan.get_weights()


def test_two_replicas_match_one_device_with_cross_replica_batch_norm():
    from keras_gan import distribute

    one = _train_on(tf.distribute.OneDeviceStrategy("/cpu:0"))
    two = _train_on(distribute.get_strategy("mirrored", num_cpu_devices=2))
    for a, b in zip(one, two, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
