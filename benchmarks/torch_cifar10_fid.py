"""configs/cifar10.cfg's game in plain PyTorch, scored by keras_gan's FID: is keras_gan behind?

    python benchmarks/torch_cifar10_fid.py --seed=0 --epochs=6 --bfloat16 \\
        --manual_dir=../shared/data/cifar10 \\
        --fid_inception_weights=weights/fid_inception.weights.h5 \\
        --reference_statistics=weights/cifar10_train10k.npz \\
        --output_dir=runs/torch_cifar10_bf16_seed0

Trains `torch_steps.Cifar10Step` (the PyTorch mirror `benchmarks/step_times.py`
times: the same layers, hinge loss, spectral norm, Adam(2e-4, 0.5) and G's
weight average, with PyTorch's own initialisers, as a user writing it in
PyTorch would have them) on CIFAR-10's 50,000 training images in [0, 1],
batches of 64 in a new order each epoch (the last partial batch dropped, as
keras_gan drops it: 781 steps an epoch), for `--epochs`. After each epoch in
`--score_epochs` it draws `--num_samples` samples of the averaged G (eval mode:
its running batch statistics, as keras_gan samples) from the fixed
`--sample_seed`, and writes them to `OUTPUT_DIR/samples-EPOCH.npz`. Then, with
PyTorch done, it scores every samples file with keras_gan's standard FID (the
FID Inception network's pool features against `--reference_statistics`, as
`scripts/evaluate.py --metrics=fid_inception` scores a keras_gan run) and
writes `OUTPUT_DIR/result.json`: the FIDs, the epoch losses, seconds, the
machine. An existing OUTPUT_DIR is refused, never overwritten.

torch is not a keras_gan dependency: `pip install torch` to run this. This is a
benchmark, not a test.
"""

import json
import os
import pathlib
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import machine  # noqa: E402  (benchmarks/machine.py)
import numpy as np  # noqa: E402
from absl import app  # noqa: E402
from absl import flags  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
BATCH_SIZE = 64  # configs/cifar10.cfg's

_SEED = flags.DEFINE_integer("seed", 0, "Seed of the weights, the data order and every draw.")
_EPOCHS = flags.DEFINE_integer("epochs", 6, "Epochs (781 steps at 50,000 images).", lower_bound=1)
_SCORE_EPOCHS = flags.DEFINE_list(
    "score_epochs", None, "Epochs after which samples are drawn and scored (default: the last)."
)
_BFLOAT16 = flags.DEFINE_boolean(
    "bfloat16", False, 'Forward passes under torch.autocast("cpu", torch.bfloat16).'
)
_THREADS = flags.DEFINE_integer(
    "threads", None, "torch.set_num_threads (default: PyTorch's own choice).", lower_bound=1
)
_MANUAL_DIR = flags.DEFINE_string(
    "manual_dir",
    os.environ.get("KERAS_GAN_CIFAR10_DIR", str(REPO.parent / "shared" / "data" / "cifar10")),
    "Folder of CIFAR-10's three .npz files (default: $KERAS_GAN_CIFAR10_DIR, else "
    "../shared/data/cifar10).",
)
_TRAIN_IMAGES = flags.DEFINE_integer(
    "train_images",
    None,
    "Train on the first N training images only (default: all 50,000).",
    lower_bound=BATCH_SIZE,
)
_NUM_SAMPLES = flags.DEFINE_integer("num_samples", 2000, "Samples scored per epoch.", lower_bound=2)
_SAMPLE_SEED = flags.DEFINE_integer("sample_seed", 0, "Seed of the scored samples' noise.")
_WEIGHTS = flags.DEFINE_string(
    "fid_inception_weights", None, "The FID Inception network (scripts/convert_fid_inception.py)."
)
_REFERENCE = flags.DEFINE_string(
    "reference_statistics",
    None,
    "The reference images' FID statistics, as scripts/evaluate.py writes them "
    "(e.g. weights/cifar10_train10k.npz for --reference_split='train[:10000]').",
)
_SCORE = flags.DEFINE_boolean("score", True, "Score the samples (--noscore: write them only).")
_OUTPUT_DIR = flags.DEFINE_string("output_dir", None, "New folder for samples and result.json.")
_PROGRESS_EVERY = flags.DEFINE_integer(
    "progress_every", 100, "Print a progress line every N steps.", lower_bound=1
)


def _score_epochs():
    if not _SCORE_EPOCHS.value:
        return [_EPOCHS.value]
    try:
        epochs = sorted({int(value) for value in _SCORE_EPOCHS.value})
    except ValueError:
        raise app.UsageError(
            f"--score_epochs takes epoch numbers. Received: {','.join(_SCORE_EPOCHS.value)}"
        ) from None
    wrong = [epoch for epoch in epochs if not 1 <= epoch <= _EPOCHS.value]
    if wrong:
        raise app.UsageError(
            f"--score_epochs must lie in 1..--epochs={_EPOCHS.value}. Received: {wrong}"
        )
    return epochs


def _check_flags():
    """Every flag that could fail after hours of training is checked before it starts."""
    if _OUTPUT_DIR.value is None:
        raise app.UsageError("--output_dir is required.")
    if pathlib.Path(_OUTPUT_DIR.value).exists():
        raise app.UsageError(
            f"--output_dir exists; a new folder is needed. Received: {_OUTPUT_DIR.value}"
        )
    if _SCORE.value:
        for name, value in (
            ("fid_inception_weights", _WEIGHTS.value),
            ("reference_statistics", _REFERENCE.value),
        ):
            if value is None or not pathlib.Path(value).is_file():
                raise app.UsageError(
                    f"--{name} must be an existing file (or pass --noscore). Received: {value}"
                )
    score_epochs = _score_epochs()
    try:
        import torch  # noqa: F401
    except ImportError:
        raise app.UsageError("This benchmark needs PyTorch: pip install torch") from None
    return score_epochs


def _images():
    sys.path.insert(0, str(REPO))
    from keras_gan.data.cifar10_npz import load_cifar10_npz

    images = load_cifar10_npz(_MANUAL_DIR.value, split="train")
    if _TRAIN_IMAGES.value is not None:
        if _TRAIN_IMAGES.value > len(images):
            raise app.UsageError(
                f"--train_images exceeds the {len(images)} training images. "
                f"Received: {_TRAIN_IMAGES.value}"
            )
        images = images[: _TRAIN_IMAGES.value]
    return images


def draw_samples(step, num_samples, seed, chunk=500):
    """`num_samples` images of `step`'s averaged G, eval mode, from noise seeded by `seed`."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    step.average.eval()
    samples = []
    with torch.no_grad(), step._autocast():
        for start in range(0, num_samples, chunk):
            z = torch.randn(min(chunk, num_samples - start), step.latent_dim, generator=generator)
            samples.append(step.average(z).float().permute(0, 2, 3, 1).numpy())
    step.average.train()
    return np.concatenate(samples)


def train(images, output_dir, score_epochs):
    """Trains the mirror, writing samples after each of `score_epochs`; returns the log."""
    import torch
    import torch_steps

    if _THREADS.value is not None:
        torch.set_num_threads(_THREADS.value)
    step = torch_steps.Cifar10Step(bfloat16=_BFLOAT16.value, seed=_SEED.value)
    steps_per_epoch = len(images) // BATCH_SIZE
    log, started = [], time.perf_counter()
    for epoch in range(1, _EPOCHS.value + 1):
        order = np.random.default_rng([_SEED.value, epoch]).permutation(len(images))
        d_losses, g_losses, epoch_start = [], [], time.perf_counter()
        for i in range(steps_per_epoch):
            batch = torch.from_numpy(images[order[i * BATCH_SIZE : (i + 1) * BATCH_SIZE]])
            d_loss, g_loss = step.step(batch)
            d_losses.append(float(d_loss.detach()))
            g_losses.append(float(g_loss.detach()))
            if not np.isfinite(d_losses[-1] + g_losses[-1]):
                raise FloatingPointError(
                    f"non-finite loss at epoch {epoch}, step {i + 1}: "
                    f"d_loss={d_losses[-1]}, g_loss={g_losses[-1]}"
                )
            if (i + 1) % _PROGRESS_EVERY.value == 0 or i + 1 == steps_per_epoch:
                elapsed = time.perf_counter() - epoch_start
                print(
                    f"epoch {epoch}/{_EPOCHS.value} step {i + 1}/{steps_per_epoch}: "
                    f"d_loss {np.mean(d_losses):.4f} g_loss {np.mean(g_losses):.4f} "
                    f"({1000 * elapsed / (i + 1):.0f} ms/step)",
                    flush=True,
                )
        entry = {
            "epoch": epoch,
            "d_loss": float(np.mean(d_losses)),
            "g_loss": float(np.mean(g_losses)),
            "seconds": time.perf_counter() - epoch_start,
            "total_seconds": time.perf_counter() - started,
        }
        if epoch in score_epochs:
            samples = draw_samples(step, _NUM_SAMPLES.value, _SAMPLE_SEED.value)
            entry["samples"] = f"samples-{epoch:03d}.npz"
            np.savez_compressed(output_dir / entry["samples"], samples=samples)
        log.append(entry)
    return log


def score(output_dir, log):
    """Adds `fid_inception` to each log entry with samples: keras_gan's standard FID."""
    from keras_gan.metrics.feature_distances import frechet_distance_of_moments
    from keras_gan.metrics.fid_inception import FIDInceptionFeatures
    from keras_gan.metrics.fid_statistics import load_fid_statistics

    reference = load_fid_statistics(_REFERENCE.value)
    network = FIDInceptionFeatures(_WEIGHTS.value)
    for entry in log:
        if "samples" not in entry:
            continue
        with np.load(output_dir / entry["samples"]) as data:
            features, _ = network.features_and_logits(data["samples"], progress=True)
        moments = features.mean(axis=0), np.cov(features, rowvar=False)
        entry["fid_inception"] = float(frechet_distance_of_moments(*reference, *moments))
        print(f"epoch {entry['epoch']}: FID {entry['fid_inception']:.1f}", flush=True)


def main(argv):
    if len(argv) > 1:
        raise app.UsageError(f"Unexpected arguments: {argv[1:]}")
    score_epochs = _check_flags()
    images = _images()
    output_dir = pathlib.Path(_OUTPUT_DIR.value)
    output_dir.mkdir(parents=True)
    settings = {
        name: flags.FLAGS[name].value
        for name in (
            "seed",
            "epochs",
            "bfloat16",
            "threads",
            "train_images",
            "num_samples",
            "sample_seed",
            "fid_inception_weights",
            "reference_statistics",
        )
    }
    log = train(images, output_dir, score_epochs)
    if _SCORE.value:
        score(output_dir, log)
    import torch

    result = {
        "settings": settings,
        "torch": torch.__version__,
        "machine": machine.describe(),
        "epochs": log,
    }
    (output_dir / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {output_dir / 'result.json'}")


if __name__ == "__main__":
    app.run(main)
