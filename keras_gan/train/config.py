"""Everything a training run is made from, as one validated value."""

import dataclasses
import math

from keras_gan import losses as gan_losses
from keras_gan.data.datasets import FILE_SETS
from keras_gan.data.datasets import LABELLED_SYNTHETIC
from keras_gan.data.datasets import SYNTHETIC
from keras_gan.distribute import STRATEGY_NAMES
from keras_gan.latent import DISTRIBUTIONS as LATENT_DISTRIBUTIONS
from keras_gan.layers.ada_augment import PIPELINES as ADA_PIPELINES
from keras_gan.layers.diff_augment import TRANSFORMS as DIFFAUGMENT_TRANSFORMS
from keras_gan.models.dcgan_discriminator import CONDITIONINGS
from keras_gan.models.labels import LABEL_DISTRIBUTIONS

IMAGE_MODELS = (
    "mlp",
    "dcgan",
    "paper_cifar10_fc",
    "paper_cifar10_conv",
    "infogan",
    "resnet",
    "biggan",
    "stylegan2",
)
STYLEGAN2_D_ARCHITECTURES = ("resnet", "orig")
# Token sequences (--dataset=text or text_oracle): maximum likelihood alone, the
# Gumbel-softmax GAN, SeqGAN, ARAE (a GAN of an autoencoder's codes).
TEXT_MODELS = ("mle", "gumbel_gan", "seqgan", "arae")
# The flags of --model=arae's GAN of codes: the MLP generator and maxout critic of
# --model=mlp, z, and the WGAN-GP penalty; the other text models refuse them.
ARAE_GAN_FLAGS = (
    "g_units",
    "d_units",
    "d_pieces",
    "d_input_dropout",
    "d_hidden_dropout",
    "latent_dim",
    "latent_distribution",
    "d_loss_weight",
    "gradient_penalty",
)
# The text discriminator's, the Gumbel GAN's and SeqGAN's flags, which --model=arae refuses.
TEXT_GAME_FLAGS = (
    "filters",
    "d_embedding_dim",
    "d_representations",
    "gumbel_max_inverse_temperature",
    "gumbel_schedule",
    "rollouts",
)
TEXT_SETS = ("text", "text_oracle")
GUMBEL_SCHEDULES = ("exp", "linear", "constant")
# --text_generator: G's recurrent cell, Texygen's LSTM or RelGAN's relational memory.
TEXT_GENERATORS = ("lstm", "relational_memory")
# Flags only text runs read; an image run refuses them rather than ignore them.
TEXT_ONLY = (
    "text_file",
    "text_test_file",
    "oracle_seed",
    "oracle_params",
    "embedding_dim",
    "lstm_units",
    "text_generator",
    "memory_slots",
    "memory_head_size",
    "memory_heads",
    "d_embedding_dim",
    "d_representations",
    "pretrain_epochs",
    "pretrain_batch_size",
    "pretrain_learning_rate",
    "g_init_stddev",
    "g_clipnorm",
    "code_noise",
    "gumbel_max_inverse_temperature",
    "gumbel_schedule",
    "rollouts",
    "d_pretrain_epochs",
    "rollout_update_rate",
    "text_temperatures",
    "text_eval_samples",
)
# Flags that size or shape one image family's networks, and the image models that read them;
# any other image model refuses them rather than ignore them. (--attention, --orthogonal_reg,
# the StyleGAN2 and InfoGAN flags are checked with their families; the 2014 CIFAR-10 pairs
# refuse PAPER_CIFAR10_FIXED with their own message.)
IMAGE_FAMILY_FLAGS = {
    "g_units": ("mlp",),
    "d_units": ("mlp",),
    "d_pieces": ("mlp",),
    "d_input_dropout": ("mlp",),
    "d_hidden_dropout": ("mlp",),
    "output_bias_from_data": ("mlp",),
    "filters": ("dcgan", "resnet", "biggan", "stylegan2"),
    "sync_batch_norm": ("dcgan", "biggan"),
    "shared_dim": ("biggan",),
    "info_categorical": ("infogan",),
    "info_continuous": ("infogan",),
    "info_weight": ("infogan",),
}
# --info_layers: the InfoGAN networks as the paper's appendix gives them, or with the
# paper's code's leaky slope and initialisers (openai/InfoGAN).
INFO_LAYERS = ("appendix", "openai_code")
MODELS = IMAGE_MODELS + TEXT_MODELS
# The 2014 CIFAR-10 pairs fix their networks; these flags would change them.
PAPER_CIFAR10_FIXED = ("g_units", "d_units", "d_pieces", "filters", "latent_dim")
OPTIMIZERS = ("adam", "sgd", "paper_sgd")
# --lr_decay: "" (constant), or the shape of the fall to 0 over the whole run.
LR_DECAYS = ("", "linear", "cosine")
# --jit_compile: Keras' own values of `Model.compile(jit_compile=...)`.
JIT_COMPILE = {"auto": "auto", "true": True, "false": False}
# --mixed_precision: Keras dtype policies (variables stay float32 in all three).
MIXED_PRECISION = ("float32", "mixed_bfloat16", "mixed_float16")
# --conv_weight_gradients: keras_gan.layers.strided_conv's modes.
CONV_WEIGHT_GRADIENTS = ("auto", "native", "dilated")
# --keep_best choices: the log entry each one watches (higher is better).
KEEP_BEST = {"validation_parzen": "eval_validation_parzen"}

# Flags a resumed run may change: how long it runs, where it reads data from,
# what hardware it uses. Every other field defines the run; a run directory
# refuses to continue under a config that differs in one of those.
RESUMABLE_CHANGES = frozenset(
    {
        "run_dir",
        "resume",
        "epochs",
        "export",
        "eval_every",
        # How many checkpoints to keep (more, to score each epoch after the run).
        "checkpoints_to_keep",
        "data_dir",
        "manual_dir",
        # Streaming reads the batches the in-memory pipeline gives, bit for bit.
        "stream",
        "strategy",
        "num_cpu_devices",
        "tpu",
        "steps_per_execution",
        "jit_compile",
        # Variables are float32 under every policy; only the compute dtype changes.
        "mixed_precision",
        # The same function summed in another order.
        "conv_weight_gradients",
    }
)


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """A training run: data, model, game, optimizers, run length, outputs.

    Field names are the flag names of `scripts/train.py`; `validate` gives the
    errors a user sees for bad flags, naming the flag and the value received.
    """

    run_dir: str = ""
    # Data.
    dataset: str = "ring"
    data_dir: str = ""
    manual_dir: str = ""
    split: str = "train"
    validation_split: str = ""
    stream: bool = False
    num_samples: int = 50000
    # Model.
    model: str = "mlp"
    latent_dim: int = 100
    latent_distribution: str = "uniform"
    g_units: tuple = (1200, 1200)
    d_units: tuple = (240, 240)
    d_pieces: int = 5
    d_input_dropout: float = 0.2
    d_hidden_dropout: float = 0.5
    filters: int = 64
    output_bias_from_data: bool = False
    sync_batch_norm: bool = False
    spectral_norm: bool = False
    attention: int = 0
    shared_dim: int = 128
    orthogonal_reg: float = 0.0
    mapping_layers: int = 8
    channel_base: int = 0
    mbstd_group_size: int = 4
    d_architecture: str = "resnet"
    style_mixing: float = 0.0
    path_length_weight: float = 0.0
    conditional: bool = False
    label_distribution: str = "data"
    auxiliary_classifier: float = 0.0
    conditioning: str = ""
    bigan: bool = False
    info_categorical: tuple = (10,)
    info_continuous: int = 2
    info_weight: float = 1.0
    info_noise_limit: float = 0.0
    info_layers: str = "appendix"
    gcn: float = 0.0
    # Text (--dataset=text or text_oracle).
    text_file: str = ""
    text_test_file: str = ""
    oracle_seed: int = 0
    oracle_params: str = ""
    embedding_dim: int = 32
    lstm_units: int = 32
    text_generator: str = "lstm"
    memory_slots: int = 1
    memory_head_size: int = 256
    memory_heads: int = 2
    d_embedding_dim: int = 64
    d_representations: int = 1
    pretrain_epochs: int = 0
    pretrain_batch_size: int = 64
    pretrain_learning_rate: float = 1e-2
    g_init_stddev: float = 0.0
    g_clipnorm: float = 0.0
    code_noise: float = 0.1
    gumbel_max_inverse_temperature: float = 100.0
    gumbel_schedule: str = "exp"
    rollouts: int = 16
    d_pretrain_epochs: int = 0
    rollout_update_rate: float = 0.0
    text_temperatures: tuple = (1.0,)
    text_eval_samples: int = 2000
    # The game.
    loss: str = "non_saturating"
    d_steps: int = 1
    simultaneous_updates: bool = False
    d_loss_weight: float = 1.0
    gradient_penalty: float = 0.0
    r1_gamma: float = 0.0
    r2_gamma: float = 0.0
    penalty_every: int = 1
    ema: float = 0.0
    ema_rampup: float = 0.0
    sample_from_ema: bool = True
    diffaugment: str = ""
    ada_augment: str = ""
    ada_target: float = 0.0
    logan_alpha: float = 0.0
    logan_beta: float = 5.0
    logan_rate: float = 1.0
    mixture_components: int = 0
    # Optimizers.
    optimizer: str = "adam"
    d_learning_rate: float = 2e-4
    g_learning_rate: float = 2e-4
    lr_decay: str = ""
    beta_1: float = 0.5
    beta_2: float = 0.999
    momentum: float = 0.0
    # Run length and randomness.
    batch_size: int = 100
    epochs: int = 1
    steps: int = 0
    seed: int = 0
    # Hardware.
    strategy: str = "default"
    num_cpu_devices: int = 0
    tpu: str = ""
    steps_per_execution: int = 1
    jit_compile: str = "auto"
    mixed_precision: str = "float32"
    conv_weight_gradients: str = "auto"
    # Outputs.
    eval_every: int = 0
    keep_best: str = ""
    export: bool = True
    resume: bool = False
    checkpoints_to_keep: int = 3

    def __post_init__(self):
        # Lists from flags become tuples, so configs compare and hash by value.
        for name in ("g_units", "d_units", "info_categorical", "text_temperatures"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def validate(self):
        """Returns self, or raises `ValueError` naming the first bad flag."""
        if not self.run_dir:
            _fail("run_dir", self.run_dir, "is required: the folder the run writes to")
        known = sorted(SYNTHETIC) + list(FILE_SETS)
        if not self.dataset:
            _fail("dataset", self.dataset, f"is required: one of {known} or a TFDS name")
        if self.dataset in FILE_SETS and not self.data_dir:
            _fail("data_dir", self.data_dir, f"is required with --dataset={self.dataset}")
        _choice("model", self.model, MODELS)
        self._validate_data_flags()
        if self.dataset in TEXT_SETS or self.model in TEXT_MODELS:
            self._validate_text()
        else:
            defaults = TrainConfig()
            for name in TEXT_ONLY:
                if getattr(self, name) != getattr(defaults, name):
                    _fail(
                        name,
                        getattr(self, name),
                        "applies to text runs only (--dataset=text or text_oracle; received "
                        f"--dataset={self.dataset})",
                    )
        _choice("latent_distribution", self.latent_distribution, LATENT_DISTRIBUTIONS)
        _choice("loss", self.loss, gan_losses.names())
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        _choice("lr_decay", self.lr_decay, LR_DECAYS)
        if self.lr_decay and self.optimizer == "paper_sgd":
            _fail("lr_decay", self.lr_decay, "cannot be used with --optimizer=paper_sgd")
        _choice("label_distribution", self.label_distribution, LABEL_DISTRIBUTIONS)
        if self.label_distribution != "data" and not self.conditional:
            _fail("label_distribution", self.label_distribution, "needs --conditional")
        if (
            self.conditional
            and self.dataset in SYNTHETIC
            and self.dataset not in (LABELLED_SYNTHETIC)
        ):
            _fail(
                "dataset",
                self.dataset,
                "has no classes for --conditional; the labelled synthetic sets are "
                + ", ".join(sorted(LABELLED_SYNTHETIC)),
            )
        if not (math.isfinite(self.auxiliary_classifier) and self.auxiliary_classifier >= 0):
            _fail(
                "auxiliary_classifier", self.auxiliary_classifier, "must be a number >= 0 (0: off)"
            )
        if self.auxiliary_classifier and not (self.conditional and self.model == "dcgan"):
            _fail(
                "auxiliary_classifier",
                self.auxiliary_classifier,
                "needs --conditional and --model=dcgan (its discriminator has the class head)",
            )
        self._validate_conditioning()
        if self.bigan:
            self._validate_bigan()
        if self.model.startswith("paper_cifar10"):
            self._validate_paper_cifar10()
        if self.model == "infogan":
            self._validate_infogan()
        else:
            for name, off in (("info_noise_limit", 0.0), ("info_layers", "appendix")):
                if getattr(self, name) != off:
                    _fail(name, getattr(self, name), "needs --model=infogan")
        if self.model in ("resnet", "biggan", "stylegan2") and self.bigan:
            _fail(
                "bigan", self.bigan, f"cannot be used with --model={self.model} (it has no encoder)"
            )
        self._validate_resnets()
        self._validate_stylegan2()
        if self.model in IMAGE_MODELS:
            self._validate_family_flags()
        if not (math.isfinite(self.gcn) and self.gcn >= 0):
            _fail("gcn", self.gcn, "must be a number >= 0 (0: off; the paper's CIFAR-10: 55)")
        if self.gcn:
            self._validate_gcn()
        if self.stream:
            self._validate_stream()
        if self.conditional and self.simultaneous_updates and self.label_distribution != "data":
            _fail(
                "label_distribution",
                self.label_distribution,
                "must be data with --simultaneous_updates (one fake batch, the real labels)",
            )
        _choice("strategy", self.strategy, STRATEGY_NAMES)
        _choice("jit_compile", self.jit_compile, JIT_COMPILE)
        _choice("mixed_precision", self.mixed_precision, MIXED_PRECISION)
        _choice("conv_weight_gradients", self.conv_weight_gradients, CONV_WEIGHT_GRADIENTS)
        for name in (
            "latent_dim",
            "d_pieces",
            "filters",
            "d_steps",
            "batch_size",
            "epochs",
            "num_samples",
            "steps_per_execution",
            "checkpoints_to_keep",
            "penalty_every",
        ):
            _at_least(name, getattr(self, name), 1)
        for name in ("steps", "num_cpu_devices", "eval_every"):
            _at_least(name, getattr(self, name), 0)
        for name in ("g_units", "d_units"):
            units = getattr(self, name)
            if not units or any(not isinstance(u, int) or u < 1 for u in units):
                _fail(name, ",".join(map(str, units)), "must be positive integers, e.g. 128,128")
        for name in ("d_input_dropout", "d_hidden_dropout"):
            if not 0.0 <= getattr(self, name) < 1.0:
                _fail(name, getattr(self, name), "must be in [0, 1)")
        for name in ("d_learning_rate", "g_learning_rate", "d_loss_weight"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                _fail(name, value, "must be a positive number")
        for name in ("gradient_penalty", "r1_gamma", "r2_gamma"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                _fail(name, value, "must be a number >= 0 (0: off)")
        if not 0.0 <= self.ema < 1.0:
            _fail("ema", self.ema, "is the decay of G's weight average: in [0, 1) (0: off)")
        if not (math.isfinite(self.ema_rampup) and self.ema_rampup >= 0):
            _fail("ema_rampup", self.ema_rampup, "must be a number >= 0 (0: off)")
        if self.ema_rampup and not self.ema:
            _fail("ema_rampup", self.ema_rampup, "needs --ema (the decay after the ramp)")
        if self.diffaugment:
            unknown = [t for t in self.diffaugment.split(",") if t not in DIFFAUGMENT_TRANSFORMS]
            if unknown:
                _fail(
                    "diffaugment",
                    self.diffaugment,
                    f"must be comma-separated transforms among {', '.join(DIFFAUGMENT_TRANSFORMS)}",
                )
        if not -1.0 < self.ada_target < 1.0:
            _fail("ada_target", self.ada_target, "must be in (-1, 1) (0: off)")
        if self.ada_augment:
            _choice("ada_augment", self.ada_augment, ADA_PIPELINES)
            if self.diffaugment:
                _fail("ada_augment", self.ada_augment, "cannot be used with --diffaugment")
            if not self.ada_target:
                _fail("ada_augment", self.ada_augment, "needs --ada_target (ADA steers its p)")
        if self.ada_target and not (self.diffaugment or self.ada_augment):
            _fail(
                "ada_target",
                self.ada_target,
                "needs --diffaugment or --ada_augment (the transforms it adapts)",
            )
        if not (math.isfinite(self.logan_alpha) and self.logan_alpha >= 0):
            _fail("logan_alpha", self.logan_alpha, "must be a number >= 0 (0: off)")
        if self.logan_alpha:
            if not (math.isfinite(self.logan_beta) and self.logan_beta > 0):
                _fail("logan_beta", self.logan_beta, "must be a number > 0")
            if not 0 < self.logan_rate <= 1:
                _fail("logan_rate", self.logan_rate, "must be in (0, 1]")
            for name in ("bigan",):
                if getattr(self, name):
                    _fail("logan_alpha", self.logan_alpha, f"cannot be used with --{name}")
            if self.model == "infogan":
                _fail("logan_alpha", self.logan_alpha, "cannot be used with --model=infogan")
        self._validate_mixture()
        for name in ("beta_1", "beta_2", "momentum"):
            if not 0.0 <= getattr(self, name) < 1.0:
                _fail(name, getattr(self, name), "must be in [0, 1)")
        # Each optimizer's own settings; paper_sgd ramps its momentum on its own schedule.
        readers = {"beta_1": "adam", "beta_2": "adam", "momentum": "sgd"}
        for name, optimizer in readers.items():
            if self.optimizer != optimizer and getattr(self, name) != getattr(TrainConfig, name):
                _fail(
                    name,
                    getattr(self, name),
                    f"is read by --optimizer={optimizer} only (received "
                    f"--optimizer={self.optimizer})",
                )
        if self.simultaneous_updates and self.d_steps != 1:
            _fail("d_steps", self.d_steps, "must be 1 with --simultaneous_updates")
        if self.keep_best:
            self._validate_keep_best(known)
        elif self.validation_split:
            _fail("validation_split", self.validation_split, "is read only with --keep_best")
        if self.num_cpu_devices and self.strategy != "mirrored":
            _fail("num_cpu_devices", self.num_cpu_devices, "needs --strategy=mirrored")
        if self.jit_compile == "true" and self.strategy in ("mirrored", "multi_worker", "tpu"):
            # XLA cannot read a variable mirrored on another device (TensorFlow's
            # known issue), which is why Keras' "auto" turns it off under a strategy.
            _fail(
                "jit_compile",
                self.jit_compile,
                f"cannot be used with --strategy={self.strategy}: XLA cannot read variables "
                "mirrored on other devices; use --jit_compile=auto (off under a strategy)",
            )
        if self.batch_size % self.d_steps:
            _fail(
                "batch_size",
                self.batch_size,
                f"must be a multiple of --d_steps={self.d_steps}: each batch is split "
                "into d_steps discriminator minibatches",
            )
        return self

    def _validate_text(self):
        """Token sequences: the text models on the text sets, and no flag that reads pixels."""
        if self.dataset not in TEXT_SETS:
            _fail(
                "model",
                self.model,
                f"models token sequences: it needs --dataset=text or text_oracle (received "
                f"--dataset={self.dataset})",
            )
        if self.model not in TEXT_MODELS:
            _fail(
                "model",
                self.model,
                f"must be one of {', '.join(TEXT_MODELS)} with --dataset={self.dataset}",
            )
        if self.oracle_params and self.dataset != "text_oracle":
            _fail(
                "oracle_params",
                self.oracle_params,
                f"is read only with --dataset=text_oracle (received --dataset={self.dataset})",
            )
        if self.dataset == "text" and not self.text_file:
            _fail("text_file", self.text_file, "is required with --dataset=text")
        if self.dataset == "text_oracle" and (self.text_file or self.text_test_file):
            _fail(
                "text_file" if self.text_file else "text_test_file",
                self.text_file or self.text_test_file,
                "is read only with --dataset=text (the oracle makes its own sequences)",
            )
        image_only = {
            "conditional": self.conditional,
            "bigan": self.bigan,
            "gcn": self.gcn,
            "stream": self.stream,
            "eval_every": self.eval_every,
            "keep_best": self.keep_best,
            "diffaugment": self.diffaugment,
            "ada_augment": self.ada_augment,
            "output_bias_from_data": self.output_bias_from_data,
            "logan_alpha": self.logan_alpha,
            "mixture_components": self.mixture_components,
            "simultaneous_updates": self.simultaneous_updates,
            "gradient_penalty": self.gradient_penalty,
            "r1_gamma": self.r1_gamma,
            "r2_gamma": self.r2_gamma,
            "ema": self.ema,
        }
        arae = self.model == "arae"
        for name, value in image_only.items():
            if value and not (arae and name in ARAE_GAN_FLAGS):
                _fail(name, value, f"cannot be used with --dataset={self.dataset}")
        defaults = TrainConfig()
        # The image networks' sizes and z's shape: a text G draws its own Gumbel noise;
        # ARAE's GAN of codes reads --model=mlp's.
        unread = [name for name in IMAGE_FAMILY_FLAGS if name != "filters"]
        for name in (*unread, "latent_dim", "latent_distribution", "d_loss_weight"):
            value = getattr(self, name)
            if value == getattr(defaults, name) or (arae and name in ARAE_GAN_FLAGS):
                continue
            if name in ARAE_GAN_FLAGS:
                _fail(
                    name,
                    value,
                    f"is read by no text model but --model=arae's GAN of codes (received "
                    f"--model={self.model})",
                )
            _fail(name, value, f"is not read by text runs (received --dataset={self.dataset})")
        unread = TEXT_GAME_FLAGS + ("text_generator",) if arae else ("code_noise",)
        for name in unread:
            if getattr(self, name) != getattr(defaults, name):
                _fail(
                    name,
                    getattr(self, name),
                    "is not read by --model=arae (an LSTM autoencoder and a GAN of its codes)"
                    if arae
                    else f"applies to --model=arae only (--model={self.model})",
                )
        if not (math.isfinite(self.code_noise) and self.code_noise >= 0):
            _fail("code_noise", self.code_noise, "must be a number >= 0 (ARAE: 0.1), 0 for none")
        for name in ("strategy", "mixed_precision", "jit_compile", "steps_per_execution"):
            if getattr(self, name) != getattr(defaults, name):
                _fail(
                    name,
                    getattr(self, name),
                    "is not available for text runs yet (their steps are tested on one device, "
                    "in float32, without XLA)",
                )
        if self.optimizer != "adam" or self.lr_decay:
            name = "optimizer" if self.optimizer != "adam" else "lr_decay"
            _fail(name, getattr(self, name), "is not available for text runs (they use Adam)")
        for name in (
            "embedding_dim",
            "lstm_units",
            "memory_slots",
            "memory_head_size",
            "memory_heads",
            "d_embedding_dim",
            "d_representations",
            "rollouts",
            "pretrain_batch_size",
        ):
            _at_least(name, getattr(self, name), 1)
        self._validate_text_networks()
        for name in ("pretrain_epochs", "text_eval_samples", "d_pretrain_epochs"):
            _at_least(name, getattr(self, name), 0)
        for name in ("d_pretrain_epochs", "rollout_update_rate"):
            if getattr(self, name) and self.model != "seqgan":
                _fail(
                    name,
                    getattr(self, name),
                    f"applies to --model=seqgan only (--model={self.model})",
                )
        if not 0 <= self.rollout_update_rate < 1:
            _fail(
                "rollout_update_rate", self.rollout_update_rate, "must be in [0, 1) (SeqGAN: 0.8)"
            )
        if not (math.isfinite(self.pretrain_learning_rate) and self.pretrain_learning_rate > 0):
            _fail("pretrain_learning_rate", self.pretrain_learning_rate, "must be > 0")
        for name, example in (("g_init_stddev", "SeqGAN: 0.1"), ("g_clipnorm", "SeqGAN: 5")):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                _fail(name, value, f"must be a number >= 0, 0 for off ({example})")
        if not self.gumbel_max_inverse_temperature >= 1:
            _fail(
                "gumbel_max_inverse_temperature",
                self.gumbel_max_inverse_temperature,
                "must be a number >= 1 (RelGAN: 100 or 1000)",
            )
        _choice("gumbel_schedule", self.gumbel_schedule, GUMBEL_SCHEDULES)
        temperatures = self.text_temperatures
        if not temperatures or not all(
            isinstance(t, float) and math.isfinite(t) and t > 0 for t in temperatures
        ):
            _fail(
                "text_temperatures",
                ",".join(map(str, temperatures)),
                "must be numbers > 0, e.g. 0.8,0.9,1.0",
            )

    def _validate_text_networks(self):
        """G's cell and its sizes agree; D's representations divide its embedding."""
        _choice("text_generator", self.text_generator, TEXT_GENERATORS)
        defaults = TrainConfig()
        other = "lstm" if self.text_generator == "relational_memory" else "relational_memory"
        names = (
            ("lstm_units",)
            if other == "lstm"
            else ("memory_slots", "memory_head_size", "memory_heads")
        )
        for name in names:
            if getattr(self, name) != getattr(defaults, name):
                _fail(
                    name,
                    getattr(self, name),
                    f"sizes --text_generator={other} (received "
                    f"--text_generator={self.text_generator})",
                )
        if self.g_init_stddev and self.text_generator != "lstm":
            _fail(
                "g_init_stddev",
                self.g_init_stddev,
                "initialises the LSTM generator (SeqGAN's); the relational memory keeps its own "
                f"(received --text_generator={self.text_generator})",
            )
        if self.d_embedding_dim % self.d_representations:
            _fail(
                "d_representations",
                self.d_representations,
                f"must divide --d_embedding_dim={self.d_embedding_dim} (each representation "
                "is a slice of D's embedding)",
            )

    def _validate_mixture(self):
        """DeLiGAN's prior sits in front of an unconditional G of the plain game."""
        _at_least("mixture_components", self.mixture_components, 0)
        if not self.mixture_components:
            return
        excluded = {
            "conditional": self.conditional,
            "bigan": self.bigan,
            "logan_alpha": self.logan_alpha,  # it would move the one-hot component codes
        }
        for name, value in excluded.items():
            if value:
                _fail(
                    "mixture_components", self.mixture_components, f"cannot be used with --{name}"
                )
        if self.model == "infogan" or self.model.startswith("paper_cifar10"):
            _fail(
                "mixture_components",
                self.mixture_components,
                f"cannot be used with --model={self.model} (its z is fixed)",
            )

    def _validate_bigan(self):
        """BiGAN's D judges (sample, code) pairs: the options written for a D of samples
        alone (labels, penalties, augmentation, one shared fake batch) do not apply."""
        excluded = {
            "conditional": self.conditional,
            "simultaneous_updates": self.simultaneous_updates,
            "gradient_penalty": self.gradient_penalty,
            "r1_gamma": self.r1_gamma,
            "r2_gamma": self.r2_gamma,
            "diffaugment": self.diffaugment,
            "ada_augment": self.ada_augment,
        }
        for name, value in excluded.items():
            if value:
                _fail(name, value, "cannot be used with --bigan (its D judges (x, z) pairs)")

    def _validate_paper_cifar10(self):
        """The 2014 CIFAR-10 pairs are fixed networks of one unconditional game."""
        defaults = TrainConfig()
        for name in PAPER_CIFAR10_FIXED:
            if getattr(self, name) != getattr(defaults, name) and not (
                name == "latent_dim" and self.latent_dim == 100
            ):
                value = getattr(self, name)
                _fail(
                    name,
                    value,
                    f"is fixed by --model={self.model} (the 2014 networks)",
                )
        for name in ("conditional", "bigan", "spectral_norm", "output_bias_from_data"):
            if getattr(self, name):
                _fail(name, getattr(self, name), f"cannot be used with --model={self.model}")

    def _validate_data_flags(self):
        """--num_samples and --split are refused by a data set that would ignore them."""
        sized = sorted(SYNTHETIC) + ["text_oracle"]
        if self.dataset not in sized and self.num_samples != TrainConfig.num_samples:
            _fail(
                "num_samples",
                self.num_samples,
                f"sizes the data of --dataset={' or '.join(sized)} only; --dataset="
                f"{self.dataset} reads its own files and would ignore it",
            )
        unsplit = sorted(SYNTHETIC) + list(FILE_SETS) + list(TEXT_SETS)
        if self.dataset in unsplit and self.split != TrainConfig.split:
            _fail(
                "split",
                self.split,
                f"picks a part of a TFDS data set (or of CIFAR-10's .npz files); --dataset="
                f"{self.dataset} has no splits and would ignore it",
            )

    def _validate_family_flags(self):
        """An image model refuses another family's network flags rather than ignore them."""
        for name, readers in IMAGE_FAMILY_FLAGS.items():
            value = getattr(self, name)
            if self.model not in readers and value != getattr(TrainConfig, name):
                _fail(
                    name,
                    value,
                    f"is read by --model={' or '.join(readers)} only; --model={self.model} "
                    "would ignore it",
                )

    def _validate_resnets(self):
        """The ResNet families' own flags: attention (both), BigGAN's embedding and
        orthogonal regularisation."""
        if self.attention < 0:
            _fail("attention", self.attention, "must be a side in pixels, or 0 (off)")
        if self.attention and self.model not in ("resnet", "biggan"):
            _fail("attention", self.attention, "needs --model=resnet or --model=biggan")
        if not (math.isfinite(self.orthogonal_reg) and self.orthogonal_reg >= 0):
            _fail("orthogonal_reg", self.orthogonal_reg, "must be a number >= 0 (0: off)")
        if self.orthogonal_reg and self.model != "biggan":
            _fail("orthogonal_reg", self.orthogonal_reg, "needs --model=biggan")
        if self.shared_dim < 1:
            _fail("shared_dim", self.shared_dim, "must be >= 1")

    def _validate_stylegan2(self):
        """StyleGAN2's own flags: only with --model=stylegan2, each in its range."""
        if self.model != "stylegan2":
            for name in (
                "mapping_layers",
                "channel_base",
                "mbstd_group_size",
                "d_architecture",
                "style_mixing",
                "path_length_weight",
            ):
                if getattr(self, name) != getattr(TrainConfig, name):
                    _fail(name, getattr(self, name), "needs --model=stylegan2")
            return
        if self.mapping_layers < 1:
            _fail("mapping_layers", self.mapping_layers, "must be >= 1 (StyleGAN2: 8)")
        if self.channel_base < 0:
            _fail("channel_base", self.channel_base, "must be >= 0 (0: 64 x --filters)")
        if self.mbstd_group_size < 1:
            _fail("mbstd_group_size", self.mbstd_group_size, "must be >= 1 (StyleGAN2: 4)")
        if self.batch_size % min(self.mbstd_group_size, self.batch_size):
            _fail(
                "mbstd_group_size",
                self.mbstd_group_size,
                f"must divide --batch_size={self.batch_size} (or exceed it)",
            )
        _choice("d_architecture", self.d_architecture, STYLEGAN2_D_ARCHITECTURES)
        if not 0.0 <= self.style_mixing <= 1.0:
            _fail("style_mixing", self.style_mixing, "must be a probability in [0, 1]")
        if not (math.isfinite(self.path_length_weight) and self.path_length_weight >= 0):
            _fail("path_length_weight", self.path_length_weight, "must be a number >= 0 (0: off)")
        if self.spectral_norm:
            _fail(
                "spectral_norm",
                self.spectral_norm,
                "cannot be used with --model=stylegan2 (its D is regularised by R1: --r1_gamma)",
            )

    def _validate_infogan(self):
        """InfoGAN's codes: unconditional, alternating steps, images in [0, 1]."""
        if not all(isinstance(c, int) and c >= 2 for c in self.info_categorical):
            _fail(
                "info_categorical",
                ",".join(map(str, self.info_categorical)),
                "must list integers >= 2, the categories of each categorical code",
            )
        if self.info_continuous < 0:
            _fail("info_continuous", self.info_continuous, "must be >= 0")
        if not self.info_categorical and not self.info_continuous:
            _fail("info_continuous", 0, "or --info_categorical must give InfoGAN a code")
        if not (math.isfinite(self.info_weight) and self.info_weight >= 0):
            _fail("info_weight", self.info_weight, "must be a number >= 0")
        if self.info_noise_limit and not (
            math.isfinite(self.info_noise_limit) and self.info_noise_limit > 0
        ):
            _fail("info_noise_limit", self.info_noise_limit, "must be a number > 0, or 0 for none")
        _choice("info_layers", self.info_layers, INFO_LAYERS)
        if self.info_noise_limit and self.latent_distribution != "uniform":
            _fail(
                "info_noise_limit",
                self.info_noise_limit,
                "bounds uniform noise and needs --latent_distribution=uniform "
                f"(received --latent_distribution={self.latent_distribution})",
            )
        for name in ("conditional", "bigan", "simultaneous_updates", "gcn", "spectral_norm"):
            if getattr(self, name):
                _fail(name, getattr(self, name), "cannot be used with --model=infogan")

    def _validate_gcn(self):
        """Contrast-normalised samples are not images in [0, 1]: what reads pixels refuses."""
        excluded = {
            "export": self.export,  # the served PNGs and [0, 1] contract
            "eval_every": self.eval_every,  # the quality metrics read pixels
            "bigan": self.bigan,
            "output_bias_from_data": self.output_bias_from_data,
            "diffaugment": self.diffaugment,
            "ada_augment": self.ada_augment,
        }
        for name, value in excluded.items():
            if value:
                _fail(
                    name,
                    value,
                    f"cannot be used with --gcn={self.gcn}: contrast-normalised samples are "
                    "not pixels in [0, 1]" + (" (add --noexport)" if name == "export" else ""),
                )

    def _validate_stream(self):
        """Streaming reads image files; what needs all the data in memory refuses."""
        if self.dataset in SYNTHETIC or self.dataset == "npz":
            _fail(
                "dataset",
                self.dataset,
                "must be folder or a TFDS name with --stream (synthetic sets and .npz files "
                "are made or read whole in memory)",
            )
        for name in ("gcn", "output_bias_from_data"):
            if getattr(self, name):
                _fail(
                    name,
                    getattr(self, name),
                    "cannot be used with --stream: it needs a statistic of all the images",
                )

    def _validate_keep_best(self, known):
        _choice("keep_best", self.keep_best, KEEP_BEST)
        if not self.eval_every:
            _fail("eval_every", self.eval_every, "must be >= 1 with --keep_best (how often)")
        if self.dataset in known:
            _fail("dataset", self.dataset, "must be a TFDS name with --keep_best (held-out split)")
        if not self.validation_split:
            _fail(
                "validation_split",
                self.validation_split,
                "is required with --keep_best: held-out data, e.g. train[50000:51000]",
            )

    def _validate_conditioning(self):
        """--conditioning names how the DCGAN discriminator reads the class."""
        if not self.conditioning:
            return
        _choice("conditioning", self.conditioning, CONDITIONINGS)
        if not (self.conditional and self.model == "dcgan"):
            _fail("conditioning", self.conditioning, "needs --conditional and --model=dcgan")
        has_head = self.conditioning.endswith("auxiliary_classifier")
        if has_head and not self.auxiliary_classifier:
            _fail(
                "conditioning",
                self.conditioning,
                "has a class head, which needs the weight of its loss: --auxiliary_classifier > 0",
            )
        if not has_head and self.auxiliary_classifier:
            _fail(
                "conditioning",
                self.conditioning,
                f"has no class head for --auxiliary_classifier={self.auxiliary_classifier}; use "
                "auxiliary_classifier or projection_and_auxiliary_classifier",
            )

    def discriminator_conditioning(self):
        """The DCGAN discriminator's `conditioning`: the flag's, or by default a
        projection, or AC-GAN's class head alone with --auxiliary_classifier."""
        if self.conditioning:
            return self.conditioning
        return "auxiliary_classifier" if self.auxiliary_classifier else "projection"

    def to_dict(self):
        return {k: list(v) if isinstance(v, tuple) else v for k, v in vars(self).items()}

    @classmethod
    def from_dict(cls, values):
        """Builds a config from `to_dict` output; unknown keys are an error."""
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"Unknown config keys {unknown}. Received: {sorted(values)}")
        return cls(**values)

    def defining_differences(self, other):
        """Fields, other than run length and hardware, where `other` differs.

        With `lr_decay` the run length defines the run too: the schedule
        falls to 0 at the last step of the stored `epochs`.
        """
        mine, theirs = self.to_dict(), other.to_dict()
        resumable = RESUMABLE_CHANGES - {"epochs"} if self.lr_decay else RESUMABLE_CHANGES
        return {
            name: (theirs[name], mine[name])
            for name in mine
            if name not in resumable and mine[name] != theirs[name]
        }


def _fail(name, value, requirement):
    if isinstance(value, tuple):  # a list flag, as it is typed: 64,64
        value = ",".join(map(str, value))
    raise ValueError(f"--{name} {requirement}. Received: --{name}={value}")


def _choice(name, value, choices):
    if value not in choices:
        _fail(name, value, f"must be one of {', '.join(sorted(choices))}")


def _at_least(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _fail(name, value, f"must be an integer >= {minimum}")
