"""`benchmarks/overfitting.py` reports what D says of training and held-out images: r and p."""

import json

import keras

from keras_gan import GAN
from keras_gan.layers import DiffAugment
from keras_gan.models import DCGANGenerator
from tests.conftest import run_script


def brightness_discriminator():
    """A D whose logit is an image's mean pixel minus 0.45: its sign is known for any image."""
    return keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(
                1,
                kernel_initializer=keras.initializers.Constant(1 / 3),
                bias_initializer=keras.initializers.Constant(-0.45),
            ),
        ]
    )


def save_run(run, split, probabilities, conditional=False):
    (run / "checkpoints").mkdir(parents=True)
    config = {"dataset": "cifar10", "split": split, "conditional": conditional}
    (run / "config.json").write_text(json.dumps({"config": config}))
    for step, probability in enumerate(probabilities, start=1):
        folder = run / "checkpoints" / f"step-{step:09d}"
        folder.mkdir()
        gan = GAN(
            DCGANGenerator(latent_dim=4, data_shape=(32, 32, 3), base_filters=4),
            brightness_discriminator(),
            augmentation=DiffAugment(probability=probability, adaptive_target=0.6),
            seed=0,
        )
        gan.save(folder / "gan.keras")
        (folder / "state.json").write_text(json.dumps({"step": 10 * step}))


def run(*args):
    return run_script("benchmarks/overfitting.py", *args, timeout=600)


def test_r_on_training_and_held_out_images_and_p_per_checkpoint(tmp_path, cifar10_manual_dir):
    import numpy as np

    from keras_gan.data.cifar10_npz import load_cifar10_npz

    save_run(tmp_path / "run", "train[:300]", [0.0, 0.25, 0.5])
    output = tmp_path / "rows.json"
    done = run(
        "--runs=" + str(tmp_path / "run"),
        f"--manual_dir={cifar10_manual_dir}",
        "--heldout_split=test[:200]",
        "--every=2",
        f"--output={output}",
        f"--plot={tmp_path / 'r.png'}",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(output.read_text())
    # Every 2nd checkpoint, and the last.
    assert [row["step"] for row in rows] == [20, 30]
    assert [row["p"] for row in rows] == [0.25, 0.5]

    def expected(split):
        images = load_cifar10_npz(cifar10_manual_dir, split)
        return float(np.mean(np.sign(images.mean(axis=(1, 2, 3)) - 0.45)))

    for row in rows:
        assert abs(row["r_train"] - expected("train[:300]")) < 1e-6
        assert abs(row["r_heldout"] - expected("test[:200]")) < 1e-6
    assert (tmp_path / "r.png").stat().st_size > 0


def test_refuses_what_it_cannot_score(tmp_path, cifar10_manual_dir):
    save_run(tmp_path / "conditional", "train[:300]", [0.0], conditional=True)
    done = run("--runs=" + str(tmp_path / "conditional"), f"--manual_dir={cifar10_manual_dir}")
    assert done.returncode != 0
    assert "scores unconditional CIFAR-10 runs. Received:" in done.stderr
    done = run("--runs=" + str(tmp_path / "conditional"), "--every=0")
    assert "--every must be >= 1. Received: --every=0" in done.stderr
