"""SNGAN's ResNet pair: parameter counts of the reference code, blocks, conditioning."""

import keras
import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.layers import SpectralNormalization
from keras_gan.models import ResNetDiscriminator
from keras_gan.models import ResNetGenerator


def count(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_parameter_counts_at_cifar10s_setting_equal_the_reference_code():
    """StudioGAN's src/models/resnet.py (POSTECH-CVLab/PyTorch-StudioGAN, commit
    0728f0322a53b17e7be388e87c97588fb4ecaa51) at its CIFAR-10 defaults (z_dim 128,
    g_conv_dim 64 -> 256 channels, d_conv_dim 64 -> 128), unconditional, counted by hand:

    G: linear0 128*4096 + 4096 = 528,384; three GenBlocks of 256 channels, each two BN
    (2 * 512), conv1x1 65,792, two conv3x3 590,080: 1,246,976 each; bn4 512; conv2d5
    256*3*9 + 3 = 6,915. Total 4,276,739.
    D: DiscOptBlock 3->128: 512 + 3,584 + 147,584 = 151,680; DiscBlock down 128: 16,512 +
    2 * 147,584 = 311,680; two DiscBlocks without a shortcut conv: 2 * 295,168; linear1 129.
    Total 1,053,825. (Spectral norm's u vectors are buffers there, non-trainable here.)
    """
    generator, discriminator = ResNetGenerator(), ResNetDiscriminator()
    generator.build()
    discriminator.build()
    assert count(generator) == 4_276_739
    assert count(discriminator) == 1_053_825
    # Conditional: per-class scale and shift in the six block norms (2 * K * C each
    # instead of 2 * C), and the projection's K * C class embedding.
    generator, discriminator = ResNetGenerator(num_classes=10), ResNetDiscriminator(num_classes=10)
    generator.build()
    discriminator.build()
    assert count(generator) == 4_276_739 + 6 * (2 * 10 * 256 - 2 * 256)
    assert count(discriminator) == 1_053_825 + 10 * 128


def test_every_discriminator_layer_is_spectrally_normalised_and_shapes_follow_the_paper():
    discriminator = ResNetDiscriminator(channels=16)
    discriminator.build()
    wrapped = [
        layer
        for layer in discriminator._flatten_layers(include_self=False)
        if isinstance(layer, SpectralNormalization)
    ]
    # Blocks 0 and 1: two 3x3 and a 1x1 shortcut each; blocks 2 and 3: two 3x3; the logit.
    assert len(wrapped) == 3 + 3 + 2 + 2 + 1
    assert [(b.downsample, b.shortcut is not None) for b in discriminator.blocks] == [
        (True, True),
        (True, True),
        (False, False),
        (False, False),
    ]
    x = np.random.default_rng(0).uniform(size=(3, 32, 32, 3)).astype("float32")
    assert tuple(discriminator(x).shape) == (3, 1)
    generator = ResNetGenerator(latent_dim=8, channels=16)
    assert tuple(generator(np.zeros((3, 8), "float32")).shape) == (3, 32, 32, 3)
    with pytest.raises(ValueError, match=r"side 4 \* 2\^n .* Received: data_shape=\(28, 28, 1\)"):
        ResNetGenerator(data_shape=(28, 28, 1))


def test_conditional_pair_reads_the_labels():
    generator = ResNetGenerator(latent_dim=8, channels=16, num_classes=3)
    discriminator = ResNetDiscriminator(channels=16, num_classes=3)
    z = np.random.default_rng(0).normal(size=(2, 8)).astype("float32")
    gan = GAN(generator, discriminator, num_classes=3, seed=0)
    gan.compile()
    # Give the per-class norms and the projection different rows, as training would.
    rng = np.random.default_rng(1)
    for weight in generator.weights + discriminator.weights:
        if weight.trainable and ("gamma" in weight.path or "projection" in weight.path):
            weight.assign(rng.normal(size=weight.shape).astype("float32"))
    a = keras.ops.convert_to_numpy(generator([z, np.array([0, 0])], training=False))
    b = keras.ops.convert_to_numpy(generator([z, np.array([2, 2])], training=False))
    assert not np.allclose(a, b)
    logits_0 = keras.ops.convert_to_numpy(discriminator([a, np.array([0, 0])]))
    logits_2 = keras.ops.convert_to_numpy(discriminator([a, np.array([2, 2])]))
    assert not np.allclose(logits_0, logits_2)


def test_a_small_resnet_gan_trains_saves_and_loads(tmp_path):
    gan = GAN(
        ResNetGenerator(latent_dim=8, channels=16),
        ResNetDiscriminator(channels=8),
        latent_distribution="normal",
        d_steps=2,
        seed=0,
    )
    gan.compile(loss="hinge")
    images = np.random.default_rng(0).uniform(size=(32, 32, 32, 3)).astype("float32")
    history = gan.fit(images, batch_size=16, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1])
    gan.save(tmp_path / "resnet.keras")
    loaded = keras.saving.load_model(tmp_path / "resnet.keras")
    np.testing.assert_allclose(loaded.generate(3, seed=1), gan.generate(3, seed=1), atol=1e-6)
