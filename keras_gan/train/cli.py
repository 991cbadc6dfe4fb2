"""Command line of `scripts/train.py` and `keras-gan-train`: absl flags -> `train`.

Flags are defined here, in a module `import keras_gan` never loads, so the
library itself never parses or reads flags.
"""

import dataclasses
import signal
import sys

from absl import app
from absl import flags
from absl import logging


def define_flags(flag_values=flags.FLAGS):
    """Defines the training flags, with `TrainConfig`'s defaults, on `flag_values`."""
    from keras_gan.train.config import TrainConfig

    d = TrainConfig()
    fv = {"flag_values": flag_values}

    # Run.
    flags.DEFINE_string(
        "run_dir", d.run_dir, "Folder for everything the run writes (required).", **fv
    )
    flags.DEFINE_bool(
        "resume", d.resume, "Continue the run in --run_dir from its last checkpoint.", **fv
    )
    flags.DEFINE_integer(
        "eval_every", d.eval_every, "Epochs between quick quality checks (0: none).", **fv
    )
    flags.DEFINE_string(
        "keep_best",
        d.keep_best,
        "Also keep the checkpoint with the best value of this --eval_every metric, in "
        "RUN_DIR/best: validation_parzen (the paper's Parzen estimate on --validation_split).",
        **fv,
    )
    flags.DEFINE_bool("export", d.export, "Export the generator as a SavedModel at the end.", **fv)
    flags.DEFINE_integer(
        "checkpoints_to_keep", d.checkpoints_to_keep, "Newest checkpoints kept.", **fv
    )
    # Data.
    flags.DEFINE_string(
        "dataset",
        d.dataset,
        "ring, grid, gaussian_1d (synthetic); folder (images under --data_dir); npz "
        "(the .npz files --data_dir names: a file, a folder of them, or a comma-separated "
        "list); text (sentences in --text_file) or text_oracle (the synthetic oracle's "
        "sequences); or a tensorflow-datasets name (mnist, cifar10, ...).",
        **fv,
    )
    flags.DEFINE_string(
        "data_dir", d.data_dir, "Image folder / .npz files, or TFDS's data directory.", **fv
    )
    flags.DEFINE_string(
        "manual_dir",
        d.manual_dir,
        "Folder of a TFDS data set's original files (offline); for cifar10 it may hold "
        "train_part1.npz, train_part2.npz and test.npz instead (read without TFDS).",
        **fv,
    )
    flags.DEFINE_string("split", d.split, "TFDS split, e.g. train or train[:50000].", **fv)
    flags.DEFINE_bool(
        "stream",
        d.stream,
        "--dataset=folder: decode each image when its batch is due instead of loading the "
        "folder into memory (data larger than memory). The same batches in the same order, "
        "so a run may switch at --resume; with several workers each reads only its share.",
        **fv,
    )
    flags.DEFINE_string(
        "validation_split",
        d.validation_split,
        "TFDS split held out for --keep_best, e.g. train[50000:51000].",
        **fv,
    )
    flags.DEFINE_integer("num_samples", d.num_samples, "Size of a synthetic data set.", **fv)
    # Model.
    flags.DEFINE_string(
        "model",
        d.model,
        "mlp (the paper's MLP/maxout pair), dcgan, the paper's CIFAR-10 pairs "
        "paper_cifar10_fc and paper_cifar10_conv (fixed 2014 networks for 32x32x3 images), "
        "infogan (the InfoGAN paper's MNIST nets; z = --latent_dim noise and the "
        "--info_categorical and --info_continuous codes), resnet (SNGAN's ResNet pair for "
        "32x32 images: D has --filters channels, G twice as many), biggan (BigGAN's G with "
        "hierarchical z and a shared class embedding, and the ResNet D; channels as resnet's) or "
        "stylegan2 (StyleGAN2's mapping network, modulated convolutions and skip G, and its D; "
        "--filters is the channel cap, 512 in the paper; --channel_base); "
        "for --dataset=text or text_oracle: mle (maximum likelihood alone), gumbel_gan (the "
        "Gumbel-softmax GAN), seqgan (REINFORCE with Monte-Carlo rollouts) or arae (ARAE in two "
        "stages: an LSTM autoencoder for --pretrain_epochs, then a GAN of its codes with "
        "mlp's generator and maxout critic, sized by --g_units, --d_units, --d_pieces).",
        **fv,
    )
    flags.DEFINE_integer("latent_dim", d.latent_dim, "Size of the noise vector z.", **fv)
    flags.DEFINE_string("latent_distribution", d.latent_distribution, "uniform or normal.", **fv)
    flags.DEFINE_list("g_units", list(map(str, d.g_units)), "mlp: generator hidden units.", **fv)
    flags.DEFINE_list("d_units", list(map(str, d.d_units)), "mlp: maxout units per layer.", **fv)
    flags.DEFINE_integer("d_pieces", d.d_pieces, "mlp: pieces per maxout unit.", **fv)
    flags.DEFINE_float("d_input_dropout", d.d_input_dropout, "mlp: dropout on D's input.", **fv)
    flags.DEFINE_float("d_hidden_dropout", d.d_hidden_dropout, "mlp: dropout in D's layers.", **fv)
    flags.DEFINE_integer("filters", d.filters, "dcgan: filters of the first/last conv layer.", **fv)
    flags.DEFINE_bool(
        "output_bias_from_data",
        d.output_bias_from_data,
        "mlp: G's output bias from data means.",
        **fv,
    )
    flags.DEFINE_bool(
        "sync_batch_norm",
        d.sync_batch_norm,
        "dcgan, biggan: G's BatchNorm synced across replicas.",
        **fv,
    )
    flags.DEFINE_bool(
        "spectral_norm", d.spectral_norm, "Spectral normalisation of D's layers (SN-GAN).", **fv
    )
    flags.DEFINE_integer(
        "attention",
        d.attention,
        "resnet, biggan: self-attention after the block that makes maps of this side "
        "(BigGAN's CIFAR-10: 16; in D for resnet, in G and D for biggan); 0: none.",
        **fv,
    )
    flags.DEFINE_integer(
        "shared_dim", d.shared_dim, "biggan: size of G's shared class embedding.", **fv
    )
    flags.DEFINE_float(
        "orthogonal_reg",
        d.orthogonal_reg,
        "biggan: beta of BigGAN's orthogonal regularisation of G's kernels (paper: 1e-4; "
        "0: off, as the reference codes train CIFAR-10).",
        **fv,
    )
    flags.DEFINE_integer(
        "mapping_layers",
        d.mapping_layers,
        "stylegan2: dense layers of G's mapping network (StyleGAN2: 8; its CIFAR-10: 2).",
        **fv,
    )
    flags.DEFINE_integer(
        "channel_base",
        d.channel_base,
        "stylegan2: channels at side s are min(channel_base / s, --filters) (StyleGAN2: 32768 "
        "at 1024 pixels and on CIFAR-10, 16384 below 512 pixels); 0: 64 x --filters.",
        **fv,
    )
    flags.DEFINE_integer(
        "mbstd_group_size",
        d.mbstd_group_size,
        "stylegan2: D's minibatch standard deviation group (StyleGAN2: 4; its CIFAR-10: 32).",
        **fv,
    )
    flags.DEFINE_string(
        "d_architecture",
        d.d_architecture,
        "stylegan2: D's blocks, resnet (StyleGAN2) or orig (no skip path; its CIFAR-10).",
        **fv,
    )
    flags.DEFINE_float(
        "style_mixing",
        d.style_mixing,
        "stylegan2: probability of mixing two z's styles in training (StyleGAN2: 0.9; "
        "its CIFAR-10: 0).",
        **fv,
    )
    flags.DEFINE_float(
        "path_length_weight",
        d.path_length_weight,
        "stylegan2: weight of path length regularisation of G, applied every 4th G update "
        "(StyleGAN2: 2; its CIFAR-10: 0, off).",
        **fv,
    )
    flags.DEFINE_bool(
        "conditional",
        d.conditional,
        "Model p(x | class) from the data's labels: TFDS's label, a folder's class subfolders, "
        "an .npz's y, the ring's or grid's mode. mlp: label embeddings; dcgan: class-"
        "conditional batch norm in G, a projection D.",
        **fv,
    )
    flags.DEFINE_bool(
        "bigan",
        d.bigan,
        "Train a BiGAN (Donahue et al. 2017): an encoder E with G, and a D that judges "
        "(x, E(x)) against (G(z), z); the model's own E (mlp: MLP; dcgan: convolutional).",
        **fv,
    )
    flags.DEFINE_list(
        "info_categorical",
        list(map(str, d.info_categorical)),
        "--model=infogan: the categories of each categorical code (e.g. 10).",
        **fv,
    )
    flags.DEFINE_integer(
        "info_continuous",
        d.info_continuous,
        "--model=infogan: how many continuous codes, each uniform on [-1, 1].",
        **fv,
    )
    flags.DEFINE_float(
        "info_weight",
        d.info_weight,
        "--model=infogan: lambda, the weight of the mutual-information term for G and D/Q.",
        **fv,
    )
    flags.DEFINE_float(
        "info_noise_limit",
        d.info_noise_limit,
        "--model=infogan with --latent_distribution=uniform: draw the noise on [-limit, limit] "
        "(1 is the InfoGAN paper's code); 0 keeps the unit-variance [-sqrt(3), sqrt(3)].",
        **fv,
    )
    flags.DEFINE_string(
        "info_layers",
        d.info_layers,
        "--model=infogan: appendix (leaky ReLU 0.1, Keras' initialisers, as the paper's "
        "appendix) or openai_code (the paper's code: leaky ReLU 0.01, kernels N(0, 0.02), "
        "batch-norm scales N(1, 0.02), epsilon 1e-5).",
        **fv,
    )
    # Text.
    flags.DEFINE_string(
        "text_file",
        d.text_file,
        "--dataset=text: the training sentences, one per line, tokens separated by spaces "
        "(e.g. ../shared/data/coco_captions/train.txt). The vocabulary is its words.",
        **fv,
    )
    flags.DEFINE_string(
        "text_test_file",
        d.text_test_file,
        "--dataset=text: test sentences, the references of BLEU and the data of NLL_gen "
        "(empty: no BLEU, NLL_gen on the training sentences).",
        **fv,
    )
    flags.DEFINE_integer(
        "oracle_seed",
        d.oracle_seed,
        "--dataset=text_oracle: seed of the oracle LSTM's N(0, 1) weights (5,000 tokens, "
        "sequences of 20); --num_samples of its sequences are the training set.",
        **fv,
    )
    flags.DEFINE_string(
        "oracle_params",
        d.oracle_params,
        "--dataset=text_oracle: SeqGAN's own oracle instead of an --oracle_seed draw, from "
        "the file its repository ships (save/target_params_py3.pkl of "
        "github.com/LantaoYu/SeqGAN); --oracle_seed still seeds the sampled sequences.",
        **fv,
    )
    flags.DEFINE_integer("embedding_dim", d.embedding_dim, "Text: G's token embedding.", **fv)
    flags.DEFINE_integer("lstm_units", d.lstm_units, "Text: G's LSTM units.", **fv)
    flags.DEFINE_string(
        "text_generator",
        d.text_generator,
        "Text: G's recurrent cell: lstm (Texygen's, --lstm_units) or relational_memory "
        "(RelGAN's relational memory core, --memory_slots, --memory_head_size, --memory_heads).",
        **fv,
    )
    flags.DEFINE_integer(
        "memory_slots", d.memory_slots, "--text_generator=relational_memory: memory rows.", **fv
    )
    flags.DEFINE_integer(
        "memory_head_size",
        d.memory_head_size,
        "--text_generator=relational_memory: size of each attention head (RelGAN: 256).",
        **fv,
    )
    flags.DEFINE_integer(
        "memory_heads",
        d.memory_heads,
        "--text_generator=relational_memory: attention heads (RelGAN: 2).",
        **fv,
    )
    flags.DEFINE_integer(
        "d_embedding_dim",
        d.d_embedding_dim,
        "Text: D's token embedding (D's convolutions have --filters filters of each width 2..5).",
        **fv,
    )
    flags.DEFINE_integer(
        "d_representations",
        d.d_representations,
        "Text: D scores this many slices of its embedding separately, a logit each, which "
        "the loss averages (RelGAN's multiple representations: 64). Must divide "
        "--d_embedding_dim.",
        **fv,
    )
    flags.DEFINE_integer(
        "pretrain_epochs",
        d.pretrain_epochs,
        "Text: maximum-likelihood epochs before the game (--model=mle: the whole run is "
        "maximum likelihood, for --epochs; --model=arae: the autoencoder's epochs, with "
        "--pretrain_batch_size and --pretrain_learning_rate).",
        **fv,
    )
    flags.DEFINE_integer(
        "pretrain_batch_size",
        d.pretrain_batch_size,
        "Text: sequences per maximum-likelihood batch (Texygen, RelGAN: 64; --batch_size is "
        "the game's, all D minibatches of a step).",
        **fv,
    )
    flags.DEFINE_float(
        "pretrain_learning_rate",
        d.pretrain_learning_rate,
        "Text: Adam's learning rate for maximum likelihood (Texygen, RelGAN: 1e-2).",
        **fv,
    )
    flags.DEFINE_float(
        "g_init_stddev",
        d.g_init_stddev,
        "Text: draw every weight of the LSTM generator (embedding, LSTM, output layer) from "
        "N(0, this), as SeqGAN's code does (0.1); 0: Keras' initialisers.",
        **fv,
    )
    flags.DEFINE_float(
        "g_clipnorm",
        d.g_clipnorm,
        "Text: clip G's gradients to this global norm in maximum likelihood and in the game, "
        "as SeqGAN's and RelGAN's code do (5.0); --model=arae: the autoencoder's (ARAE: 1); "
        "0: no clipping.",
        **fv,
    )
    flags.DEFINE_float(
        "code_noise",
        d.code_noise,
        "--model=arae: standard deviation of the Gaussian noise added to the autoencoder's "
        "unit-norm codes in training (ARAE: 0.1); 0: none.",
        **fv,
    )
    flags.DEFINE_float(
        "gumbel_max_inverse_temperature",
        d.gumbel_max_inverse_temperature,
        "--model=gumbel_gan: the inverse temperature the Gumbel-softmax reaches at the last "
        "step (RelGAN: 100 or 1000).",
        **fv,
    )
    flags.DEFINE_string(
        "gumbel_schedule", d.gumbel_schedule, "--model=gumbel_gan: exp, linear or constant.", **fv
    )
    flags.DEFINE_integer(
        "rollouts", d.rollouts, "--model=seqgan: Monte-Carlo completions per prefix.", **fv
    )
    flags.DEFINE_float(
        "rollout_update_rate",
        d.rollout_update_rate,
        "--model=seqgan: the rollout policy is a copy of G that follows it with this delay "
        "after each G update (rate * rollout + (1 - rate) * G; the paper's code: 0.8); 0: "
        "the rollouts use G itself.",
        **fv,
    )
    flags.DEFINE_integer(
        "d_pretrain_epochs",
        d.d_pretrain_epochs,
        "--model=seqgan: passes over the training data that train D alone (G's samples as "
        "fakes) after maximum likelihood, before the game, as the paper does.",
        **fv,
    )
    flags.DEFINE_list(
        "text_temperatures",
        list(map(str, d.text_temperatures)),
        "Text: the sampling temperatures of the final scores (BLEU, self-BLEU, NLL).",
        **fv,
    )
    flags.DEFINE_integer(
        "text_eval_samples",
        d.text_eval_samples,
        "Text: generated sequences scored at the end per temperature (0: no scores).",
        **fv,
    )
    flags.DEFINE_float(
        "gcn",
        d.gcn,
        "Global contrast normalisation of each image to this Euclidean norm, as pylearn2's "
        "(the paper's CIFAR-10 configs: 55); G's output is then linear and pictures are "
        "scaled for display. 0: off (images in [0, 1]).",
        **fv,
    )
    flags.DEFINE_string(
        "label_distribution",
        d.label_distribution,
        "--conditional: the classes of G's step: data (the real minibatch's labels) or uniform.",
        **fv,
    )
    flags.DEFINE_float(
        "auxiliary_classifier",
        d.auxiliary_classifier,
        "--conditional --model=dcgan: weight of AC-GAN's class loss (0: off); D then reads no "
        "label and predicts it instead of the projection, unless --conditioning says both.",
        **fv,
    )
    flags.DEFINE_string(
        "conditioning",
        d.conditioning,
        "--conditional --model=dcgan: how D reads the class: projection, auxiliary_classifier "
        "or projection_and_auxiliary_classifier (the last two with --auxiliary_classifier). "
        "Empty: projection, or auxiliary_classifier when --auxiliary_classifier is set.",
        **fv,
    )
    # The game.
    flags.DEFINE_string(
        "loss",
        d.loss,
        "non_saturating, minimax, hinge, wasserstein, least_squares, relativistic_average or "
        "relativistic (paired: RelGAN's RSGAN).",
        **fv,
    )
    flags.DEFINE_integer("d_steps", d.d_steps, "Discriminator steps per generator step (k).", **fv)
    flags.DEFINE_bool(
        "simultaneous_updates",
        d.simultaneous_updates,
        "Update D and G from one forward pass.",
        **fv,
    )
    flags.DEFINE_float("d_loss_weight", d.d_loss_weight, "Factor on the discriminator loss.", **fv)
    # Regularisers, averaging, augmentation.
    flags.DEFINE_float(
        "gradient_penalty", d.gradient_penalty, "WGAN-GP weight lambda (0: off).", **fv
    )
    flags.DEFINE_float("r1_gamma", d.r1_gamma, "R1 penalty gamma on data (0: off).", **fv)
    flags.DEFINE_float("r2_gamma", d.r2_gamma, "R2 penalty gamma on samples (0: off).", **fv)
    flags.DEFINE_integer(
        "penalty_every", d.penalty_every, "Lazy penalties: every N-th D step, times N.", **fv
    )
    flags.DEFINE_float("ema", d.ema, "Decay of G's weight average, e.g. 0.999 (0: off).", **fv)
    flags.DEFINE_float(
        "ema_rampup",
        d.ema_rampup,
        "With --ema: ramp the average in as StyleGAN2-ADA does (0.05): its half-life in images "
        "is min(that of --ema, ema_rampup x images seen), so it starts from G, not G's "
        "initial weights (0: a fixed decay).",
        **fv,
    )
    flags.DEFINE_bool(
        "sample_from_ema",
        d.sample_from_ema,
        "With --ema: pictures, evaluation and export use the averaged G.",
        **fv,
    )
    flags.DEFINE_string(
        "diffaugment", d.diffaugment, "DiffAugment policy, e.g. color,translation,cutout.", **fv
    )
    flags.DEFINE_string(
        "ada_augment",
        d.ada_augment,
        "ADA's own augmentation pipeline instead of --diffaugment: blit, geom, color, bg or bgc "
        "(StyleGAN2-ADA's default: flips, 90-degree rotations, integer and fractional shifts, "
        "scaling, rotation, colour); with --ada_target, from p = 0.",
        **fv,
    )
    flags.DEFINE_float(
        "ada_target", d.ada_target, "Adaptive augmentation target of E[sign D(x)] (0: off).", **fv
    )
    flags.DEFINE_float(
        "logan_alpha",
        d.logan_alpha,
        "Latent optimisation (LOGAN): each update's z first takes a natural-gradient step "
        "up D(G(z)) of this size (LOGAN's BigGAN runs: 0.9). 0: off.",
        **fv,
    )
    flags.DEFINE_float("logan_beta", d.logan_beta, "LOGAN: the natural gradient's damping.", **fv)
    flags.DEFINE_float(
        "logan_rate", d.logan_rate, "LOGAN: the share of each batch whose z is moved.", **fv
    )
    flags.DEFINE_integer(
        "mixture_components",
        d.mixture_components,
        "A learned mixture-of-Gaussians prior (DeLiGAN) in front of G: z = mu_k + sigma_k * eps "
        "with this many components, their means and scales trained with G (DeLiGAN's MNIST: "
        "50); eps is normal whatever --latent_distribution says. 0: off.",
        **fv,
    )
    # Optimizers.
    flags.DEFINE_string(
        "optimizer", d.optimizer, "adam, sgd, or paper_sgd (the paper's schedules).", **fv
    )
    flags.DEFINE_float("d_learning_rate", d.d_learning_rate, "Discriminator learning rate.", **fv)
    flags.DEFINE_float("g_learning_rate", d.g_learning_rate, "Generator learning rate.", **fv)
    flags.DEFINE_string(
        "lr_decay",
        d.lr_decay,
        "adam, sgd: learning rates fall to 0 over the run, linear or cosine (default: constant).",
        **fv,
    )
    flags.DEFINE_float("beta_1", d.beta_1, "adam: beta_1.", **fv)
    flags.DEFINE_float("beta_2", d.beta_2, "adam: beta_2 (SNGAN: 0.9).", **fv)
    flags.DEFINE_float("momentum", d.momentum, "sgd: momentum.", **fv)
    # Run length and randomness.
    flags.DEFINE_integer("batch_size", d.batch_size, "Global batch size (all replicas).", **fv)
    flags.DEFINE_integer("epochs", d.epochs, "Epochs to train.", **fv)
    flags.DEFINE_integer(
        "steps",
        d.steps,
        "Steps per epoch; 0: one pass over the data. More than one pass has reads further "
        "passes, each a new permutation (a small data set's epoch, checkpoint and pictures).",
        **fv,
    )
    flags.DEFINE_integer("seed", d.seed, "Seed of weights, noise and data order.", **fv)
    # Hardware.
    flags.DEFINE_string(
        "strategy", d.strategy, "default, one_device, mirrored, multi_worker, tpu.", **fv
    )
    flags.DEFINE_integer(
        "num_cpu_devices", d.num_cpu_devices, "mirrored: logical CPU devices.", **fv
    )
    flags.DEFINE_string("tpu", d.tpu, "tpu: TPU name or grpc:// address.", **fv)
    flags.DEFINE_integer(
        "steps_per_execution", d.steps_per_execution, "Steps per tf.function call.", **fv
    )
    flags.DEFINE_string(
        "jit_compile",
        d.jit_compile,
        "XLA-compile the train step: auto (Keras: on with a GPU, off on CPU and under a "
        "strategy), true, false. true is faster for small models on CPU, where op dispatch "
        "dominates. It changes the rounding: the same seed takes another path.",
        **fv,
    )
    flags.DEFINE_string(
        "mixed_precision",
        d.mixed_precision,
        "Keras dtype policy of both networks: float32, mixed_bfloat16 (bfloat16 compute, "
        "float32 weights; fast on CPUs with AVX-512-BF16 or AMX and on TPUs), mixed_float16 "
        "(GPUs; adds a loss scale). May change at --resume.",
        **fv,
    )
    flags.DEFINE_string(
        "conv_weight_gradients",
        d.conv_weight_gradients,
        "How the DCGAN layers' strided convolutions compute their kernel gradients: native "
        "(TensorFlow's op), dilated (one forward convolution: the same function, summed in "
        "another order; configs/cifar10.cfg's bfloat16 step 1.12x faster on an AVX-512-BF16 "
        "CPU), auto (dilated in bfloat16 on a host with no GPU or TPU). May change at --resume.",
        **fv,
    )


def config_from_flags(flag_values=flags.FLAGS):
    """The `TrainConfig` the parsed `flag_values` describe."""
    from keras_gan.train.config import TrainConfig

    values = {}
    for field in dataclasses.fields(TrainConfig):
        value = flag_values[field.name].value
        if field.name in ("g_units", "d_units", "info_categorical"):
            value = tuple(_int_or_text(v) for v in value)
        elif field.name == "text_temperatures":
            value = tuple(_float_or_text(v) for v in value)
        values[field.name] = value
    return TrainConfig(**values)


def _float_or_text(text):
    try:
        return float(text)
    except ValueError:
        return text  # validate() names it


def _int_or_text(text):
    try:
        return int(text)
    except ValueError:
        return text  # validate() names it


def main(argv, flag_values=flags.FLAGS):
    """Runs the training the parsed `flag_values` describe; exits non-zero on failure.

    Bad input ends the process with one line on stderr, `<program>: error:
    <message>`, and exit status 1; a run stopped by a signal with 128 + the
    signal's number, as a shell reports it.
    """
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    import tensorflow as tf

    from keras_gan.train.trainer import TrainingDiverged
    from keras_gan.train.trainer import train

    if "verbosity" in flag_values and not flag_values["verbosity"].present:
        # Keeps TensorFlow's INFO chatter (e.g. while writing the SavedModel) off stderr.
        logging.set_verbosity(logging.WARNING)
        tf.get_logger().setLevel("WARNING")

    try:
        result = train(config_from_flags(flag_values))
    except (ValueError, TrainingDiverged) as error:
        _error(error)
    if result.stopped_by:
        where = f" in {result.phase}" if result.phase else ""
        print(
            f"stopped by {result.stopped_by}{where} at step {result.step} of "
            f"{result.total_steps}; checkpoint {result.checkpoint}. Continue with the same "
            "flags and --resume.",
            file=sys.stderr,
        )
        sys.exit(128 + signal.Signals[result.stopped_by].value)
    run_dir = flag_values.run_dir
    print(f"done: step {result.step} of {result.total_steps}; checkpoint {result.checkpoint}")
    if result.scores is None:
        print(f"pictures in {run_dir}/samples, TensorBoard logs in {run_dir}/logs")
    else:
        print(f"samples in {run_dir}/samples, scores in {run_dir}/scores.json")
    if result.best:
        best = result.best
        print(
            f"best checkpoint by {best['monitor']}: {best['checkpoint']} "
            f"({best['value']:.2f} at step {best['step']})"
        )
    if result.mode_coverage:
        coverage = result.mode_coverage
        print(
            f"modes covered: {coverage['modes_covered']} of {coverage['num_modes']}; "
            f"samples within 3 std of a mode: {coverage['high_quality_fraction']:.0%}"
        )
    if result.export_path:
        print(f"exported the generator to {result.export_path}")


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


def run():
    """Entry point of `keras-gan-train`."""
    define_flags()
    app.run(main)
