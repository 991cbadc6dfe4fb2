import dataclasses

import keras
import numpy as np
import pytest
from absl import flags

from keras_gan.layers import strided_conv
from keras_gan.models.paper_mnist import paper_mnist_gan
from keras_gan.train import TrainConfig
from keras_gan.train import cli
from keras_gan.train.builders import build_gan
from tests.conftest import REPO

CONFIGS = sorted((REPO / "configs").glob("*.cfg"))


def parse(*argv):
    """Parses `argv` with the script's flags into a config, in a private FlagValues."""
    flag_values = flags.FlagValues()
    cli.define_flags(flag_values)
    flag_values(["train.py", *argv])
    return cli.config_from_flags(flag_values)


def test_the_shipped_configs_exist_and_are_valid():
    shipped = {
        "quickstart.cfg",
        "paper_mnist.cfg",
        "dcgan_mnist.cfg",
        "conditional_mnist.cfg",
        "bigan_mnist.cfg",
        "paper_cifar10_fc.cfg",
        "paper_cifar10_conv.cfg",
        "cifar10.cfg",
        "coco_captions.cfg",
        "text_oracle.cfg",
    }
    assert {c.name for c in CONFIGS} >= shipped
    for path in CONFIGS:
        config = parse(f"--flagfile={path}").validate()
        assert config.run_dir == f"runs/{path.stem}"


def test_flags_after_the_flagfile_override_it():
    config = parse(f"--flagfile={REPO / 'configs/quickstart.cfg'}", "--epochs=2", "--run_dir=x")
    assert (config.epochs, config.run_dir) == (2, "x")
    assert config.g_units == (128, 128)


def test_every_config_field_is_a_flag_with_the_same_default():
    assert parse() == TrainConfig()


def without_names(value):
    """A Keras config without layer names, to compare two builds layer for layer."""
    if isinstance(value, dict):
        return {k: without_names(v) for k, v in value.items() if k != "name"}
    if isinstance(value, list):
        return [without_names(v) for v in value]
    return value


def _marginals(shape):
    return np.linspace(0.01, 0.99, np.prod(shape)).reshape(shape)


def test_paper_config_builds_the_paper_preset():
    """configs/paper_mnist.cfg is the core's paper_mnist_gan, layer for layer."""
    config = parse(f"--flagfile={REPO / 'configs/paper_mnist.cfg'}")
    assert (config.split, config.batch_size) == ("train[:50000]", 100)  # 500 steps per epoch
    built = build_gan(config, (28, 28, 1), 500, _marginals((28, 28, 1)))
    preset = paper_mnist_gan(_marginals(784), steps_per_epoch=500, seed=0)

    assert without_names(built.get_config()) == without_names(preset.get_config())
    compiled, expected = built.get_compile_config(), preset.get_compile_config()
    compiled.pop("steps_per_execution")
    assert without_names(compiled) == without_names(expected)


BAD = [
    ({"run_dir": ""}, "--run_dir is required"),
    (
        {"model": "stylegan"},
        "--model must be one of arae, biggan, dcgan, gumbel_gan, infogan, mle, mlp, "
        "paper_cifar10_conv, paper_cifar10_fc, resnet, seqgan, stylegan2. Received: "
        "--model=stylegan",
    ),
    ({"loss": "wgan"}, "--loss must be one of hinge, least_squares, minimax, non_saturating"),
    (
        {"lstm_units": 64},
        r"--lstm_units applies to text runs only \(--dataset=text or text_oracle; received "
        r"--dataset=ring\). Received: --lstm_units=64",
    ),
    ({"d_representations": 64}, "--d_representations applies to text runs only"),
    ({"text_temperatures": (0.9,)}, "--text_temperatures applies to text runs only"),
    ({"r1_gamma": -1.0}, r"--r1_gamma must be a number >= 0 \(0: off\). Received: --r1_gamma=-1.0"),
    ({"gradient_penalty": float("inf")}, "--gradient_penalty must be a number >= 0"),
    ({"penalty_every": 0}, "--penalty_every must be an integer >= 1. Received: --penalty_every=0"),
    ({"ema": 1.0}, r"--ema is the decay.*Received: --ema=1.0"),
    ({"ema_rampup": 0.05}, r"--ema_rampup needs --ema .*Received: --ema_rampup=0.05"),
    ({"ema": 0.9, "ema_rampup": -1.0}, r"--ema_rampup must be a number >= 0 .0: off.. Received"),
    ({"jit_compile": "yes"}, "--jit_compile must be one of auto, false, true. Received: "),
    (
        {"mixed_precision": "bfloat16"},
        "--mixed_precision must be one of float32, mixed_bfloat16, mixed_float16. "
        "Received: --mixed_precision=bfloat16",
    ),
    (
        {"conv_weight_gradients": "fast"},
        "--conv_weight_gradients must be one of auto, dilated, native. "
        "Received: --conv_weight_gradients=fast",
    ),
    (
        {"jit_compile": "true", "strategy": "mirrored"},
        r"--jit_compile cannot be used with --strategy=mirrored: XLA cannot read variables.*"
        r"use --jit_compile=auto.*Received: --jit_compile=true",
    ),
    ({"diffaugment": "color,flip"}, "--diffaugment must be comma-separated transforms among"),
    ({"ada_target": 0.6}, "--ada_target needs --diffaugment or --ada_augment"),
    ({"ada_augment": "bgcf", "ada_target": 0.6}, "--ada_augment must be one of bg, bgc, blit"),
    ({"ada_augment": "bgc"}, r"--ada_augment needs --ada_target .*Received: --ada_augment=bgc"),
    (
        {"ada_augment": "bgc", "ada_target": 0.6, "diffaugment": "color"},
        "--ada_augment cannot be used with --diffaugment. Received: --ada_augment=bgc",
    ),
    ({"keep_best": "fid"}, "--keep_best must be one of validation_parzen. Received: "),
    ({"validation_split": "train[:9]"}, "--validation_split is read only with --keep_best"),
    (
        {"keep_best": "validation_parzen", "dataset": "mnist", "validation_split": "train[:9]"},
        r"--eval_every must be >= 1 with --keep_best \(how often\). Received: --eval_every=0",
    ),
    (
        {"keep_best": "validation_parzen", "eval_every": 1, "validation_split": "train[:9]"},
        "--dataset must be a TFDS name with --keep_best .held-out split.. Received: --dataset=ring",
    ),
    (
        {"keep_best": "validation_parzen", "eval_every": 1, "dataset": "mnist"},
        "--validation_split is required with --keep_best: held-out data",
    ),
    ({"epochs": 0}, "--epochs must be an integer >= 1. Received: --epochs=0"),
    ({"batch_size": -5}, "--batch_size must be an integer >= 1. Received: --batch_size=-5"),
    ({"steps": -1}, "--steps must be an integer >= 0"),
    ({"d_input_dropout": 1.0}, r"--d_input_dropout must be in \[0, 1\). Received: "),
    ({"g_learning_rate": 0.0}, "--g_learning_rate must be a positive number"),
    ({"d_learning_rate": float("nan")}, "--d_learning_rate must be a positive number"),
    ({"g_units": (128, "x")}, "--g_units must be positive integers, e.g. 128,128. Received: "),
    ({"strategy": "gpu"}, "--strategy must be one of default, mirrored, multi_worker"),
    ({"dataset": "npz"}, "--data_dir is required with --dataset=npz"),
    ({"d_steps": 3, "batch_size": 100}, "--batch_size must be a multiple of --d_steps=3"),
    ({"num_cpu_devices": 2}, "--num_cpu_devices needs --strategy=mirrored"),
    (
        {"simultaneous_updates": True, "d_steps": 2},
        "--d_steps must be 1 with --simultaneous_updates",
    ),
    (
        {"model": "infogan", "info_categorical": (10, 1)},
        "--info_categorical must list integers >= 2, the categories of each categorical code. "
        "Received: --info_categorical=10,1",
    ),
    (
        {"model": "infogan", "info_categorical": (), "info_continuous": 0},
        "--info_continuous or --info_categorical must give InfoGAN a code",
    ),
    ({"model": "infogan", "info_weight": -1.0}, "--info_weight must be a number >= 0"),
    (
        {"model": "infogan", "info_noise_limit": -1.0},
        "--info_noise_limit must be a number > 0, or 0 for none. Received: --info_noise_limit=-1.0",
    ),
    (
        {"model": "infogan", "info_noise_limit": 1.0, "latent_distribution": "normal"},
        "--info_noise_limit bounds uniform noise and needs --latent_distribution=uniform "
        r"\(received --latent_distribution=normal\). Received: --info_noise_limit=1.0",
    ),
    (
        {"model": "dcgan", "info_noise_limit": 1.0},
        "--info_noise_limit needs --model=infogan. Received: --info_noise_limit=1.0",
    ),
    (
        {"model": "infogan", "info_layers": "paper"},
        "--info_layers must be one of appendix, openai_code. Received: --info_layers=paper",
    ),
    (
        {"model": "dcgan", "info_layers": "openai_code"},
        "--info_layers needs --model=infogan. Received: --info_layers=openai_code",
    ),
    ({"model": "resnet", "bigan": True}, "--bigan cannot be used with --model=resnet"),
    ({"model": "biggan", "bigan": True}, "--bigan cannot be used with --model=biggan"),
    ({"model": "dcgan", "attention": 16}, "--attention needs --model=resnet or --model=biggan"),
    ({"model": "biggan", "attention": -16}, "--attention must be a side in pixels, or 0"),
    ({"model": "resnet", "orthogonal_reg": 1e-4}, "--orthogonal_reg needs --model=biggan"),
    ({"model": "biggan", "orthogonal_reg": -1.0}, r"--orthogonal_reg must be a number >= 0"),
    ({"model": "biggan", "shared_dim": 0}, "--shared_dim must be >= 1. Received: --shared_dim=0"),
    ({"model": "dcgan", "mapping_layers": 2}, "--mapping_layers needs --model=stylegan2"),
    ({"model": "resnet", "d_architecture": "orig"}, "--d_architecture needs --model=stylegan2"),
    ({"model": "stylegan2", "mapping_layers": 0}, "--mapping_layers must be >= 1"),
    ({"model": "resnet", "channel_base": 16384}, "--channel_base needs --model=stylegan2"),
    (
        {"model": "stylegan2", "mbstd_group_size": 24, "batch_size": 64},
        "--mbstd_group_size must divide --batch_size=64 .or exceed it.. Received: "
        "--mbstd_group_size=24",
    ),
    ({"model": "stylegan2", "d_architecture": "skip"}, "--d_architecture must be one of orig"),
    ({"model": "stylegan2", "style_mixing": 1.5}, "--style_mixing must be a probability"),
    ({"model": "stylegan2", "spectral_norm": True}, "its D is regularised by R1"),
    ({"model": "dcgan", "path_length_weight": 2.0}, "--path_length_weight needs --model=stylegan2"),
    ({"model": "stylegan2", "path_length_weight": -1.0}, "--path_length_weight must be a number"),
    ({"beta_2": 1.0}, r"--beta_2 must be in \[0, 1\)"),
    ({"logan_alpha": -0.5}, r"--logan_alpha must be a number >= 0 \(0: off\)"),
    ({"logan_alpha": 0.9, "logan_rate": 1.5}, r"--logan_rate must be in \(0, 1\]"),
    ({"logan_alpha": 0.9, "bigan": True}, "--logan_alpha cannot be used with --bigan"),
    ({"mixture_components": -1}, "--mixture_components must be .*-1"),
    (
        {"mixture_components": 5, "logan_alpha": 0.9},
        "--mixture_components cannot be used with --logan_alpha",
    ),
    (
        {"mixture_components": 5, "model": "infogan"},
        "--mixture_components cannot be used with --model=infogan",
    ),
    (
        {"model": "infogan", "conditional": True, "dataset": "grid"},
        "--conditional cannot be used with --model=infogan",
    ),
    # Another family's network flags, which the model would ignore.
    (
        {"model": "dcgan", "g_units": (64, 64)},
        "--g_units is read by --model=mlp only; --model=dcgan would ignore it. "
        "Received: --g_units=64,64",
    ),
    ({"model": "infogan", "d_hidden_dropout": 0.3}, "--d_hidden_dropout is read by --model=mlp"),
    ({"model": "stylegan2", "output_bias_from_data": True}, "--output_bias_from_data is read"),
    (
        {"model": "mlp", "filters": 32},
        "--filters is read by --model=dcgan or resnet or biggan or stylegan2 only; "
        "--model=mlp would ignore it",
    ),
    ({"model": "resnet", "sync_batch_norm": True}, "--sync_batch_norm is read by --model=dcgan"),
    ({"model": "resnet", "shared_dim": 64}, "--shared_dim is read by --model=biggan only"),
    ({"model": "dcgan", "info_categorical": (5,)}, "--info_categorical is read by --model=infogan"),
    ({"model": "mlp", "info_weight": 0.5}, "--info_weight is read by --model=infogan only"),
    # Data flags the data set would ignore.
    (
        {"dataset": "mnist", "num_samples": 1000},
        "--num_samples sizes the data of --dataset=gaussian_1d or grid or ring or text_oracle "
        "only; --dataset=mnist reads its own files and would ignore it. Received: "
        "--num_samples=1000",
    ),
    (
        {"dataset": "folder", "data_dir": "images", "num_samples": 1000},
        "--num_samples sizes the data of",
    ),
    (
        {"dataset": "ring", "split": "test"},
        r"--split picks a part of a TFDS data set \(or of CIFAR-10's .npz files\); "
        "--dataset=ring has no splits and would ignore it. Received: --split=test",
    ),
    ({"dataset": "npz", "data_dir": "a.npz", "split": "train[:10]"}, "--split picks a part"),
    # Another optimizer's settings.
    (
        {"optimizer": "adam", "momentum": 0.9},
        r"--momentum is read by --optimizer=sgd only \(received --optimizer=adam\)",
    ),
    ({"optimizer": "paper_sgd", "beta_1": 0.9}, "--beta_1 is read by --optimizer=adam only"),
    ({"optimizer": "sgd", "beta_2": 0.99}, "--beta_2 is read by --optimizer=adam only"),
]


@pytest.mark.parametrize("changes, message", BAD, ids=[str(c) for c, _ in BAD])
def test_bad_flags_name_the_flag_and_the_value(changes, message):
    config = dataclasses.replace(TrainConfig(run_dir="somewhere"), **changes)
    with pytest.raises(ValueError, match=message):
        config.validate()


def test_regulariser_flags_build_the_game_they_name():
    config = parse(
        "--run_dir=x",
        "--model=dcgan",
        "--loss=hinge",
        "--r1_gamma=2",
        "--gradient_penalty=10",
        "--penalty_every=4",
        "--spectral_norm",
        "--ema=0.99",
        "--diffaugment=color,cutout",
        "--ada_target=0.6",
        "--filters=4",
    ).validate()
    gan = build_gan(config, (8, 8, 1), steps_per_epoch=10)
    assert gan.gan_loss.name == "hinge"
    assert [repr(p) for p in gan.penalties] == [
        "GradientPenalty(weight=10.0, target=1.0, every=4)",
        "R1(gamma=2.0, every=4)",
    ]
    assert gan.discriminator.spectral_norm and gan.generator_ema == 0.99
    assert gan.augmentation.transforms == ["color", "cutout"]
    assert float(gan.augmentation.probability) == 0.0  # ADA starts from no augmentation
    assert gan.augmentation.value_range == (0.0, 1.0)  # the data sets' pixels
    with pytest.raises(ValueError, match=r"--diffaugment transforms images.*Received: "):
        build_gan(dataclasses.replace(config, model="mlp"), (2,), steps_per_epoch=10)
    ada = dataclasses.replace(config, diffaugment="", ada_augment="bgc").validate()
    augmentation = build_gan(ada, (8, 8, 1), steps_per_epoch=10).augmentation
    assert type(augmentation).__name__ == "AdaAugment" and augmentation.pipeline == "bgc"
    assert float(augmentation.probability) == 0.0 and augmentation.adaptive_target == 0.6
    with pytest.raises(ValueError, match=r"--ada_augment transforms images.*Received: "):
        build_gan(dataclasses.replace(ada, model="mlp"), (2,), steps_per_epoch=10)


def test_from_dict_rejects_unknown_keys():
    values = TrainConfig().to_dict()
    assert TrainConfig.from_dict(values) == TrainConfig()
    with pytest.raises(ValueError, match=r"Unknown config keys \['colour'\]"):
        TrainConfig.from_dict({**values, "colour": "red"})


def test_the_conditional_mnist_config_builds_the_conditional_dcgan_pair():
    from keras_gan.layers import ConditionalBatchNormalization

    config = parse(f"--flagfile={REPO / 'configs/conditional_mnist.cfg'}").validate()
    assert config.conditional and config.model == "dcgan"
    gan = build_gan(config, (28, 28, 1), 390, class_names=[str(d) for d in range(10)])
    assert gan.num_classes == 10 and gan.class_names[7] == "7"
    assert all(isinstance(n, ConditionalBatchNormalization) for n in gan.generator.norms)
    assert gan.discriminator.conditioning == "projection_and_auxiliary_classifier"
    assert gan.discriminator.projection is not None and gan.auxiliary_classifier == 0.5
    assert gan.discriminator.class_logits is not None


def test_conditioning_picks_the_conditional_dcgan_discriminators_heads():
    base = f"--flagfile={REPO / 'configs/conditional_mnist.cfg'}"
    digits = [str(d) for d in range(10)]

    def discriminator(*flags):
        return build_gan(parse(base, *flags).validate(), (28, 28, 1), 390, class_names=digits)

    # Without --conditioning, --auxiliary_classifier alone means AC-GAN's D (no projection).
    alone = discriminator("--conditioning=", "--auxiliary_classifier=0.1").discriminator
    assert alone.projection is None and alone.class_logits is not None
    plain = discriminator("--conditioning=", "--auxiliary_classifier=0").discriminator
    assert plain.projection is not None and plain.class_logits is None
    both = discriminator("--conditioning=projection_and_auxiliary_classifier")
    assert both.discriminator.projection is not None
    assert both.discriminator.class_logits is not None


@pytest.mark.parametrize("d_steps", [1, 3])
def test_paper_sgd_ramps_both_momenta_over_the_same_epochs_whatever_k(d_steps):
    # D makes k updates per step, G one: D's ramp (epoch 1 to 250) spans k times the updates.
    config = parse(
        f"--flagfile={REPO / 'configs/paper_mnist.cfg'}",
        "--nosimultaneous_updates",
        f"--d_steps={d_steps}",
        f"--batch_size={100 * d_steps}",
    ).validate()
    steps = 500
    gan = build_gan(config, (28, 28, 1), steps, _marginals((28, 28, 1)))
    d_ramp = gan.d_optimizer.momentum_schedule
    g_ramp = gan.g_optimizer.momentum_schedule
    for epoch in (0.5, 1, 2, 125, 249, 250, 400):
        d_momentum = float(d_ramp(int(epoch * steps * d_steps)))
        g_momentum = float(g_ramp(int(epoch * steps)))
        assert abs(d_momentum - g_momentum) < 1e-6, (epoch, d_momentum, g_momentum)
    assert abs(float(d_ramp(125.5 * steps * d_steps)) - 0.6) < 1e-6


def test_the_bigan_mnist_config_builds_a_bigan_of_the_dcgan_family():
    from keras_gan.models import BiGAN
    from keras_gan.models import DCGANEncoder

    config = parse(f"--flagfile={REPO / 'configs/bigan_mnist.cfg'}").validate()
    gan = build_gan(config, (28, 28, 1), 390)
    assert isinstance(gan, BiGAN) and isinstance(gan.encoder, DCGANEncoder)
    assert gan.latent_dim == gan.encoder.latent_dim == gan.discriminator.latent_dim == 50
    assert gan.discriminator.spectral_norm and gan.gan_loss.name == "non_saturating"


def test_the_infogan_mnist_config_builds_the_papers_infogan():
    from keras_gan.models import InfoGAN

    config = parse(f"--flagfile={REPO / 'configs/infogan_mnist.cfg'}").validate()
    gan = build_gan(config, (28, 28, 1), 100)
    assert isinstance(gan, InfoGAN)
    assert gan.codes.get_config() == {
        "noise_dim": 62,
        "categorical": [10],
        "continuous": 2,
        "noise": "uniform",
        "continuous_weight": 1.0,
        "noise_limit": None,
    }
    assert gan.latent_dim == 74 and gan.info_weight == 1.0
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(2e-4)
    with pytest.raises(ValueError, match=r"--model=infogan needs images"):
        build_gan(config, (2,), 100)
    narrow = parse(f"--flagfile={REPO / 'configs/infogan_mnist.cfg'}", "--info_noise_limit=1")
    assert build_gan(narrow.validate(), (28, 28, 1), 100).codes.noise_limit == 1.0
    appendix = gan.discriminator.get_config()
    assert appendix["negative_slope"] == 0.1 and appendix["initializer_stddev"] is None
    code = parse(f"--flagfile={REPO / 'configs/infogan_mnist.cfg'}", "--info_layers=openai_code")
    code_gan = build_gan(code.validate(), (28, 28, 1), 100)
    assert code_gan.discriminator.negative_slope == 0.01
    for network in (code_gan.generator, code_gan.discriminator):
        assert network.initializer_stddev == 0.02 and network.batch_norm_epsilon == 1e-5


def test_logan_flags_build_the_latent_step_they_name():
    config = parse("--run_dir=x", "--logan_alpha=0.9", "--logan_beta=4", "--logan_rate=0.5")
    gan = build_gan(config.validate(), (2,), 10)
    assert gan.latent_optimization.get_config() == {
        "alpha": 0.9,
        "beta": 4.0,
        "natural": True,
        "rate": 0.5,
    }
    assert build_gan(parse("--run_dir=x").validate(), (2,), 10).latent_optimization is None


def test_the_sngan_config_builds_the_papers_cifar10_setting():
    from keras_gan.models import ResNetDiscriminator
    from keras_gan.models import ResNetGenerator

    config = parse(f"--flagfile={REPO / 'configs/sngan_cifar10.cfg'}").validate()
    gan = build_gan(config, (32, 32, 3), 156)
    assert isinstance(gan.generator, ResNetGenerator) and gan.generator.channels == 256
    assert isinstance(gan.discriminator, ResNetDiscriminator)
    assert gan.discriminator.channels == 128 and gan.discriminator.spectral_norm
    assert gan.gan_loss.name == "hinge" and gan.d_steps == 5 and gan.latent_dim == 128
    assert (gan.d_optimizer.beta_1, gan.d_optimizer.beta_2) == (0.0, 0.9)
    # Linear decay to 0 over the run: D takes 5 updates per step.
    assert isinstance(gan.d_optimizer._learning_rate, keras.optimizers.schedules.PolynomialDecay)
    assert gan.d_optimizer._learning_rate.decay_steps == 320 * 156 * 5
    with pytest.raises(ValueError, match=r"--model=resnet needs images"):
        build_gan(config, (2,), 10)


def test_the_biggan_config_builds_studiogans_cifar10_setting():
    from keras_gan.models import BigGANGenerator
    from keras_gan.models import ResNetDiscriminator

    config = parse(f"--flagfile={REPO / 'configs/biggan_cifar10.cfg'}").validate()
    classes = [str(i) for i in range(10)]
    gan = build_gan(config, (32, 32, 3), 156, class_names=classes)
    generator, discriminator = gan.generator, gan.discriminator
    assert isinstance(generator, BigGANGenerator) and generator.channels == 384
    assert (generator.latent_dim, generator.shared_dim, generator.attention) == (80, 128, 16)
    assert generator.num_classes == 10 and generator.orthogonal_regularization == 0.0
    assert isinstance(discriminator, ResNetDiscriminator) and discriminator.channels == 192
    assert discriminator.attention == 16 and discriminator.spectral_norm
    assert discriminator.num_classes == 10
    assert gan.gan_loss.name == "hinge" and gan.d_steps == 5
    assert (gan.d_optimizer.beta_1, gan.d_optimizer.beta_2) == (0.5, 0.999)
    assert gan.generator_ema == 0.9999
    # A side no block makes is refused when the networks are built, before training.
    config = parse(f"--flagfile={REPO / 'configs/biggan_cifar10.cfg'}", "--attention=12")
    with pytest.raises(ValueError, match=r"\[8, 16, 32\]. Received: attention=12"):
        build_gan(config.validate(), (32, 32, 3), 156, class_names=classes)


def test_the_stylegan2_config_builds_the_reference_networks_and_recipe():
    """configs/stylegan2_cifar10.cfg: StyleGAN2-ADA's `cifar` networks (parameter counts in
    tests/models/test_stylegan2.py) and its loss, lazy R1, ADA, optimiser and batch."""
    from keras_gan.models import StyleGAN2Discriminator
    from keras_gan.models import StyleGAN2Generator

    config = parse(f"--flagfile={REPO / 'configs/stylegan2_cifar10.cfg'}").validate()
    gan = build_gan(config, (32, 32, 3), 781, class_names=[str(i) for i in range(10)])
    generator, discriminator = gan.generator, gan.discriminator
    assert isinstance(generator, StyleGAN2Generator)
    assert isinstance(discriminator, StyleGAN2Discriminator)
    generator.build()
    discriminator.build()
    trainable = [
        sum(int(np.prod(w.shape)) for w in m.trainable_weights) for m in (generator, discriminator)
    ]
    assert trainable == [20_215_315, 23_089_664]
    assert discriminator.mbstd_group_size == 32 and discriminator.architecture == "orig"
    assert generator.style_mixing == 0.0 and generator.mapping_layers == 2
    assert gan.generator_penalties == []  # path length regularisation is off for CIFAR-10
    assert gan.gan_loss.name == "non_saturating"
    assert [(type(p).__name__, p.gamma, p.every) for p in gan.penalties] == [("R1", 0.01, 16)]
    assert gan.augmentation.adaptive_target == 0.6 and gan.augmentation.pipeline == "bgc"
    assert float(gan.augmentation.probability) == 0.0
    assert (gan.d_optimizer.beta_1, gan.d_optimizer.beta_2) == (0.0, 0.99)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(0.0025)
    assert repr(gan.generator_ema) == "RampedAverage(decay=0.99991, ramp_up=0.05)"
    assert gan.sample_from_average


def test_the_stylegan2_folder_config_builds_the_references_auto_setting_at_128_pixels():
    """configs/stylegan2_folder.cfg at 128x128x3: StyleGAN2-ADA's `auto` networks for one GPU
    (channel_base 16384, channel_max 512, 2 mapping layers, the residual D, mbstd groups of 4).
    The parameter counts are the reference classes' (training/networks.py, commit d72cc7d),
    built with torch 2.13 on this machine."""
    config = parse(f"--flagfile={REPO / 'configs/stylegan2_folder.cfg'}")
    gan = build_gan(config.validate(), (128, 128, 3), 100)
    generator, discriminator = gan.generator, gan.discriminator
    generator.build()
    discriminator.build()
    trainable = [
        sum(int(np.prod(w.shape)) for w in m.trainable_weights) for m in (generator, discriminator)
    ]
    assert trainable == [22_949_277, 23_882_369]
    assert [generator.channels[side] for side in generator.sides] == [512, 512, 512, 512, 256, 128]
    assert generator.style_mixing == 0.9 and discriminator.architecture == "resnet"
    assert [(type(p).__name__, p.weight, p.every) for p in gan.generator_penalties] == [
        ("PathLength", 2.0, 4)
    ]
    assert [(type(p).__name__, p.gamma, p.every) for p in gan.penalties] == [("R1", 0.1024, 16)]
    assert config.batch_size == 32 and discriminator.mbstd_group_size == 4
    assert repr(gan.generator_ema) == "RampedAverage(decay=0.99778, ramp_up=0.05)"


def test_the_cifar10_config_builds_the_dcgan_pair_with_the_modern_objectives():
    config = parse(f"--flagfile={REPO / 'configs/cifar10.cfg'}").validate()
    assert (config.dataset, config.split) == ("cifar10", "train")  # all 50,000 images
    gan = build_gan(config, (32, 32, 3), 781)
    assert gan.generator.data_shape == gan.data_shape == (32, 32, 3)
    assert gan.gan_loss.name == "hinge" and gan.discriminator.spectral_norm
    assert gan.generator_ema == 0.999 and gan.sample_from_average
    # No DiffAugment: with it, D sat at chance and the samples were worse (README).
    assert gan.augmentation is None and gan.d_steps == 1
    assert gan.generate(2, seed=0).shape == (2, 32, 32, 3)


@pytest.mark.parametrize("kind", ["fc", "conv"])
def test_the_paper_cifar10_configs_build_the_paper_presets(kind):
    """configs/paper_cifar10_*.cfg are the core's paper_cifar10_gan, layer for layer."""
    from keras_gan.models.paper_cifar10 import TRAIN_SPLIT
    from keras_gan.models.paper_cifar10 import TRAINING
    from keras_gan.models.paper_cifar10 import paper_cifar10_gan

    config = parse(f"--flagfile={REPO / f'configs/paper_cifar10_{kind}.cfg'}").validate()
    assert (config.split, config.gcn, config.batch_size) == (TRAIN_SPLIT, 55.0, TRAINING[kind][0])
    steps = 40000 // config.batch_size
    built = build_gan(config, (32, 32, 3), steps)
    preset = paper_cifar10_gan(kind, steps_per_epoch=steps, seed=0)

    assert without_names(built.get_config()) == without_names(preset.get_config())
    with pytest.raises(ValueError, match=r"32x32x3 images. Received: --dataset=cifar10 with"):
        build_gan(config, (28, 28, 1), steps)


@pytest.mark.parametrize(
    "flags_, message",
    [
        (
            ["--g_units=10"],
            r"--g_units is fixed by --model=paper_cifar10_conv \(the 2014 networks\). "
            r"Received: --g_units=10",
        ),
        (["--conditional"], r"--conditional cannot be used with --model=paper_cifar10_conv"),
        (["--export"], r"--export cannot be used with --gcn=55.0: .* \(add --noexport\)"),
        (["--eval_every=1"], r"--eval_every cannot be used with --gcn=55.0"),
        (["--gcn=-1"], r"--gcn must be a number >= 0"),
    ],
)
def test_the_paper_cifar10_flags_that_would_change_it_are_refused(flags_, message):
    config = parse(f"--flagfile={REPO / 'configs/paper_cifar10_conv.cfg'}", *flags_)
    with pytest.raises(ValueError, match=message):
        config.validate()


def _one_cifar10_step(policy, initial=None, gradients="auto"):
    config = parse(f"--flagfile={REPO / 'configs/cifar10.cfg'}", "--batch_size=16")
    config = dataclasses.replace(config, mixed_precision=policy).validate()
    keras.utils.set_random_seed(0)
    gan = build_gan(config, (32, 32, 3), 10)
    if initial is not None:
        gan.set_weights(initial)
    before = [np.array(w) for w in gan.get_weights()]
    images = np.random.default_rng(0).uniform(size=(16, 32, 32, 3)).astype("float32")
    with strided_conv.weight_gradients_scope(gradients):
        history = gan.fit(images, batch_size=16, epochs=1, verbose=0, shuffle=False).history
    deltas = [np.array(w) - b for w, b in zip(gan.get_weights(), before, strict=True)]
    return gan, before, deltas, history


def test_a_bfloat16_step_of_the_cifar10_pair_is_close_to_float32_s():
    _, initial, expected, reference = _one_cifar10_step("float32")
    gan, _, deltas, history = _one_cifar10_step("mixed_bfloat16", initial)
    assert gan.generator.compute_dtype == gan.discriminator.compute_dtype == "bfloat16"
    assert keras.config.dtype_policy().name == "float32"  # built in a scope, restored after
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert np.isfinite(history[key][0])
        assert history[key][0] == pytest.approx(reference[key][0], rel=0.02, abs=2e-3)
    # Adam's first update is nearly lr * sign(gradient): bfloat16's rounding flips the
    # sign of small components (measured cosines 0.93-1.0 on an AMD EPYC), not the direction.
    moved = 0
    for delta, reference_delta in zip(deltas, expected, strict=True):
        if np.linalg.norm(reference_delta) > 0:
            cosine = np.sum(delta * reference_delta) / (
                np.linalg.norm(delta) * np.linalg.norm(reference_delta)
            )
            assert cosine > 0.85
            moved += 1
    assert moved >= 20


def test_the_dilated_kernel_gradients_update_the_cifar10_pair_as_the_native_ones_do():
    """The same function in float32 (every layer of D and G, spectral norm, the averaged G),
    so the same update to float32's rounding; bfloat16 takes it by default (`auto`)."""
    _, initial, expected, reference = _one_cifar10_step("float32", gradients="native")
    _, _, deltas, history = _one_cifar10_step("float32", initial, gradients="dilated")
    for key in ("d_loss", "g_loss"):
        assert history[key][0] == pytest.approx(reference[key][0], rel=1e-5)
    # Adam's first step is about lr * g / (|g| + 1e-7): a component whose gradient is
    # near the epsilon moves with its rounding, so the check is on each variable's norm.
    for delta, reference_delta in zip(deltas, expected, strict=True):
        error = np.linalg.norm(delta - reference_delta)
        assert error <= 1e-3 * np.linalg.norm(reference_delta)


def test_a_checkpoint_of_the_dcgan_pair_built_with_keras_own_convolutions_loads(
    tmp_path, monkeypatch
):
    """keras_gan up to 0.24.0 built DCGAN's D, G and encoder from `keras.layers.Conv2D` and
    `Conv2DTranspose`; a `.keras` file addresses a list's layers by class name, so its runs
    must still load, resume and be scored with the strided layers in their place."""
    from keras_gan.models import dcgan_discriminator
    from keras_gan.models import dcgan_encoder
    from keras_gan.models import dcgan_generator

    config = parse(f"--flagfile={REPO / 'configs/cifar10.cfg'}", "--filters=8", "--bigan")
    config = config.validate()
    with monkeypatch.context() as old:  # the 0.24.0 layout
        old.setattr(dcgan_discriminator, "StridedConv2D", keras.layers.Conv2D)
        old.setattr(dcgan_encoder, "StridedConv2D", keras.layers.Conv2D)
        old.setattr(dcgan_generator, "StridedConv2DTranspose", keras.layers.Conv2DTranspose)
        keras.utils.set_random_seed(0)
        written = build_gan(config, (32, 32, 3), 10)
        assert type(written.generator.upsamples[0]) is keras.layers.Conv2DTranspose
        written.save(tmp_path / "gan.keras")
    loaded = keras.saving.load_model(tmp_path / "gan.keras")
    assert isinstance(loaded.generator.upsamples[0], strided_conv.StridedConv2DTranspose)
    assert isinstance(loaded.discriminator.convs[0].layer, strided_conv.StridedConv2D)
    assert isinstance(loaded.encoder.convs[0], strided_conv.StridedConv2D)
    for got, expected in zip(loaded.get_weights(), written.get_weights(), strict=True):
        np.testing.assert_array_equal(got, expected)
