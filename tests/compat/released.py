"""Tiny runs of every model family, written by a released keras_gan and read by today's.

A `.keras` file addresses the layers of a list by their class's name, and a run's
`config.json` names every flag, so a swapped layer class or a removed flag can leave users'
runs unloadable (0.25.0 nearly shipped such a swap). The folders
`checkpoints/<version>/<family>/` hold one run per family, as the released `<version>`
wrote it (`write_checkpoints.py`), with `expected.json`: what that version read back. The
test loads each with today's code, compares, and resumes it.

Each family is a shipped config's flags (or a test's tiny run) at the smallest width that
builds, on data made here from a seed, so the test can make the same data again (in another
folder: `expected.json` records the folder the writer used, and the test moves the run's
paths to its own).

Left out, because their widths are the papers' and no flag shrinks them: the 2014 CIFAR-10
nets (`paper_cifar10_fc`, `_conv`: 590 and 970 MB a checkpoint), InfoGAN's nets (54 MB) and
DCGAN's BiGAN discriminator (its joint layer of 1,024 units: 14 MB). Their layouts are held
only by the models' save-and-load tests within one version.
"""

import json
import pathlib
import shutil

import numpy as np

HERE = pathlib.Path(__file__).parent
CHECKPOINTS = HERE / "checkpoints"
EXPECTED_FILE = "expected.json"
# The run files a user keeps and a reader needs; pictures, logs and exports are left out.
KEPT = ("config.json", "checkpoints", "pretrain", "d_pretrain", "vocabulary.txt")
# Samples compared after loading: G's output for this many z of seed 0.
NUM_SAMPLES = 2

_SMALL_MLP = dict(
    g_units=(16,), d_units=(16,), d_pieces=2, d_input_dropout=0.0, d_hidden_dropout=0.0
)
_RING = dict(dataset="ring", num_samples=40, batch_size=20, latent_dim=4, **_SMALL_MLP)
_TEXT = dict(
    dataset="text",
    embedding_dim=4,
    lstm_units=8,
    pretrain_epochs=1,
    pretrain_batch_size=16,
    batch_size=16,
    text_eval_samples=8,
    text_temperatures=(1.0,),
)

# family -> (flag file of configs/ or None, data: "ring" | "images" | "text", the changes to
# that file's flags)
FAMILIES = {
    "mlp": (None, "ring", dict(_RING)),
    "mlp_conditional": (None, "ring", dict(_RING, conditional=True)),
    "mlp_bigan": (None, "ring", dict(_RING, bigan=True)),
    "mlp_mixture_prior": (None, "ring", dict(_RING, mixture_components=3)),
    "paper_mnist": (
        "paper_mnist.cfg",
        "images",
        dict(
            g_units=(8, 8),
            d_units=(8, 8),
            d_pieces=2,
            batch_size=10,
            keep_best="",
            validation_split="",
            eval_every=0,
        ),
    ),
    "dcgan_cifar10": ("cifar10.cfg", "images", dict(filters=4, latent_dim=8, batch_size=10)),
    "dcgan_cifar10_bfloat16": (
        "cifar10.cfg",
        "images",
        dict(filters=4, latent_dim=8, batch_size=10, mixed_precision="mixed_bfloat16"),
    ),
    "dcgan_conditional": (
        "conditional_mnist.cfg",
        "images",
        dict(filters=4, latent_dim=8, batch_size=10),
    ),
    "sngan_resnet": ("sngan_cifar10.cfg", "images", dict(filters=4, latent_dim=8, batch_size=10)),
    "biggan": (
        "biggan_cifar10.cfg",
        "images",
        dict(filters=8, latent_dim=9, shared_dim=4, attention=8, batch_size=10, d_steps=1),
    ),
    "stylegan2": (
        "stylegan2_cifar10.cfg",
        "images",
        dict(filters=8, latent_dim=8, mbstd_group_size=2, batch_size=10),
    ),
    "text_mle": (None, "text", dict(_TEXT, model="mle")),
    "text_gumbel_gan": (
        "coco_captions.cfg",
        "text",
        dict(_TEXT, d_embedding_dim=4, filters=3, d_steps=1),
    ),
    "text_seqgan": (
        None,
        "text",
        dict(_TEXT, model="seqgan", d_embedding_dim=4, filters=3, rollouts=2, d_pretrain_epochs=1),
    ),
    "text_arae": (
        None,
        "text",
        dict(
            _TEXT,
            model="arae",
            latent_dim=8,
            latent_distribution="normal",
            loss="wasserstein",
            gradient_penalty=10.0,
            **_SMALL_MLP,
        ),
    ),
}


# The fixtures' own sentences, not another test's: the data a run was written on must not
# change when another test's does.
SENTENCES = (
    "a man rides a red bike.",
    "two dogs play in the snow.",
    "a plate of food on a table.",
    "a cat sleeps on a sofa.",
)


def make_data(kind, folder):
    """Writes the family's data in `folder`, the same every time: `TrainConfig` changes
    that point at it."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    if kind == "ring":
        return {}
    if kind == "text":
        lines = [SENTENCES[i] for i in rng.integers(0, len(SENTENCES), 32)]
        (folder / "train.txt").write_text("\n".join(lines) + "\n")
        (folder / "test.txt").write_text("\n".join(SENTENCES[:2]) + "\n")
        return {"text_file": str(folder / "train.txt"), "text_test_file": str(folder / "test.txt")}
    np.savez(
        folder / "images.npz",
        x=rng.integers(0, 256, (20, 16, 16, 3), dtype=np.uint8),
        y=np.arange(20) % 2,
        class_names=np.array(["even", "odd"]),
    )
    return {"dataset": "npz", "data_dir": str(folder / "images.npz")}


def config_for(family, run_dir, data_folder):
    """The `TrainConfig` of `family`'s run in `run_dir`: 1 epoch of 2 steps, no export."""
    from keras_gan.train import TrainConfig
    from tests.train.test_config import parse

    flag_file, kind, family_changes = FAMILIES[family]
    argv = [f"--flagfile={HERE.parents[1] / 'configs' / flag_file}"] if flag_file else []
    base = parse(*argv) if argv else TrainConfig()
    values = {
        **base.to_dict(),
        **family_changes,
        **make_data(kind, data_folder),
        "run_dir": str(run_dir),
        "epochs": 1,
        "export": False,
        "seed": 0,
    }
    values["split"] = TrainConfig.split  # the configs' TFDS splits: the data here has none
    return TrainConfig.from_dict(
        {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    )


def summary(model):
    """What must survive a save and a load: every variable's shape and two moments (the
    networks', the optimizers', the random states'), with its path (for the reader)."""
    variables = {id(v): v for v in model.variables}
    for name in ("d_optimizer", "g_optimizer", "optimizer"):
        optimizer = getattr(model, name, None)
        for variable in getattr(optimizer, "variables", None) or []:
            variables.setdefault(id(variable), variable)
    rows = []
    for variable in variables.values():
        value = np.asarray(variable.numpy(), dtype=np.float64)
        rows.append(
            {
                "path": variable.path,
                "shape": list(value.shape),
                "sum": float(value.sum()),
                "sum_of_squares": float(np.square(value).sum()),
            }
        )
    return rows


def samples(model, path):
    """G's output for `NUM_SAMPLES` z of seed 0, or None for a text run's model (its
    samples are tokens drawn from G's probabilities: another rounding, other tokens)."""
    from keras_gan.export.sources import is_text_model

    if is_text_model(model, path):
        return None
    generated = model.generate(NUM_SAMPLES, seed=0)
    return np.asarray(generated, dtype=np.float64).round(6).tolist()


def keep_run(run_dir, destination):
    """Copies the files of `KEPT` from `run_dir` to `destination`."""
    destination.mkdir(parents=True)
    for name in KEPT:
        source = run_dir / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        elif source.is_file():
            shutil.copy2(source, destination / name)


def load_twice(source):
    """`(model, path, rows)`: the model at `source` and its `summary`, each row marked
    `"saved"`: whether a second load gives it the same value. Keras keeps no random-number
    state in a `.keras` file; a GAN saves its own, a plain Keras model (a text run's MLE
    phase, whose LSTM layers own unused seed generators) draws a new one at every load."""
    from keras_gan.export.sources import load_saved_model

    model, path = load_saved_model(source)
    again, _ = load_saved_model(source)
    rows = summary(model)
    for row, other in zip(rows, summary(again), strict=True):
        row["saved"] = (row["sum"], row["sum_of_squares"]) == (
            other["sum"],
            other["sum_of_squares"],
        )
    return model, path, rows


def write_expected(family, folder, step, written_in):
    """`expected.json`: what the writing version reads back from its own checkpoint, and
    the folder its run and data were in (`written_in`)."""
    model, path, rows = load_twice(folder)
    content = {"family": family, "step": step, "written_in": str(written_in)}
    content["variables"] = rows
    content["samples"] = samples(model, path)
    (folder / EXPECTED_FILE).write_text(json.dumps(content, indent=1) + "\n")
    return path


def move_paths(run, written_in, now_in):
    """Points the copied run's recorded paths (its folder, its data) from `written_in` to
    `now_in`, as a user who moved a run and its data would: `config.json` is rewritten."""
    path = run / "config.json"
    content = json.loads(path.read_text())
    config = content["config"]
    for name, value in config.items():
        if isinstance(value, str) and value.startswith(written_in):
            config[name] = str(now_in) + value[len(written_in) :]
    path.write_text(json.dumps(content, indent=1) + "\n")
    return config
