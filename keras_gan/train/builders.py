"""The GAN a `TrainConfig` describes, built and compiled."""

import keras
import numpy as np

from keras_gan import mixed_precision
from keras_gan.latent_codes import InfoGANCodes
from keras_gan.latent_optimization import LatentOptimization
from keras_gan.layers.ada_augment import AdaAugment
from keras_gan.layers.diff_augment import DiffAugment
from keras_gan.layers.mixture_prior import MixturePrior
from keras_gan.layers.mixture_prior import mixture_codes
from keras_gan.models.bigan import BiGAN
from keras_gan.models.biggan import BigGANGenerator
from keras_gan.models.dcgan_discriminator import DCGANDiscriminator
from keras_gan.models.dcgan_encoder import DCGANEncoder
from keras_gan.models.dcgan_generator import DCGANGenerator
from keras_gan.models.gan import GAN
from keras_gan.models.generator_average import RampedAverage
from keras_gan.models.infogan import InfoGAN
from keras_gan.models.infogan import InfoGANDiscriminator
from keras_gan.models.infogan import InfoGANGenerator
from keras_gan.models.maxout_discriminator import MaxoutDiscriminator
from keras_gan.models.mlp_encoder import MLPEncoder
from keras_gan.models.mlp_generator import MLPGenerator
from keras_gan.models.paper_cifar10 import IMAGE_SHAPE
from keras_gan.models.paper_cifar10 import paper_cifar10_networks
from keras_gan.models.resnet import ResNetDiscriminator
from keras_gan.models.resnet import ResNetGenerator
from keras_gan.models.stylegan2 import StyleGAN2Discriminator
from keras_gan.models.stylegan2 import StyleGAN2Generator
from keras_gan.optimizers.scheduled_momentum_sgd import paper_mnist_sgd
from keras_gan.penalties import R1
from keras_gan.penalties import R2
from keras_gan.penalties import GradientPenalty
from keras_gan.penalties import PathLength
from keras_gan.train.config import JIT_COMPILE


def is_image_shape(data_shape):
    return len(data_shape) == 3


def build_gan(config, data_shape, steps_per_epoch, pixel_means=None, class_names=None):
    """Builds and compiles the GAN of `config` for samples of `data_shape`.

    Images (height, width, channels) are modelled in [0, 1] with a sigmoid
    output; vectors with a linear output. The networks compute in the dtype
    policy `config.mixed_precision`; Keras' global policy is left as it was.

    Args:
        config: a validated `TrainConfig`.
        data_shape: shape of one sample.
        steps_per_epoch: updates per epoch (places the paper's momentum ramp).
        pixel_means: mean of each data value, for `output_bias_from_data`.
        class_names: with `config.conditional`, the data's classes.

    Raises:
        ValueError: if the model cannot take data of this shape.
    """
    with mixed_precision.policy_scope(config.mixed_precision):
        return _build_gan(config, data_shape, steps_per_epoch, pixel_means, class_names)


def resume_with(gan, config):
    """`gan`, loaded from a checkpoint, set to the settings `config` may change at resume.

    A `.keras` file restores the dtype policy and the compile settings it was
    saved with; the hardware flags of the resumed run (`--mixed_precision`,
    `--jit_compile`, `--steps_per_execution`) replace them. The optimizers and
    their state are kept; a loss scale is added for float16 and dropped for
    the others.
    """
    mixed_precision.use_policy(gan, config.mixed_precision)
    keep_scale = config.mixed_precision == "mixed_float16"

    def optimizer(loaded):
        return loaded if keep_scale else getattr(loaded, "inner_optimizer", loaded)

    gan.compile(
        **{
            **gan.get_compile_config(),
            "d_optimizer": optimizer(gan.d_optimizer),
            "g_optimizer": optimizer(gan.g_optimizer),
            "jit_compile": JIT_COMPILE[config.jit_compile],
            "steps_per_execution": config.steps_per_execution,
        }
    )
    return gan


def _build_gan(config, data_shape, steps_per_epoch, pixel_means, class_names):
    image = is_image_shape(data_shape)
    num_classes = len(class_names) if config.conditional else None
    # A BiGAN's D judges (x, z) pairs; its E mirrors G.
    joint_latent_dim = config.latent_dim if config.bigan else None
    # Contrast-normalised images are unbounded: a linear output.
    output_activation = "sigmoid" if image and not config.gcn else "linear"
    encoder = None
    if config.model.startswith("paper_cifar10"):
        if tuple(data_shape) != IMAGE_SHAPE:
            raise ValueError(
                f"--model={config.model} is the 2014 network for 32x32x3 images. Received: "
                f"--dataset={config.dataset} with samples of shape {tuple(data_shape)}"
            )
        generator, discriminator = paper_cifar10_networks(config.model.rsplit("_", 1)[1])
    elif config.model == "infogan":
        return _build_infogan(config, data_shape, steps_per_epoch)
    elif config.model in ("resnet", "biggan"):
        _require_images(config, data_shape)
        generator = _resnet_generator(config, data_shape, num_classes, output_activation)
        discriminator = ResNetDiscriminator(
            channels=config.filters,
            data_shape=data_shape,
            num_classes=num_classes,
            spectral_norm=config.spectral_norm,
            attention=config.attention,
            name="discriminator",
        )
    elif config.model == "stylegan2":
        generator, discriminator = _stylegan2_networks(
            config, data_shape, num_classes, output_activation
        )
    elif config.model == "dcgan":
        _require_images(config, data_shape)
        generator = DCGANGenerator(
            latent_dim=config.latent_dim,
            data_shape=data_shape,
            base_filters=config.filters,
            output_activation=output_activation,
            synchronized_batch_norm=config.sync_batch_norm,
            num_classes=num_classes,
            name="generator",
        )
        discriminator = DCGANDiscriminator(
            data_shape=data_shape,
            base_filters=config.filters,
            spectral_norm=config.spectral_norm,
            num_classes=num_classes,
            conditioning=config.discriminator_conditioning(),
            latent_dim=joint_latent_dim,
            name="discriminator",
        )
        encoder = DCGANEncoder(
            latent_dim=config.latent_dim,
            data_shape=data_shape,
            base_filters=config.filters,
            name="encoder",
        )
    else:
        generator = MLPGenerator(
            latent_dim=config.latent_dim,
            data_shape=data_shape,
            hidden_units=config.g_units,
            output_activation=output_activation,
            output_bias_marginals=(
                np.asarray(pixel_means).reshape(-1) if config.output_bias_from_data else None
            ),
            num_classes=num_classes,
            name="generator",
        )
        discriminator = MaxoutDiscriminator(
            hidden_units=config.d_units,
            num_pieces=config.d_pieces,
            input_dropout=config.d_input_dropout,
            hidden_dropout=config.d_hidden_dropout,
            spectral_norm=config.spectral_norm,
            num_classes=num_classes,
            latent_dim=joint_latent_dim,
            name="discriminator",
        )
        encoder = MLPEncoder(
            latent_dim=config.latent_dim, hidden_units=config.g_units[::-1], name="encoder"
        )
    latent_distribution = config.latent_distribution
    if config.mixture_components:
        generator, latent_distribution = _with_mixture_prior(generator, config)
    if config.bigan:
        gan = BiGAN(
            generator,
            encoder,
            discriminator,
            latent_distribution=config.latent_distribution,
            d_steps=config.d_steps,
            seed=config.seed,
            generator_ema=_generator_average(config),
            sample_from_average=config.sample_from_ema,
            name="bigan",
        )
    else:
        gan = GAN(
            generator,
            discriminator,
            latent_distribution=latent_distribution,
            d_steps=config.d_steps,
            simultaneous_updates=config.simultaneous_updates,
            seed=config.seed,
            generator_ema=_generator_average(config),
            sample_from_average=config.sample_from_ema,
            augmentation=_augmentation(config, data_shape),
            num_classes=num_classes,
            label_distribution=config.label_distribution if num_classes else "data",
            class_names=class_names if num_classes else None,
            auxiliary_classifier=config.auxiliary_classifier if num_classes else 0.0,
            name="gan",
        )
    return _compile(gan, config, steps_per_epoch)


def _with_mixture_prior(generator, config):
    """G behind DeLiGAN's learned prior (`--mixture_components`), and the draw it reads."""
    codes = mixture_codes(config.mixture_components, config.latent_dim)
    prior = MixturePrior(config.mixture_components, config.latent_dim, name="mixture_prior")
    return keras.Sequential(
        [keras.Input((codes.latent_dim,)), prior, generator], name="generator"
    ), codes


def _build_infogan(config, data_shape, steps_per_epoch):
    _require_images(config, data_shape)
    codes = InfoGANCodes(
        noise_dim=config.latent_dim,
        categorical=config.info_categorical,
        continuous=config.info_continuous,
        noise=config.latent_distribution,
        noise_limit=config.info_noise_limit or None,
    )
    # --info_layers=openai_code: openai/InfoGAN's custom_ops.py and leaky_rectify.
    code = config.info_layers == "openai_code"
    layers = dict(initializer_stddev=0.02, batch_norm_epsilon=1e-5) if code else {}
    gan = InfoGAN(
        InfoGANGenerator(codes.latent_dim, data_shape, name="generator", **layers),
        InfoGANDiscriminator(
            codes.code_dim,
            data_shape,
            negative_slope=0.01 if code else 0.1,
            name="discriminator",
            **layers,
        ),
        codes,
        info_weight=config.info_weight,
        d_steps=config.d_steps,
        seed=config.seed,
        generator_ema=_generator_average(config),
        sample_from_average=config.sample_from_ema,
        augmentation=_augmentation(config, data_shape),
        name="infogan",
    )
    return _compile(gan, config, steps_per_epoch)


def _generator_average(config):
    """`GAN(generator_ema=...)` from --ema and --ema_rampup."""
    if not config.ema:
        return None
    return RampedAverage(config.ema, config.ema_rampup) if config.ema_rampup else config.ema


def _compile(gan, config, steps_per_epoch):
    gan.compile(
        # D's optimizer takes k updates per step (Algorithm 1), so its schedule is k times longer.
        d_optimizer=_optimizer(config, config.d_learning_rate, steps_per_epoch, config.d_steps),
        g_optimizer=_optimizer(config, config.g_learning_rate, steps_per_epoch),
        loss=config.loss,
        penalties=_penalties(config),
        generator_penalties=_generator_penalties(config),
        latent_optimization=(
            LatentOptimization(config.logan_alpha, config.logan_beta, rate=config.logan_rate)
            if config.logan_alpha
            else None
        ),
        d_loss_weight=config.d_loss_weight,
        steps_per_execution=config.steps_per_execution,
        jit_compile=JIT_COMPILE[config.jit_compile],
    )
    return gan


def _optimizer(config, learning_rate, steps_per_epoch, updates_per_step=1):
    if config.optimizer == "paper_sgd":
        # The momentum ramp is placed in epochs (pylearn2's MomentumAdjustor),
        # so D's, with k updates a step, spans k times as many updates.
        return paper_mnist_sgd(steps_per_epoch * updates_per_step, learning_rate=learning_rate)
    updates = config.epochs * steps_per_epoch * updates_per_step
    if config.lr_decay == "linear":
        learning_rate = keras.optimizers.schedules.PolynomialDecay(
            learning_rate, updates, end_learning_rate=0.0, power=1.0
        )
    elif config.lr_decay == "cosine":
        learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, updates)
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=config.momentum)
    return keras.optimizers.Adam(learning_rate, beta_1=config.beta_1, beta_2=config.beta_2)


def _penalties(config):
    every = config.penalty_every
    penalties = []
    if config.gradient_penalty:
        penalties.append(GradientPenalty(weight=config.gradient_penalty, every=every))
    if config.r1_gamma:
        penalties.append(R1(gamma=config.r1_gamma, every=every))
    if config.r2_gamma:
        penalties.append(R2(gamma=config.r2_gamma, every=every))
    return penalties


def _resnet_generator(config, data_shape, num_classes, output_activation):
    """SNGAN's or BigGAN's generator, with twice D's channels."""
    if config.model == "resnet":
        return ResNetGenerator(
            latent_dim=config.latent_dim,
            channels=2 * config.filters,
            data_shape=data_shape,
            num_classes=num_classes,
            output_activation=output_activation,
            name="generator",
        )
    return BigGANGenerator(
        latent_dim=config.latent_dim,
        channels=2 * config.filters,
        data_shape=data_shape,
        num_classes=num_classes,
        shared_dim=config.shared_dim,
        attention=config.attention,
        orthogonal_regularization=config.orthogonal_reg,
        output_activation=output_activation,
        synchronized_batch_norm=config.sync_batch_norm,
        name="generator",
    )


def _generator_penalties(config):
    """StyleGAN2's path length regularisation, lazily every 4th G update as there."""
    if not config.path_length_weight:
        return []
    return [PathLength(weight=config.path_length_weight, every=4)]


def _require_images(config, data_shape):
    """Refuses a convolutional --model on samples that are not images."""
    if not is_image_shape(data_shape):
        raise ValueError(
            f"--model={config.model} needs images (height, width, channels). Received: "
            f"--dataset={config.dataset} with samples of shape {tuple(data_shape)}"
        )


def _stylegan2_networks(config, data_shape, num_classes, output_activation):
    """StyleGAN2's pair; --filters caps the channels and --channel_base (by default
    64 x --filters) sets them at each side (StyleGAN2: 512 and 32768 or 16384)."""
    _require_images(config, data_shape)
    widths = {
        "channel_base": config.channel_base or 64 * config.filters,
        "channel_max": config.filters,
    }
    generator = StyleGAN2Generator(
        latent_dim=config.latent_dim,
        data_shape=data_shape,
        num_classes=num_classes,
        mapping_layers=config.mapping_layers,
        style_mixing=config.style_mixing,
        output_activation=output_activation,
        seed=config.seed,
        name="generator",
        **widths,
    )
    discriminator = StyleGAN2Discriminator(
        data_shape=data_shape,
        num_classes=num_classes,
        architecture=config.d_architecture,
        mbstd_group_size=config.mbstd_group_size,
        name="discriminator",
        **widths,
    )
    return generator, discriminator


def _augmentation(config, data_shape):
    if not (config.diffaugment or config.ada_augment):
        return None
    flag = "--ada_augment" if config.ada_augment else "--diffaugment"
    if not is_image_shape(data_shape):
        raise ValueError(
            f"{flag} transforms images (height, width, channels). Received: "
            f"--dataset={config.dataset} with samples of shape {tuple(data_shape)}"
        )
    if config.ada_augment:
        return AdaAugment(
            config.ada_augment,
            probability=0.0,
            adaptive_target=config.ada_target,
            seed=config.seed,
            name="ada_augment",
        )
    return DiffAugment(
        policy=config.diffaugment,
        # ADA starts without augmentation and raises it as D overfits.
        probability=0.0 if config.ada_target else 1.0,
        adaptive_target=config.ada_target or None,
        seed=config.seed,
        name="diffaugment",
    )
