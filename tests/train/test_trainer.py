"""`keras_gan.train.train` called directly with tiny configs."""

import dataclasses
import json
import pathlib
import signal

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.data.datasets import SYNTHETIC
from keras_gan.data.pipeline import make_epoch_pipeline
from keras_gan.layers import strided_conv
from keras_gan.train import TrainConfig
from keras_gan.train import TrainingDiverged
from keras_gan.train import train
from keras_gan.train import trainer


def tiny(run_dir, **changes):
    """A ring GAN small enough to train in a second: 2 epochs of 10 steps. Another
    `model` keeps its own networks' defaults (it refuses the MLP's sizes), another
    `dataset` its own size (it refuses --num_samples)."""
    values = dict(
        run_dir=str(run_dir),
        dataset="ring",
        latent_dim=4,
        latent_distribution="normal",
        d_learning_rate=1e-3,
        g_learning_rate=1e-3,
        batch_size=100,
        epochs=2,
        export=False,
    )
    if changes.get("dataset", "ring") in SYNTHETIC:
        values.update(num_samples=1000)
    if changes.get("model", "mlp") == "mlp":
        values.update(
            g_units=(16,), d_units=(16,), d_pieces=2, d_input_dropout=0.0, d_hidden_dropout=0.0
        )
    values.update(changes)
    return TrainConfig(**values)


def test_a_run_writes_config_checkpoints_pictures_logs_and_export(tmp_path):
    run = tmp_path / "run"
    result = train(tiny(run, export=True))
    assert (result.step, result.total_steps, result.stopped_by) == (20, 20, None)

    stored = json.loads((run / "config.json").read_text())
    assert stored["config"] == tiny(run, export=True).to_dict()
    assert set(stored["versions"]) >= {"keras_gan", "tensorflow", "keras", "tensorflow_datasets"}

    assert sorted(p.name for p in (run / "checkpoints").iterdir()) == [
        "step-000000010",
        "step-000000020",
    ]
    state = json.loads((run / "checkpoints/step-000000020/state.json").read_text())
    assert [record["epoch"] for record in state["history"]] == [1, 2]
    assert {"d_loss", "g_loss", "d_real", "d_fake"} <= set(state["history"][0])
    assert all(record["seconds"] > 0 for record in state["history"])  # each epoch's wall time

    pictures = sorted(p.name for p in (run / "samples").iterdir())
    assert pictures == ["epoch_0001.png", "epoch_0002.png", "losses.png"]
    for name in pictures:
        assert (run / "samples" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    tags = _tensorboard_tags(run / "logs")
    assert {"epoch_d_loss", "epoch_g_loss", "epoch_d_real", "epoch_d_fake"} <= tags["train"]
    assert tags["samples"] == {"samples"}

    assert result.export_path == str(run / "export" / "generator" / "1")
    assert (run / "export/generator/1/saved_model.pb").is_file()
    assert result.mode_coverage["num_modes"] == 8


def _tensorboard_tags(logs):
    tags = {}
    for events in logs.rglob("events.out.tfevents.*"):
        run_tags = tags.setdefault(events.parent.name, set())
        for event in tf.compat.v1.train.summary_iterator(str(events)):
            run_tags.update(value.tag for value in event.summary.value)
    return tags


def test_the_last_checkpoint_holds_the_trained_model(tmp_path):
    result = train(tiny(tmp_path / "run"))
    saved = keras.saving.load_model(tmp_path / "run/checkpoints/step-000000020/gan.keras")
    for mine, theirs in zip(result.gan.variables, saved.variables, strict=True):
        np.testing.assert_array_equal(np.asarray(mine), np.asarray(theirs))
    assert int(saved.d_optimizer.iterations) == int(saved.g_optimizer.iterations) == 20


def test_checkpoints_to_keep(tmp_path):
    train(tiny(tmp_path / "run", epochs=4, checkpoints_to_keep=2))
    names = sorted(p.name for p in (tmp_path / "run/checkpoints").iterdir())
    assert names == ["step-000000030", "step-000000040"]
    # A resumed run may keep more from then on, to score every epoch afterwards.
    train(tiny(tmp_path / "run", epochs=6, checkpoints_to_keep=3, resume=True))
    names = sorted(p.name for p in (tmp_path / "run/checkpoints").iterdir())
    assert names == ["step-000000040", "step-000000050", "step-000000060"]


def test_resume_with_more_epochs_equals_one_longer_run(tmp_path):
    longer = train(tiny(tmp_path / "once", epochs=3))
    train(tiny(tmp_path / "twice", epochs=1))
    resumed = train(tiny(tmp_path / "twice", epochs=3, resume=True))
    assert resumed.step == 30
    for mine, theirs in zip(longer.gan.variables, resumed.gan.variables, strict=True):
        np.testing.assert_array_equal(np.asarray(mine), np.asarray(theirs), err_msg=mine.path)
    history = json.loads((tmp_path / "twice/checkpoints/step-000000030/state.json").read_text())
    assert [r["epoch"] for r in history["history"]] == [1, 2, 3]


def test_resuming_a_finished_run_trains_and_exports_no_further(tmp_path):
    train(tiny(tmp_path / "run", export=True))
    again = train(tiny(tmp_path / "run", resume=True, export=True))
    assert again.step == 20
    assert int(again.gan.g_optimizer.iterations) == 20
    assert again.export_path is None
    assert [p.name for p in (tmp_path / "run/export/generator").iterdir()] == ["1"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({}, "--run_dir already holds this run; pass --resume to continue it"),
        ({"latent_dim": 8}, "different config \\(--latent_dim=4 in the run, 8 now\\)"),
        (
            {"latent_dim": 8, "resume": True},
            "different config \\(--latent_dim=4 in the run, 8 now\\)",
        ),
    ],
)
def test_an_existing_run_is_never_overwritten(tmp_path, changes, message):
    run = tmp_path / "run"
    train(tiny(run))
    before = {p: p.read_bytes() for p in run.rglob("*") if p.is_file()}
    with pytest.raises(ValueError, match=message):
        train(dataclasses.replace(tiny(run), **changes))
    after = {p: p.read_bytes() for p in run.rglob("*") if p.is_file()}
    assert after == before


def test_resume_needs_a_run(tmp_path):
    with pytest.raises(ValueError, match="--resume: there is no run to resume in"):
        train(tiny(tmp_path / "run", resume=True))
    assert not (tmp_path / "run").exists()


def test_a_folder_that_is_not_a_run_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="is not a keras_gan run directory"):
        train(tiny(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"dataset": "no_such_dataset"}, "Unknown data set 'no_such_dataset'"),
        ({"dataset": "folder", "data_dir": "/no/such/folder"}, "image folder does not exist"),
        ({"dataset": "npz", "data_dir": "/no/such.npz"}, "The .npz file does not exist"),
        ({"model": "dcgan"}, "--model=dcgan needs images"),
        ({"batch_size": 2000}, "`batch_size` is larger than the data set \\(1000 samples\\)"),
        ({"steps": -1}, "--steps must be an integer >= 0. Received: --steps=-1"),
        ({"epochs": 0}, "--epochs must be an integer >= 1"),
    ],
)
def test_bad_input_fails_before_anything_is_written(tmp_path, changes, message):
    with pytest.raises(ValueError, match=message):
        train(tiny(tmp_path / "run", **changes))
    assert not (tmp_path / "run").exists()


def test_a_corrupt_image_file_is_named(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    keras.utils.save_img(images / "a.png", np.zeros((8, 8, 1)), scale=False)
    (images / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(ValueError, match="Cannot read image file '.*b.png'"):
        train(tiny(tmp_path / "run", dataset="folder", data_dir=str(images)))
    assert not (tmp_path / "run").exists()


def test_a_nan_loss_stops_the_run_naming_the_epoch_and_keeps_the_last_checkpoint(
    tmp_path, monkeypatch
):
    # 1,000 points, 3 batches of 100 per epoch: put a NaN in a point that
    # epoch 1 does not read and epoch 2 does, so one good epoch is saved first.
    config = tiny(tmp_path / "run", steps=3, epochs=3)
    order, _ = make_epoch_pipeline(np.arange(1000, dtype="float32")[:, None], 100, 0, 3, 0, 3)
    batches = [b.numpy().ravel().astype(int) for b in order]
    first_epoch, second_epoch = set(np.concatenate(batches[:3])), batches[3:6]
    poisoned = next(int(i) for i in second_epoch[1] if i not in first_epoch)
    points = np.random.default_rng(0).normal(size=(1000, 2)).astype("float32")
    points[poisoned] = np.nan
    monkeypatch.setattr(trainer, "load_dataset", lambda *args, **kwargs: points)

    # The poisoned point is in epoch 2's second batch: step 5.
    with pytest.raises(
        TrainingDiverged,
        match=r"d_loss became nan at step 5, in epoch 2 \(steps 4-6\); training stopped",
    ):
        train(config)
    checkpoints = sorted(p.name for p in (tmp_path / "run/checkpoints").iterdir())
    assert checkpoints == ["step-000000003"]
    good = keras.saving.load_model(tmp_path / "run/checkpoints/step-000000003/gan.keras")
    assert all(np.isfinite(np.asarray(v)).all() for v in good.variables)


def _assert_same_variables(a, b, **tolerance):
    everything = [
        gan.variables + gan.d_optimizer.variables + gan.g_optimizer.variables for gan in (a, b)
    ]
    assert len(everything[0]) == len(everything[1])
    for mine, theirs in zip(*everything, strict=True):
        np.testing.assert_allclose(
            np.asarray(mine), np.asarray(theirs), err_msg=mine.path, **tolerance
        )


def test_a_run_trained_on_two_replicas_resumes_on_one(tmp_path):
    one_device = train(tiny(tmp_path / "one", epochs=2))
    train(tiny(tmp_path / "moved", epochs=1, strategy="mirrored", num_cpu_devices=2))
    resumed = train(tiny(tmp_path / "moved", epochs=2, resume=True))
    assert resumed.step == 20
    # Same global batches, noise and updates; only float summation order differs.
    _assert_same_variables(one_device.gan, resumed.gan, rtol=1e-4, atol=1e-5)


def test_steps_per_execution_does_not_change_the_run(tmp_path):
    plain = train(tiny(tmp_path / "plain"))
    grouped = train(tiny(tmp_path / "grouped", steps_per_execution=5))
    assert grouped.gan.get_compile_config()["steps_per_execution"] == 5
    _assert_same_variables(plain.gan, grouped.gan, rtol=0, atol=0)


def test_a_resumed_run_takes_the_hardware_flags_it_is_resumed_with(tmp_path):
    # A checkpoint restores the policy and compile settings it was saved with;
    # the flags the run is resumed with must replace them (until 0.9.2 a run
    # started with --jit_compile=true kept XLA when resumed with another value).
    scaled = keras.optimizers.LossScaleOptimizer
    run = tmp_path / "run"
    first = train(tiny(run, epochs=1, jit_compile="true", steps_per_execution=2))
    assert first.gan.generator.compute_dtype == "float32"
    bf16 = train(tiny(run, epochs=2, resume=True, mixed_precision="mixed_bfloat16"))
    assert bf16.step == 20
    assert bf16.gan.jit_compile is False
    assert bf16.gan.get_compile_config()["steps_per_execution"] == 1
    for network in (bf16.gan.generator, bf16.gan.discriminator, bf16.gan.averaged_generator):
        assert network is None or network.compute_dtype == "bfloat16"
    assert bf16.gan.generate(3, seed=0).dtype == np.float32
    assert keras.config.dtype_policy().name == "float32"  # the global policy is left alone
    f16 = train(tiny(run, epochs=3, resume=True, mixed_precision="mixed_float16"))
    assert f16.gan.generator.compute_dtype == f16.gan.discriminator.compute_dtype == "float16"
    assert isinstance(f16.gan.d_optimizer, scaled) and isinstance(f16.gan.g_optimizer, scaled)
    back = train(tiny(run, epochs=4, resume=True))
    assert back.gan.generator.compute_dtype == "float32"
    assert not isinstance(back.gan.d_optimizer, scaled | type(None))
    # One optimizer state throughout: 10 updates per epoch.
    assert int(back.gan.g_optimizer.iterations) == int(back.gan.d_optimizer.iterations) == 40
    history = json.loads((run / "checkpoints/step-000000040/state.json").read_text())["history"]
    assert all(np.isfinite(record["d_loss"]) for record in history) and len(history) == 4


def test_conv_weight_gradients_reach_fit_and_may_change_at_resume(tmp_path):
    seen = []

    class Mode(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(strided_conv.weight_gradients())

    run = tmp_path / "run"
    train(tiny(run, epochs=1, conv_weight_gradients="dilated"), callbacks=[Mode()])
    assert set(seen) == {"dilated"}
    assert strided_conv.weight_gradients() == "auto"  # the process' mode is left alone
    seen.clear()
    resumed = train(tiny(run, epochs=2, resume=True, conv_weight_gradients="native"), [Mode()])
    assert resumed.step == 20 and set(seen) == {"native"}


def test_an_xla_run_trains_and_resumes_bit_identically(tmp_path):
    """--jit_compile=true XLA-compiles the whole step (R1's double backward, spectral
    norm's power iteration, the average) and a resumed XLA run continues exactly.

    Not compared with a run without XLA: XLA's stateless random kernels draw other
    numbers from the same seed, so the two runs play the game with other noise.
    """
    quickstart_parts = dict(r1_gamma=0.01, spectral_norm=True, ema=0.9, jit_compile="true")
    straight = train(tiny(tmp_path / "straight", **quickstart_parts))
    train(tiny(tmp_path / "broken", epochs=1, **quickstart_parts))
    resumed = train(tiny(tmp_path / "broken", resume=True, **quickstart_parts))
    assert straight.gan.jit_compile is True
    assert resumed.step == 20
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)


def test_a_corrupt_idx_file_is_named_before_the_run_starts(tmp_path, mnist_manual_dir):
    import shutil

    copies = tmp_path / "idx"
    shutil.copytree(mnist_manual_dir, copies)
    labels = copies / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:-100])  # truncated download
    config = tiny(
        tmp_path / "run",
        dataset="mnist",
        manual_dir=str(copies),
        data_dir=str(tmp_path / "tfds"),
        batch_size=100,
    )
    with pytest.raises(ValueError, match="does not match the checksum tensorflow-datasets"):
        train(config)
    assert not (tmp_path / "run").exists()


def test_eval_every_puts_a_quality_number_in_history_and_tensorboard(tmp_path):
    run = tmp_path / "run"
    train(tiny(run, epochs=2, eval_every=2))
    state = json.loads((run / "checkpoints/step-000000020/state.json").read_text())
    first, second = state["history"]
    assert "eval_modes_covered" not in first
    assert 0 <= second["eval_modes_covered"] <= 8
    assert 0.0 <= second["eval_high_quality_fraction"] <= 1.0
    assert "eval_modes_covered" in _tensorboard_tags(run / "logs")["eval"]


def test_eval_every_fid_on_mnist_shaped_images(tmp_path, monkeypatch):
    images = np.random.default_rng(0).uniform(size=(300, 28, 28, 1)).astype("float32")
    monkeypatch.setattr(trainer, "load_dataset", lambda *args, **kwargs: images)
    config = tiny(tmp_path / "run", dataset="npz", data_dir="x.npz", epochs=1, eval_every=1)
    train(config)
    state = json.loads((tmp_path / "run/checkpoints/step-000000003/state.json").read_text())
    assert state["history"][0]["eval_fid"] > 0


def test_eval_every_does_not_change_what_is_trained(tmp_path):
    # --eval_every may be added when resuming (RESUMABLE_CHANGES): its samples
    # must come from their own seed, not from the training noise or dropout.
    dropout = dict(d_input_dropout=0.2, d_hidden_dropout=0.5)
    train(tiny(tmp_path / "plain", **dropout))
    train(tiny(tmp_path / "evaluated", eval_every=1, **dropout))
    final = "checkpoints/step-000000020/gan.keras"
    _assert_same_variables(
        keras.saving.load_model(tmp_path / "plain" / final),
        keras.saving.load_model(tmp_path / "evaluated" / final),
        rtol=0,
        atol=0,
    )


def test_eval_every_refuses_data_it_has_no_metric_for(tmp_path):
    with pytest.raises(ValueError, match="--eval_every has a metric for ring/grid"):
        train(tiny(tmp_path / "run", dataset="gaussian_1d", eval_every=1))
    assert not (tmp_path / "run").exists()


def test_output_bias_from_data_uses_float64_pixel_means(tmp_path, monkeypatch):
    images = np.random.default_rng(0).uniform(size=(300, 4, 4, 1)).astype("float32")
    monkeypatch.setattr(trainer, "load_dataset", lambda *args, **kwargs: images)
    config = tiny(
        tmp_path / "run", dataset="npz", data_dir="x.npz", epochs=1, output_bias_from_data=True
    )
    generator = train(config).gan.generator
    np.testing.assert_array_equal(
        generator.output_bias_marginals, images.mean(axis=0, dtype="float64").ravel()
    )


def test_one_dimensional_data_gets_a_histogram_per_epoch(tmp_path):
    run = tmp_path / "run"
    train(tiny(run, dataset="gaussian_1d", epochs=1))
    picture = run / "samples" / "epoch_0001.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _fake_tfds(monkeypatch):
    """`load_dataset` for a TFDS name, without TFDS: 4x4 images, other ones per split."""
    rng = np.random.default_rng(0)
    splits = {
        "train": rng.uniform(size=(200, 4, 4, 1)).astype("float32"),
        "train[200:250]": rng.uniform(size=(50, 4, 4, 1)).astype("float32"),
    }
    monkeypatch.setattr(trainer, "load_dataset", lambda name, split, **kwargs: splits[split])


def keep_best(run_dir, **changes):
    values = dict(
        dataset="mnist",
        validation_split="train[200:250]",
        keep_best="validation_parzen",
        eval_every=1,
        epochs=4,
        checkpoints_to_keep=4,
    )
    values.update(changes)
    return tiny(run_dir, **values)


def test_keep_best_keeps_the_checkpoint_with_the_best_validation_parzen(tmp_path, monkeypatch):
    _fake_tfds(monkeypatch)
    run = tmp_path / "run"
    result = train(keep_best(run))
    history = json.loads((run / "checkpoints/step-000000008/state.json").read_text())["history"]
    values = [record["eval_validation_parzen"] for record in history]
    assert len(set(values)) == 4  # the generator changed, and so did the estimate
    best_epoch = int(np.argmax(values)) + 1
    best_folders = [p.name for p in (run / "best").iterdir()]
    assert best_folders == [f"step-{best_epoch * 2:09d}"]
    state = json.loads((run / "best" / best_folders[0] / "state.json").read_text())
    assert state["best"] == {"monitor": "eval_validation_parzen", "value": max(values)}
    assert result.best["step"] == best_epoch * 2
    # The kept model is that epoch's model, and the export / evaluation tools read the folder.
    from keras_gan.export.sources import load_trained_gan

    kept = load_trained_gan(run / "best")
    same_epoch = keras.saving.load_model(run / f"checkpoints/step-{best_epoch * 2:09d}/gan.keras")
    _assert_same_variables(kept, same_epoch, rtol=0, atol=0)


def test_keep_best_remembers_the_best_across_a_resume(tmp_path, monkeypatch):
    _fake_tfds(monkeypatch)
    train(keep_best(tmp_path / "once"))
    train(keep_best(tmp_path / "twice", epochs=2))
    train(keep_best(tmp_path / "twice", resume=True))
    folders = [
        sorted(p.name for p in (tmp_path / run / "best").iterdir()) for run in ("once", "twice")
    ]
    assert folders[0] == folders[1]
    state = [
        json.loads((tmp_path / run / "best" / folders[0][0] / "state.json").read_text())["best"]
        for run in ("once", "twice")
    ]
    assert state[0] == state[1]


def test_validation_parzen_does_not_change_what_is_trained(tmp_path, monkeypatch):
    _fake_tfds(monkeypatch)
    plain = train(tiny(tmp_path / "plain", dataset="mnist", epochs=2))
    kept = train(keep_best(tmp_path / "kept", epochs=2))
    _assert_same_variables(plain.gan, kept.gan, rtol=0, atol=0)


@pytest.mark.parametrize("decay", ["linear", "cosine"])
def test_lr_decay_reaches_zero_at_the_last_step_of_both_optimizers(tmp_path, decay):
    gan = train(tiny(tmp_path / "run", lr_decay=decay, d_steps=2, batch_size=200)).gan
    assert int(gan.d_optimizer.iterations) == 2 * int(gan.g_optimizer.iterations) == 20
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        # Keras' learning_rate property evaluates the schedule at the current iteration.
        assert float(optimizer.learning_rate) == pytest.approx(0.0, abs=1e-9)
    # Halfway through D's 20 updates, both shapes are at half the initial rate.
    schedule = keras.optimizers.schedules.deserialize(gan.d_optimizer.get_config()["learning_rate"])
    assert float(schedule(10)) == pytest.approx(5e-4, rel=1e-5)
    assert float(schedule(15)) < float(schedule(5))


def test_lr_decay_fixes_the_run_length(tmp_path):
    train(tiny(tmp_path / "run", lr_decay="linear"))
    with pytest.raises(ValueError, match="--epochs=2 in the run, 3 now"):
        train(tiny(tmp_path / "run", lr_decay="linear", epochs=3, resume=True))


def _class_folder(folder, classes=("circle", "square"), per_class=50):
    rng = np.random.default_rng(0)
    for value, name in enumerate(classes):
        (folder / name).mkdir(parents=True)
        for i in range(per_class):
            image = np.clip(rng.normal(0.3 + 0.4 * value, 0.1, (8, 8, 1)), 0, 1)
            keras.utils.save_img(folder / name / f"{i:03d}.png", image, scale=False)
    return folder


def test_a_conditional_run_on_class_folders_names_its_classes_everywhere(tmp_path):
    images = _class_folder(tmp_path / "images")
    run = tmp_path / "run"
    config = tiny(
        run, dataset="folder", data_dir=str(images), conditional=True, export=True, batch_size=20
    )
    result = train(config)
    assert result.gan.num_classes == 2 and result.gan.class_names == ["circle", "square"]
    assert json.loads((run / "config.json").read_text())["class_names"] == ["circle", "square"]
    served = (pathlib.Path(result.export_path) / "assets.extra/class_names.txt").read_text()
    assert served.splitlines() == ["circle", "square"]
    assert (run / "samples/epoch_0002.png").is_file()
    loaded = keras.saving.load_model(run / "checkpoints/step-000000010/gan.keras")
    assert loaded.class_names == ["circle", "square"]


def test_a_conditional_run_stopped_mid_epoch_resumes_exactly(tmp_path, capsys):
    from tests.train.test_train_script import SignalAtStep

    settings = dict(conditional=True, label_distribution="uniform", d_steps=2)
    straight = train(tiny(tmp_path / "straight", **settings))
    capsys.readouterr()
    stopped = train(tiny(tmp_path / "stopped", **settings), [SignalAtStep(5, signal.SIGTERM)])
    assert (stopped.stopped_by, stopped.step) == ("SIGTERM", 5)
    # The epoch's line shows the 5 steps it ran, not 10/10 (Keras' own logger).
    epoch_lines = [line for line in capsys.readouterr().out.splitlines() if " - d_" in line]
    assert len(epoch_lines) == 1 and epoch_lines[0].split()[0] == "5/10", epoch_lines
    resumed = train(tiny(tmp_path / "stopped", resume=True, **settings))
    assert resumed.step == 20 and resumed.mode_coverage is not None
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)


def test_a_resume_on_data_of_other_classes_is_refused_and_changes_nothing(tmp_path):
    images = _class_folder(tmp_path / "images")
    config = dict(dataset="folder", data_dir=str(images), conditional=True, batch_size=20)
    train(tiny(tmp_path / "run", epochs=1, **config))
    before = sorted(p.name for p in (tmp_path / "run/checkpoints").iterdir())
    (images / "square").rename(images / "triangle")
    with pytest.raises(ValueError, match=r"checkpoint has \['circle', 'square'\]. Received: "):
        train(tiny(tmp_path / "run", resume=True, **config))
    assert sorted(p.name for p in (tmp_path / "run/checkpoints").iterdir()) == before


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"label_distribution": "uniform"}, "--label_distribution needs --conditional"),
        ({"label_distribution": "balanced", "conditional": True}, "must be one of data, uniform"),
        (
            {"auxiliary_classifier": 1.0, "conditional": True},
            "needs --conditional and --model=dcgan",
        ),
        ({"auxiliary_classifier": -1.0}, "--auxiliary_classifier must be a number >= 0"),
        (
            {"conditioning": "concat", "conditional": True, "model": "dcgan"},
            "--conditioning must be one of auxiliary_classifier, projection, projection_and_",
        ),
        ({"conditioning": "projection"}, "--conditioning needs --conditional and --model=dcgan"),
        (
            {"conditioning": "auxiliary_classifier", "conditional": True, "model": "dcgan"},
            "class head, which needs the weight of its loss: --auxiliary_classifier > 0. "
            "Received: --conditioning=auxiliary_classifier",
        ),
        (
            {
                "conditioning": "projection",
                "auxiliary_classifier": 0.5,
                "conditional": True,
                "model": "dcgan",
            },
            "no class head for --auxiliary_classifier=0.5",
        ),
        (
            {"conditional": True, "dataset": "gaussian_1d"},
            "--dataset has no classes for --conditional; the labelled synthetic sets are grid",
        ),
    ],
)
def test_bad_conditional_flags_are_named_before_anything_is_written(tmp_path, changes, message):
    with pytest.raises(ValueError, match=message):
        train(tiny(tmp_path / "run", **changes))
    assert not (tmp_path / "run").exists()


def test_a_mixture_prior_run_learns_its_components_resumes_and_exports(tmp_path):
    # --mixture_components puts DeLiGAN's learned prior in front of G.
    straight = train(tiny(tmp_path / "straight", mixture_components=3, export=True))
    prior = straight.gan.generator.get_layer("mixture_prior")
    assert prior.components == 3 and tuple(prior.means.shape) == (3, 4)
    assert straight.gan.latent_dim == 4 + 3  # [eps | one-hot k]
    assert not np.allclose(prior.scales.numpy(), 0.2)  # trained (and pulled by the penalty)
    train(tiny(tmp_path / "resumed", epochs=1, mixture_components=3))
    resumed = train(tiny(tmp_path / "resumed", resume=True, mixture_components=3))
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)
    assert (tmp_path / "straight/export/generator/1/saved_model.pb").is_file()


def test_an_auxiliary_classifier_run_builds_ac_gan_and_resumes(tmp_path):
    images = _class_folder(tmp_path / "images", per_class=20)
    config = dict(
        dataset="folder",
        data_dir=str(images),
        conditional=True,
        model="dcgan",
        filters=4,
        batch_size=10,
        auxiliary_classifier=0.5,
    )
    straight = train(tiny(tmp_path / "straight", **config))
    assert straight.gan.auxiliary_classifier == 0.5
    assert straight.gan.discriminator.conditioning == "auxiliary_classifier"
    train(tiny(tmp_path / "resumed", epochs=1, **config))
    resumed = train(tiny(tmp_path / "resumed", resume=True, **config))
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)


def test_a_streamed_run_trains_exactly_as_from_memory_and_may_switch_at_resume(tmp_path):
    images = _class_folder(tmp_path / "images", per_class=20)
    config = dict(dataset="folder", data_dir=str(images), conditional=True, batch_size=10)
    memory = train(tiny(tmp_path / "memory", **config))
    streamed = train(tiny(tmp_path / "streamed", stream=True, **config))
    # The same batches, bit for bit, so the same updates.
    _assert_same_variables(memory.gan, streamed.gan, rtol=0, atol=0)
    assert (tmp_path / "streamed/samples/nearest_neighbours.png").is_file()
    train(tiny(tmp_path / "switched", epochs=1, **config))
    switched = train(tiny(tmp_path / "switched", resume=True, stream=True, **config))
    _assert_same_variables(memory.gan, switched.gan, rtol=0, atol=0)


def test_a_run_streamed_from_tfds_trains_exactly_as_from_memory(
    tmp_path, mnist_data_dir, mnist_array_record_dir
):
    config = dict(
        dataset="mnist", split="train[:200]", conditional=True, batch_size=50, g_units=(8,)
    )
    memory = train(tiny(tmp_path / "memory", data_dir=str(mnist_data_dir), **config))
    streamed = train(
        tiny(tmp_path / "streamed", data_dir=str(mnist_array_record_dir), stream=True, **config)
    )
    assert list(streamed.gan.class_names) == list(memory.gan.class_names) == list("0123456789")
    _assert_same_variables(memory.gan, streamed.gan, rtol=0, atol=0)
    assert (tmp_path / "streamed/samples/nearest_neighbours.png").is_file()


def test_a_streamed_run_on_two_replicas_reads_the_batches_of_one(tmp_path):
    images = _class_folder(tmp_path / "images", per_class=20)
    config = dict(dataset="folder", data_dir=str(images), batch_size=10)
    one = train(tiny(tmp_path / "one", **config))
    two = train(
        tiny(tmp_path / "two", stream=True, strategy="mirrored", num_cpu_devices=2, **config)
    )
    # Same global batches; only float summation order differs (as from memory).
    _assert_same_variables(one.gan, two.gan, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({}, r"--dataset must be folder or a TFDS name with --stream .*--dataset=ring"),
        ({"dataset": "npz"}, r"--dataset must be folder or a TFDS name .*--dataset=npz"),
        ({"dataset": "folder", "gcn": 55.0}, "--gcn cannot be used with --stream"),
        (
            {"dataset": "folder", "output_bias_from_data": True},
            "--output_bias_from_data cannot be used with --stream",
        ),
    ],
)
def test_what_needs_all_the_data_in_memory_refuses_to_stream(tmp_path, changes, message):
    with pytest.raises(ValueError, match=message):
        train(tiny(tmp_path / "run", stream=True, data_dir=str(tmp_path), **changes))
    assert not (tmp_path / "run").exists()


def test_a_cifar10_run_from_its_npz_files_trains_and_exports_colour_images(
    tmp_path, cifar10_manual_dir
):
    run = tmp_path / "run"
    config = tiny(
        run,
        dataset="cifar10",
        manual_dir=str(cifar10_manual_dir),
        split="train[:64]",
        conditional=True,
        model="dcgan",
        filters=8,
        latent_dim=8,
        batch_size=32,
        epochs=1,
        export=True,
    )
    result = train(config)
    assert result.step == 2
    names = json.loads((run / "config.json").read_text())["class_names"]
    assert names[0] == "airplane" and len(names) == 10
    served = tf.saved_model.load(result.export_path)
    samples = served.signatures["generate"](
        num_samples=tf.constant(2), seed=tf.constant(0, tf.int64), labels=tf.constant([0, 9])
    )["samples"]
    assert samples.shape == (2, 32, 32, 3)
    assert (run / "samples/nearest_neighbours.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_contrast_normalised_run_trains_on_gcn_images_with_a_linear_output(
    tmp_path, cifar10_manual_dir, monkeypatch
):
    seen = []
    original = trainer.make_epoch_pipeline

    def spy(samples, *args, **kwargs):
        seen.append(samples)
        return original(samples, *args, **kwargs)

    monkeypatch.setattr(trainer, "make_epoch_pipeline", spy)
    searched = []
    original_neighbours = trainer.write_nearest_neighbours

    def neighbours_spy(samples, training, *args, **kwargs):
        searched.append((training, kwargs["space"]))
        return original_neighbours(samples, training, *args, **kwargs)

    monkeypatch.setattr(trainer, "write_nearest_neighbours", neighbours_spy)
    run = tmp_path / "run"
    config = tiny(
        run,
        dataset="cifar10",
        manual_dir=str(cifar10_manual_dir),
        split="train[:64]",
        model="dcgan",
        filters=8,
        latent_dim=8,
        batch_size=32,
        epochs=1,
        gcn=55.0,
    )
    result = train(config)
    norms = np.linalg.norm(seen[0].reshape(64, -1).astype("float64"), axis=1)
    np.testing.assert_allclose(norms, 55.0, rtol=1e-4)
    # The memorisation check searches the images the model saw, not raw pixels.
    ((training, space),) = searched
    assert space == "contrast-normalised"  # what the picture's title names
    np.testing.assert_allclose(
        np.linalg.norm(training.reshape(64, -1).astype("float64"), axis=1), 55.0, rtol=1e-4
    )
    assert result.gan.generator.output_activation == "linear"
    for name in ("epoch_0001.png", "interpolations.png", "nearest_neighbours.png"):
        assert (run / "samples" / name).is_file()


def test_cifar10_from_its_npz_files_refuses_to_stream(tmp_path, cifar10_manual_dir):
    config = tiny(
        tmp_path / "run", dataset="cifar10", manual_dir=str(cifar10_manual_dir), stream=True
    )
    with pytest.raises(ValueError, match=r"CIFAR-10 from its \.npz files is read into memory"):
        train(config)
    assert not (tmp_path / "run").exists()


def test_a_log_file_hears_from_a_long_epoch_between_epoch_lines(tmp_path, capsys, monkeypatch):
    # Off a terminal Keras prints one line per epoch: a CIFAR-10 epoch on a CPU core
    # was 4-15 minutes of silence in nohup's log. Lines now come every EVERY_SECONDS.
    from keras_gan.train import progress_line

    monkeypatch.setattr(progress_line, "EVERY_SECONDS", 0.0)
    train(tiny(tmp_path / "run"))
    output = capsys.readouterr().out
    assert "\r" not in output and "\x1b" not in output
    inside = [line for line in output.splitlines() if line.startswith("  ") and "steps, " in line]
    # Every step but each epoch's last (the epoch's own line reports that one), twice.
    assert [line.split()[0] for line in inside] == [f"{i}/10" for i in range(1, 10)] * 2
    assert "left - " in inside[4] and " - d_loss: " in inside[4] and " - g_loss: " in inside[4]
    assert sum(line.startswith("10/10 - ") for line in output.splitlines()) == 2
