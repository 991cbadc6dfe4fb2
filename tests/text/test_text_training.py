"""Text runs from the CLI's config: exact resume of both phases, scores, refusals."""

import dataclasses
import json
import pickle
import shutil
import signal

import keras
import numpy as np
import pytest

from keras_gan import run_layout
from keras_gan.export import load_text_generator
from keras_gan.models import CodeTextGenerator
from keras_gan.models import SeqGAN
from keras_gan.text import Corpus
from keras_gan.text import seqgan_oracle
from keras_gan.text.evaluation import nll_per_token
from keras_gan.train import TrainConfig
from keras_gan.train import text_training
from keras_gan.train import train
from keras_gan.train.text_training import evaluate_text_run
from tests.conftest import run_script
from tests.export.test_generator_export import in_fresh_tensorflow
from tests.text.test_oracle import seqgan_params
from tests.train.test_train_script import SignalAtStep
from tests.train.test_trainer import _assert_same_variables

SENTENCES = [
    "a man rides a red bike.",
    "two dogs play in the snow.",
    "a plate of food on a table.",
    "a cat sleeps on a sofa.",
    "a bus parked by the road.",
    "people walk down a busy street.",
]


@pytest.fixture(scope="module")
def text_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("text")
    rng = np.random.default_rng(0)
    lines = [SENTENCES[i] for i in rng.integers(0, len(SENTENCES), 96)]
    (folder / "train.txt").write_text("\n".join(lines) + "\n")
    (folder / "test.txt").write_text("\n".join(SENTENCES[:4]) + "\n")
    return folder


def text_run(run_dir, files, **changes):
    values = dict(
        run_dir=str(run_dir),
        dataset="text",
        text_file=str(files / "train.txt"),
        text_test_file=str(files / "test.txt"),
        model="gumbel_gan",
        embedding_dim=4,
        lstm_units=8,
        d_embedding_dim=4,
        filters=3,
        pretrain_epochs=1,
        epochs=2,
        batch_size=16,
        pretrain_batch_size=16,
        d_steps=2,
        beta_1=0.9,
        text_eval_samples=20,
        export=False,
    )
    return TrainConfig(**{**values, **changes})


def test_a_gumbel_run_stopped_mid_game_resumes_exactly(tmp_path, text_files):
    straight = train(text_run(tmp_path / "straight", text_files))
    assert straight.step == 12  # 96 / 16 batches of 2 D minibatches, 2 epochs
    stopped = train(text_run(tmp_path / "stopped", text_files), [SignalAtStep(5, signal.SIGTERM)])
    assert (stopped.stopped_by, stopped.step) == ("SIGTERM", 5)
    assert stopped.scores is None  # scored only when the run is done
    resumed = train(text_run(tmp_path / "stopped", text_files, resume=True))
    assert resumed.step == 12
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)
    # The temperature schedule reached its end in both.
    assert float(resumed.gan.generator.inverse_temperature.numpy()) == pytest.approx(
        100 ** (11 / 12)
    )


def test_a_game_run_scores_the_pretrained_generator_as_an_mle_run_would(tmp_path, text_files):
    # The baseline a GAN must beat comes with every game run: the G it started from,
    # scored exactly as `--model=mle` for `--pretrain_epochs` scores its result.
    train(text_run(tmp_path / "gan", text_files, epochs=1))
    mle = train(text_run(tmp_path / "mle", text_files, model="mle", epochs=1))
    pretrained = json.loads((tmp_path / "gan" / "pretrained_scores.json").read_text())
    assert pretrained == mle.scores
    final = json.loads((tmp_path / "gan" / "scores.json").read_text())
    assert final["rows"] != pretrained["rows"]  # the game moved G


def test_maximum_likelihood_resumes_at_its_last_epoch_and_writes_scores(tmp_path, text_files):
    straight = train(text_run(tmp_path / "straight", text_files, model="mle", epochs=3))
    train(text_run(tmp_path / "part", text_files, model="mle", epochs=2))
    resumed = train(text_run(tmp_path / "part", text_files, model="mle", epochs=3, resume=True))
    for a, b in zip(straight.gan.get_weights(), resumed.gan.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    scores = json.loads((tmp_path / "part" / "scores.json").read_text())
    row = scores["rows"][0]
    assert scores["references"] == "text_test_file"
    assert {"bleu2", "bleu5", "self_bleu4", "nll_test", "nll_train"} <= set(row)
    assert 0 <= row["bleu5"] <= row["bleu2"] <= 1
    samples = (tmp_path / "part" / "samples" / "samples.txt").read_text()
    assert "# pretrain epoch 3" in samples


def test_maximum_likelihood_stopped_by_a_signal_says_so_and_resumes_exactly(
    tmp_path, text_files, monkeypatch
):
    straight = train(text_run(tmp_path / "straight", text_files, model="mle", epochs=3))
    save_epoch = text_training._PretrainCheckpoint.on_epoch_end

    def signal_after_epoch_one(self, epoch, logs=None):
        save_epoch(self, epoch, logs)
        if epoch == 0:
            signal.raise_signal(signal.SIGTERM)

    handler = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(text_training._PretrainCheckpoint, "on_epoch_end", signal_after_epoch_one)
    stopped = train(text_run(tmp_path / "stopped", text_files, model="mle", epochs=3))
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGTERM) == handler  # the process's own handler is back
    assert (stopped.stopped_by, stopped.phase) == ("SIGTERM", "maximum likelihood")
    assert (stopped.step, stopped.total_steps) == (6, 18)
    assert stopped.checkpoint.endswith("pretrain/step-000000006") and stopped.scores is None
    assert not (tmp_path / "stopped" / "scores.json").exists()
    resumed = train(text_run(tmp_path / "stopped", text_files, model="mle", epochs=3, resume=True))
    for a, b in zip(straight.gan.get_weights(), resumed.gan.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_seqgan_run_stopped_in_d_pretraining_resumes_at_its_last_epoch_exactly(
    tmp_path, text_files, monkeypatch, capsys
):
    seqgan = dict(model="seqgan", rollouts=2, epochs=1, d_pretrain_epochs=3)
    straight = train(text_run(tmp_path / "straight", text_files, **seqgan))
    pretrain = SeqGAN.pretrain_discriminator
    calls = []

    def signal_in_epoch_two(self, *args, **kwargs):
        calls.append(None)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGTERM)  # before its first step: that step finishes
        return pretrain(self, *args, **kwargs)

    handler = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(SeqGAN, "pretrain_discriminator", signal_in_epoch_two)
    stopped = train(text_run(tmp_path / "stopped", text_files, **seqgan))
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGTERM) == handler
    # 6 steps an epoch: epoch 1's 6 and epoch 2's first; the checkpoint is epoch 1's.
    assert (stopped.stopped_by, stopped.phase) == ("SIGTERM", "D pretraining")
    assert (stopped.step, stopped.total_steps) == (7, 18)
    assert stopped.checkpoint.endswith("d_pretrain/step-000000006")
    assert not (tmp_path / "stopped" / "checkpoints").exists()  # the game never started
    pretrained_scores = tmp_path / "stopped" / "pretrained_scores.json"
    written = pretrained_scores.stat().st_mtime_ns
    resumed = train(text_run(tmp_path / "stopped", text_files, **seqgan, resume=True))
    assert resumed.step == 6
    assert int(resumed.gan.d_optimizer.iterations.numpy()) == (18 + 6) * 2
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)
    assert pretrained_scores.stat().st_mtime_ns == written  # the MLE was not redone
    # Killed after D's last pretraining epoch, before the game's first checkpoint: the
    # resumed run starts the game from D's checkpoint without pretraining D again.
    shutil.rmtree(tmp_path / "stopped" / "checkpoints")
    capsys.readouterr()
    again = train(text_run(tmp_path / "stopped", text_files, **seqgan, resume=True))
    printed = capsys.readouterr().out
    assert "pretraining D" not in printed and "maximum likelihood" not in printed
    assert pretrained_scores.stat().st_mtime_ns == written
    assert int(again.gan.d_optimizer.iterations.numpy()) == (18 + 6) * 2
    _assert_same_variables(straight.gan, again.gan, rtol=0, atol=0)


def test_seqgans_initialisation_and_clipping_reach_g_in_both_phases(tmp_path, text_files):
    run = text_run(tmp_path / "run", text_files, g_init_stddev=0.1, g_clipnorm=5.0)
    result = train(dataclasses.replace(run, pretrain_epochs=0))
    # Twelve game updates at Adam's 2e-4 move no weight by more than 0.003: G's weights
    # are still the N(0, 0.1) draws, the LSTM's forget-gate bias near 0, not 1.
    generator = result.gan.generator
    assert abs(np.std(generator.embedding.embeddings) - 0.1) < 0.03
    assert np.abs(np.asarray(generator.cell.bias)).max() < 0.5
    assert result.gan.g_optimizer.global_clipnorm == 5.0
    assert result.gan.d_optimizer.global_clipnorm is None
    train(dataclasses.replace(run, run_dir=str(tmp_path / "mle"), model="mle", epochs=1))
    (checkpoint,) = (tmp_path / "mle").rglob("gan.keras")  # the MLE epoch's
    assert keras.saving.load_model(checkpoint).optimizer.global_clipnorm == 5.0


def test_a_seqgan_run_trains_and_exports(tmp_path, text_files):
    run = text_run(
        tmp_path / "run",
        text_files,
        model="seqgan",
        rollouts=2,
        epochs=1,
        d_pretrain_epochs=2,
        rollout_update_rate=0.8,
    )
    result = train(dataclasses.replace(run, export=True))
    assert type(result.gan).__name__ == "SeqGAN" and result.step == 6
    # D's pretraining ran first: 2 epochs of 6 batches, then the game's 6, each 2 D updates.
    assert int(result.gan.d_optimizer.iterations.numpy()) == (12 + 6) * 2
    assert int(result.gan.g_optimizer.iterations.numpy()) == 6
    assert result.gan.rollout_update_rate == 0.8 and result.gan.rollout_generator is not None
    assert result.export_path and (tmp_path / "run" / "export" / "generator" / "1").is_dir()
    # The image loader refuses a text run rather than exporting relaxed one-hots as images.
    from keras_gan.export import load_trained_gan

    with pytest.raises(ValueError, match="holds a text model \\(SeqGAN\\).*scripts/export.py"):
        load_trained_gan(tmp_path / "run")


def test_a_relgan_shaped_run_trains_exports_and_serves_its_samples(tmp_path, text_files):
    """Relational memory G, D with several representations, the paired relativistic loss."""
    run = text_run(
        tmp_path / "run",
        text_files,
        text_generator="relational_memory",
        lstm_units=32,
        memory_slots=2,
        memory_head_size=4,
        memory_heads=2,
        d_representations=2,
        loss="relativistic",
        epochs=1,
        export=True,
    )
    result = train(run)
    generator = result.gan.generator
    assert type(generator.cell).__name__ == "RelationalMemoryCell"
    assert generator.cell.state_size == 2 * 4 * 2
    assert result.gan.discriminator.logits_per_sample == 2
    assert result.gan.gan_loss.name == "relativistic"
    scores = json.loads((tmp_path / "run" / "scores.json").read_text())
    assert np.isfinite(scores["rows"][0]["nll_test"])
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        seed = tf.constant(2, tf.int64)
        out = model.signatures["generate"](num_samples=tf.constant(5), seed=seed)
        OUT["ids"] = out["token_ids"].numpy().tolist()
        """,
        path=str(tmp_path / "run" / "export" / "generator" / "1"),
    )
    assert out["ids"] == generator.sample(5, seed=[2, 0]).numpy().tolist()


def arae_run(run_dir, files, **changes):
    """ARAE: an autoencoder of 8 units for 2 epochs, then a small WGAN-GP of its codes."""
    values = dict(
        model="arae",
        pretrain_epochs=2,
        g_units=(16,),
        d_units=(16,),
        d_pieces=2,
        d_input_dropout=0.0,
        d_hidden_dropout=0.0,
        latent_dim=8,
        latent_distribution="normal",
        loss="wasserstein",
        gradient_penalty=10.0,
        filters=64,  # the text D's flags at their defaults: ARAE refuses them
        d_embedding_dim=64,
    )
    return text_run(run_dir, files, **{**values, **changes})


def test_an_arae_run_resumes_exactly_and_its_decoded_codes_are_scored_served_and_evaluated(
    tmp_path, text_files
):
    straight = train(arae_run(tmp_path / "straight", text_files))
    assert type(straight.gan).__name__ == "GAN" and straight.step == 12
    assert straight.gan.generator.data_shape == (8,)  # codes of --lstm_units values
    stopped = train(arae_run(tmp_path / "stopped", text_files), [SignalAtStep(5, signal.SIGTERM)])
    assert (stopped.stopped_by, stopped.step) == ("SIGTERM", 5)
    resumed = train(arae_run(tmp_path / "stopped", text_files, resume=True, export=True))
    assert resumed.step == 12
    _assert_same_variables(straight.gan, resumed.gan, rtol=0, atol=0)
    # Scored by BLEU of decoded codes; no likelihood, so no NLL.
    row = resumed.scores["rows"][0]
    assert {"bleu2", "self_bleu4"} <= set(row) and not {"nll_test", "nll_train"} & set(row)
    # The run's text generator, loaded from the run, is the trained GAN's codes decoded.
    generator, vocabulary = load_text_generator(tmp_path / "stopped")
    assert type(generator).__name__ == "CodeTextGenerator"
    assert vocabulary == Corpus.from_file(text_files / "train.txt").vocabulary
    newest = run_layout.latest_checkpoint(tmp_path / "stopped", run_layout.PRETRAIN)
    autoencoder = keras.saving.load_model(newest[0])
    assert autoencoder.end_id == 0  # its encoder stops reading at a caption's end
    ids = generator.sample(6, seed=[4, 0]).numpy()
    expected = CodeTextGenerator.of_gan(straight.gan, autoencoder).sample(6, seed=[4, 0])
    np.testing.assert_array_equal(ids, expected)
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        seed = tf.constant(4, tf.int64)
        out = model.signatures["generate"](num_samples=tf.constant(6), seed=seed)
        OUT["ids"] = out["token_ids"].numpy().tolist()
        """,
        path=resumed.export_path,
    )
    assert out["ids"] == ids.tolist()
    evaluated = evaluate_text_run(tmp_path / "stopped", (1.0,), 20, seed=0)
    assert evaluated["step"] == 12 and evaluated["rows"] == resumed.scores["rows"]
    with pytest.raises(ValueError, match="holds ARAE's autoencoder, which makes text only"):
        evaluate_text_run(tmp_path / "stopped" / "pretrain", (1.0,), 20, seed=0)


def test_an_oracle_run_can_measure_against_seqgans_oracle_file(tmp_path):
    path = tmp_path / "target_params_py3.pkl"
    path.write_bytes(pickle.dumps(seqgan_params(vocab=9, embedding=3, units=4)))
    oracle = seqgan_oracle(path)
    run = TrainConfig(
        run_dir=str(tmp_path / "run"),
        dataset="text_oracle",
        oracle_params=str(path),
        num_samples=64,
        model="mle",
        epochs=1,
        embedding_dim=4,
        lstm_units=8,
        pretrain_batch_size=16,
        text_eval_samples=20,
        export=False,
    )
    result = train(run)
    assert result.gan.vocab_size == 9  # (an MLE run returns G) the file's vocabulary, not 5,000
    scores = json.loads((tmp_path / "run" / "scores.json").read_text())
    held_out = oracle.sample(10_000, seed=[0, 2]).numpy()
    assert scores["oracle_entropy"] == pytest.approx(nll_per_token(oracle, held_out), rel=1e-6)
    with pytest.raises(ValueError, match="--oracle_params: .*short.pkl is not SeqGAN's oracle"):
        (tmp_path / "short.pkl").write_bytes(pickle.dumps(seqgan_params()[:3]))
        train(dataclasses.replace(run, oracle_params=str(tmp_path / "short.pkl"), run_dir="x"))


def _script(name, *flags):
    return run_script(f"scripts/{name}", *flags, timeout=300)


def test_scripts_export_serves_a_text_runs_sentences_in_its_words(tmp_path, text_files):
    run = tmp_path / "run"
    train(text_run(run, text_files, model="mle", epochs=1))
    generator, vocabulary = load_text_generator(run)
    assert vocabulary == Corpus.from_file(text_files / "train.txt").vocabulary
    refused = _script(
        "export.py", f"--source={run}", f"--export_base={tmp_path}", "--max_refine_steps=2"
    )
    assert refused.returncode == 1
    assert (
        refused.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "error: --max_refine_steps does not apply to a text generator's export. Received: "
            "--max_refine_steps=2"
        )
    )
    done = _script("export.py", f"--source={run}", f"--export_base={tmp_path}", "--version=3")
    assert done.returncode == 0, done.stderr[-3000:]
    out = in_fresh_tensorflow(
        """
        model = tf.saved_model.load(VALUES["path"])
        count, seed = tf.constant(6), tf.constant(4, tf.int64)
        out = model.signatures["generate"](num_samples=count, seed=seed)
        OUT["ids"] = out["token_ids"].numpy().tolist()
        OUT["text"] = [t.decode() for t in out["text"].numpy()]
        """,
        path=str(tmp_path / "generator" / "3"),
    )
    ids = generator.sample(6, seed=[4, 0]).numpy()
    assert out["ids"] == ids.tolist()
    assert out["text"] == [" ".join(s) for s in vocabulary.decode(ids)]
    assert any(out["text"])


def test_scripts_evaluate_scores_any_checkpoint_of_a_text_run_as_training_did(tmp_path, text_files):
    run = tmp_path / "run"
    trained = train(text_run(run, text_files, model="mle", epochs=2, text_temperatures=(0.9,)))
    done = _script(
        "evaluate.py",
        f"--model={run}",
        "--text_temperatures=0.9",
        "--num_samples=20",
        f"--output={tmp_path / 'scores.json'}",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    scores = json.loads((tmp_path / "scores.json").read_text())
    assert scores["step"] == 12 and scores["rows"] == trained.scores["rows"]
    # The MLE generator after its first epoch: a checkpoint folder of the same run.
    first = evaluate_text_run(run / "pretrain" / "step-000000006", (0.9,), 20, seed=0)
    assert first["step"] == 6 and first["rows"][0]["nll_test"] != scores["rows"][0]["nll_test"]
    refused = _script("evaluate.py", f"--model={run}", "--metrics=fid")
    assert refused.returncode == 1
    assert "error: --metrics does not apply to a text run" in refused.stderr


def test_resuming_with_a_training_file_whose_words_changed_is_refused(tmp_path, text_files):
    changed = tmp_path / "train.txt"
    changed.write_text((text_files / "train.txt").read_text().replace("dogs", "wolves"))
    run = tmp_path / "run"
    train(text_run(run, text_files, model="mle", epochs=1, text_file=str(changed)))
    vocabulary_file = run / "vocabulary.txt"
    saved = vocabulary_file.read_text()
    changed.write_text((text_files / "train.txt").read_text())  # "dogs" is back
    with pytest.raises(ValueError, match="another vocabulary than the run was trained with"):
        train(text_run(run, text_files, model="mle", epochs=2, text_file=str(changed), resume=True))
    assert vocabulary_file.read_text() == saved
    assert not (run / "pretrain" / "step-000000012").exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text_file": ""}, "--text_file is required with --dataset=text"),
        ({"model": "dcgan"}, "--model must be one of mle, gumbel_gan, seqgan"),
        ({"dataset": "ring"}, "--model models token sequences: it needs --dataset=text"),
        ({"conditional": True}, "--conditional cannot be used with --dataset=text"),
        ({"eval_every": 1}, "--eval_every cannot be used with --dataset=text"),
        ({"gumbel_max_inverse_temperature": 0.5}, "--gumbel_max_inverse_temperature must be"),
        ({"gumbel_schedule": "cosine"}, "--gumbel_schedule must be one of"),
        ({"d_pretrain_epochs": 2}, "--d_pretrain_epochs applies to --model=seqgan only"),
        ({"split": "test"}, "--dataset=text has no splits and would ignore it"),
        ({"num_samples": 500}, "--dataset=text reads its own files and would ignore it"),
        ({"rollout_update_rate": 0.8}, "--rollout_update_rate applies to --model=seqgan only"),
        (
            {"model": "seqgan", "rollout_update_rate": 1.0},
            "--rollout_update_rate must be in \\[0, 1\\)",
        ),
        ({"text_temperatures": (0.0,)}, "--text_temperatures must be numbers > 0"),
        ({"strategy": "mirrored"}, "--strategy is not available for text runs yet"),
        ({"jit_compile": "true"}, "--jit_compile is not available for text runs yet"),
        ({"optimizer": "sgd"}, "--optimizer is not available for text runs"),
        ({"text_generator": "gru"}, "--text_generator must be one of lstm, relational_memory"),
        ({"memory_heads": 4}, "--memory_heads sizes --text_generator=relational_memory"),
        ({"text_generator": "relational_memory"}, "--lstm_units sizes --text_generator=lstm"),
        ({"d_representations": 3}, "--d_representations must divide --d_embedding_dim=4"),
        ({"d_representations": 0}, "--d_representations must be"),
        ({"oracle_params": "x.pkl"}, "--oracle_params is read only with --dataset=text_oracle"),
        (
            {"g_units": (64,)},
            "--g_units is read by no text model but --model=arae's GAN of codes \\(received "
            "--model=gumbel_gan\\)",
        ),
        ({"latent_dim": 10}, "--latent_dim is read by no text model but --model=arae's"),
        ({"gradient_penalty": 10.0}, "--gradient_penalty cannot be used with --dataset=text"),
        ({"code_noise": 0.2}, "--code_noise applies to --model=arae only \\(--model=gumbel_gan"),
        ({"model": "arae", "filters": 3}, "--filters is not read by --model=arae"),
        (
            {"model": "arae", "filters": 64, "d_embedding_dim": 64, "rollouts": 4},
            "--rollouts is not read by --model=arae",
        ),
        (
            {"model": "arae", "filters": 64, "d_embedding_dim": 64, "code_noise": -1.0},
            "--code_noise must be a number >= 0",
        ),
        ({"info_categorical": (5,)}, "--info_categorical is not read by text runs"),
        ({"g_init_stddev": -0.1}, "--g_init_stddev must be a number >= 0"),
        ({"g_clipnorm": float("nan")}, "--g_clipnorm must be a number >= 0"),
        (
            {"text_generator": "relational_memory", "lstm_units": 32, "g_init_stddev": 0.1},
            "--g_init_stddev initialises the LSTM generator",
        ),
    ],
)
def test_bad_text_flags_are_refused_before_anything_is_written(
    tmp_path, text_files, changes, message
):
    with pytest.raises(ValueError, match=message):
        train(text_run(tmp_path / "run", text_files, **changes))
    assert not (tmp_path / "run").exists()


def test_bad_text_files_are_refused_naming_the_flag(tmp_path, text_files):
    with pytest.raises(ValueError, match="--text_file: The text file does not exist"):
        train(text_run(tmp_path / "run", text_files, text_file=str(tmp_path / "missing.txt")))
    long = tmp_path / "long.txt"
    long.write_text("a " * 40 + "\n")
    with pytest.raises(ValueError, match="--text_test_file: .*long.txt.* 40 tokens"):
        train(text_run(tmp_path / "run", text_files, text_test_file=str(long)))
    assert not (tmp_path / "run").exists()
