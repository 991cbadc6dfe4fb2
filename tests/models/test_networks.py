"""The four network classes: shapes, the paper's settings, config and .keras round trips."""

import keras
import numpy as np
import pytest

from keras_gan.models import DCGANDiscriminator
from keras_gan.models import DCGANGenerator
from keras_gan.models import MaxoutDiscriminator
from keras_gan.models import MLPGenerator
from tests import test_case


def test_mlp_generator_defaults_are_the_paper_generator():
    generator = MLPGenerator()
    z = keras.random.uniform((3, 100), seed=0)
    samples = keras.ops.convert_to_numpy(generator(z))
    assert samples.shape == (3, 28, 28, 1)
    assert samples.min() >= 0.0 and samples.max() <= 1.0
    units = [layer.units for layer in generator.hidden_layers] + [generator.output_layer.units]
    assert units == [1200, 1200, 784]
    kernel = generator.hidden_layers[0].get_weights()[0]
    assert np.abs(kernel).max() <= 0.05


def test_mlp_generator_output_bias_from_marginals():
    marginals = np.linspace(0.0, 1.0, 16)
    generator = MLPGenerator(latent_dim=4, data_shape=(4, 4, 1), output_bias_marginals=marginals)
    generator.build()
    bias = generator.output_layer.get_weights()[1]
    p = np.clip(marginals, 1e-7, 1 - 1e-7)
    np.testing.assert_allclose(bias, np.log(p / (1 - p)), rtol=1e-5)
    # With zero weights the generator outputs exactly the data marginals.
    generator.output_layer.set_weights(
        [np.zeros_like(generator.output_layer.get_weights()[0]), bias]
    )
    samples = keras.ops.convert_to_numpy(generator(np.ones((1, 4), "float32")))
    np.testing.assert_allclose(samples.reshape(-1), p, atol=1e-6)
    with pytest.raises(ValueError, match="prod\\(data_shape\\) = 16 values. Received: 3 values"):
        MLPGenerator(latent_dim=4, data_shape=(4, 4, 1), output_bias_marginals=[0.1, 0.2, 0.3])


def test_maxout_discriminator_defaults_are_the_paper_discriminator():
    discriminator = MaxoutDiscriminator()
    logits = discriminator(np.zeros((3, 28, 28, 1), "float32"))
    assert tuple(logits.shape) == (3, 1)
    assert [(m.units, m.num_pieces) for m in discriminator.hidden_layers] == [
        (240, 5),
        (240, 5),
    ]
    assert [d.rate for d in discriminator.dropouts] == [0.2, 0.5, 0.5]


def test_maxout_discriminator_dropout_only_in_training():
    discriminator = MaxoutDiscriminator(hidden_units=(8,), num_pieces=2)
    x = np.random.default_rng(0).uniform(size=(4, 10)).astype("float32")
    inference = [keras.ops.convert_to_numpy(discriminator(x, training=False)) for _ in range(2)]
    np.testing.assert_array_equal(inference[0], inference[1])
    training = keras.ops.convert_to_numpy(discriminator(x, training=True))
    assert not np.allclose(training, inference[0])


@pytest.mark.parametrize("data_shape, num_upsamples", [((28, 28, 1), 2), ((32, 32, 3), 3)])
def test_dcgan_pair_shapes(data_shape, num_upsamples):
    generator = DCGANGenerator(latent_dim=16, data_shape=data_shape, base_filters=8)
    discriminator = DCGANDiscriminator(data_shape=data_shape, base_filters=8)
    images = generator(keras.random.normal((2, 16), seed=0))
    assert tuple(images.shape) == (2, *data_shape)
    assert len(generator.upsamples) + 1 == num_upsamples
    assert len(discriminator.convs) == num_upsamples
    assert tuple(discriminator(images).shape) == (2, 1)


@pytest.mark.parametrize("cls", [DCGANGenerator, DCGANDiscriminator])
@pytest.mark.parametrize("shape", [(28, 32, 1), (6, 6, 1), (28, 28)])
def test_dcgan_rejects_shapes_it_cannot_build(cls, shape):
    with pytest.raises(ValueError, match=r"`data_shape` must .*Received: data_shape="):
        cls(data_shape=shape)


NETWORKS = [
    (
        lambda: MLPGenerator(
            latent_dim=4, data_shape=(2,), hidden_units=(8,), output_activation=None
        ),
        (3, 4),
    ),
    (lambda: MaxoutDiscriminator(hidden_units=(6, 6), num_pieces=3), (3, 4, 4, 1)),
    (lambda: DCGANGenerator(latent_dim=4, base_filters=4), (3, 4)),
    (lambda: DCGANDiscriminator(base_filters=4), (3, 28, 28, 1)),
]


@pytest.mark.parametrize("make, input_shape", NETWORKS)
def test_config_and_saving_round_trip(make, input_shape, tmp_path):
    model = make()
    inputs = np.random.default_rng(0).uniform(size=input_shape).astype("float32")
    model(inputs)
    test_case.assert_config_round_trip(model)
    test_case.assert_saving_round_trip(model, inputs, tmp_path)


def _kernels(model):
    return {v.path: np.asarray(v).reshape(-1) for v in model.weights if v.name == "kernel"}


@pytest.mark.parametrize(
    "make_pair",
    [
        lambda: (MLPGenerator(), MaxoutDiscriminator()),
        lambda: (DCGANGenerator(latent_dim=16, base_filters=8), DCGANDiscriminator(base_filters=8)),
    ],
)
def test_no_two_layers_start_from_the_same_random_numbers(make_pair):
    # A Keras 3 initializer instance shared by layers repeats its numbers in
    # each: one kernel would begin as a (scaled) copy of another.
    from keras_gan import GAN

    keras.utils.set_random_seed(0)
    generator, discriminator = make_pair()
    kernels = _kernels(GAN(generator, discriminator, seed=0))
    assert len(kernels) >= 5
    names = sorted(kernels)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            n = min(kernels[a].size, kernels[b].size, 5000)
            correlation = np.corrcoef(kernels[a][:n], kernels[b][:n])[0, 1]
            assert abs(correlation) < 0.2, f"{a} and {b} start correlated ({correlation:.3f})"


CONDITIONAL_NETWORKS = {
    "mlp_generator": lambda: MLPGenerator(
        latent_dim=4, data_shape=(8, 8, 1), hidden_units=(8,), num_classes=3
    ),
    "maxout_discriminator": lambda: MaxoutDiscriminator(
        hidden_units=(8,), num_pieces=2, num_classes=3, spectral_norm=True
    ),
    "dcgan_generator": lambda: DCGANGenerator(
        latent_dim=4, data_shape=(8, 8, 1), base_filters=4, num_classes=3
    ),
    "dcgan_discriminator": lambda: DCGANDiscriminator(
        data_shape=(8, 8, 1), base_filters=4, num_classes=3, spectral_norm=True
    ),
}


def conditional_inputs(name, labels):
    first = (len(labels), 4) if "generator" in name else (len(labels), 8, 8, 1)
    x = np.random.default_rng(0).uniform(size=first).astype("float32")
    return [x, np.asarray(labels, "int32")]


@pytest.mark.parametrize("name", sorted(CONDITIONAL_NETWORKS))
def test_conditional_networks_depend_on_the_label_and_round_trip(name, tmp_path):
    network = CONDITIONAL_NETWORKS[name]()
    inputs = conditional_inputs(name, [0, 1, 2])
    # The same x (or z) in every row, so rows differ only by their label.
    inputs[0] = np.repeat(inputs[0][:1], 3, axis=0)
    network(inputs)
    # Some label weights start equal for every class (conditional batch norm's
    # gamma = 1, beta = 0): move every weight as training would.
    rng = np.random.default_rng(1)
    for variable in network.trainable_variables:
        variable.assign(variable + 0.1 * rng.normal(size=variable.shape))
    outputs = keras.ops.convert_to_numpy(network(inputs, training=False))
    assert outputs.shape[0] == 3
    assert not np.allclose(outputs[0], outputs[1]) and not np.allclose(outputs[1], outputs[2])
    test_case.assert_config_round_trip(network)
    test_case.assert_saving_round_trip(network, conditional_inputs(name, [2, 0, 1]), tmp_path)


@pytest.mark.parametrize("name", sorted(CONDITIONAL_NETWORKS))
def test_conditional_networks_refuse_a_call_without_labels(name):
    network = CONDITIONAL_NETWORKS[name]()
    with pytest.raises(ValueError, match=r"num_classes=3\) is called on \[inputs, labels\]"):
        network(conditional_inputs(name, [0, 1])[0])


def test_conditional_batch_norm_scales_and_shifts_each_class_by_its_own_row():
    from keras_gan.layers import ConditionalBatchNormalization

    layer = ConditionalBatchNormalization(2, epsilon=0.0)
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(6, 2, 2, 5)).astype("float32")
    labels = np.array([0, 1, 0, 1, 1, 0], "int32")
    layer([x, labels])
    gamma = np.arange(10, dtype="float32").reshape(2, 5)
    beta = -np.arange(10, dtype="float32").reshape(2, 5)
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    out = keras.ops.convert_to_numpy(layer([x, labels], training=True))
    normalized = (x - x.mean(axis=(0, 1, 2))) / x.std(axis=(0, 1, 2))
    expected = gamma[labels][:, None, None, :] * normalized + beta[labels][:, None, None, :]
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
    # Untrained, it is plain batch norm: gamma 1, beta 0 for every class.
    fresh = ConditionalBatchNormalization(2)
    fresh([x, labels])
    np.testing.assert_array_equal(np.asarray(fresh.gamma), np.ones((2, 5)))
    np.testing.assert_array_equal(np.asarray(fresh.beta), np.zeros((2, 5)))
    test_case.assert_config_round_trip(fresh)


@pytest.mark.parametrize(
    "conditioning, heads",
    [
        ("auxiliary_classifier", ["class_logits"]),
        ("projection_and_auxiliary_classifier", ["projection", "class_logits"]),
    ],
)
def test_dcgan_discriminators_with_a_class_head_score_classes_and_train_their_heads(
    conditioning, heads
):
    from keras_gan import GAN

    discriminator = DCGANDiscriminator(
        data_shape=(8, 8, 1), base_filters=4, num_classes=3, conditioning=conditioning
    )
    x = np.random.default_rng(0).uniform(size=(2, 8, 8, 1)).astype("float32")
    logits, class_logits = discriminator([x, np.array([0, 1], "int32")])
    assert tuple(logits.shape) == (2, 1) and tuple(class_logits.shape) == (2, 3)
    other_logits, other_class_logits = discriminator([x, np.array([2, 2], "int32")])
    # The class head never reads the label; the logit does only through a projection
    # (random at first, so another label moves it).
    np.testing.assert_array_equal(np.asarray(class_logits), np.asarray(other_class_logits))
    reads_the_label = not np.allclose(np.asarray(logits), np.asarray(other_logits))
    assert reads_the_label == ("projection" in heads)
    test_case.assert_config_round_trip(discriminator)
    gan = GAN(
        DCGANGenerator(latent_dim=4, data_shape=(8, 8, 1), base_filters=4, num_classes=3),
        discriminator,
        num_classes=3,
        auxiliary_classifier=1.0,
    )
    gan.compile()
    layers = [getattr(discriminator, name) for name in heads]
    before = [layer.get_weights()[0].copy() for layer in layers]
    gan.fit(np.repeat(x, 4, axis=0), np.arange(8) % 3, batch_size=8, verbose=0)
    for layer, weights in zip(layers, before, strict=True):
        assert not np.allclose(weights, layer.get_weights()[0]), layer.name


def test_an_unknown_conditioning_is_refused():
    with pytest.raises(ValueError, match="`conditioning` must be one of"):
        DCGANDiscriminator(num_classes=3, conditioning="concat")
