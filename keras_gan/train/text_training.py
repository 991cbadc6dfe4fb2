"""`train_text(config)`: a run on token sequences (--dataset=text or text_oracle):
maximum likelihood, then the Gumbel-softmax GAN or SeqGAN (or ARAE's autoencoder, then a
GAN of its codes), then the scores."""

import dataclasses
import json

import keras
import numpy as np
import tensorflow as tf

from keras_gan import run_layout
from keras_gan.callbacks import GumbelTemperature
from keras_gan.data.pipeline import epoch_index_batches
from keras_gan.files import write_json
from keras_gan.layers import RelationalMemoryCell
from keras_gan.models import CodeTextGenerator
from keras_gan.models import MaximumLikelihood
from keras_gan.models import SeqGAN
from keras_gan.models import TextAutoencoder
from keras_gan.models import TextDiscriminator
from keras_gan.models import TextGenerator
from keras_gan.models import text_gan
from keras_gan.run_layout import D_PRETRAIN
from keras_gan.run_layout import PRETRAIN
from keras_gan.run_layout import VOCABULARY_FILE
from keras_gan.text import Corpus
from keras_gan.text import Vocabulary
from keras_gan.text import oracle_generator
from keras_gan.text import read_sentences
from keras_gan.text import seqgan_oracle
from keras_gan.text.evaluation import TextEvaluation
from keras_gan.text.evaluation import generated_sentences
from keras_gan.text.evaluation import nll_per_token
from keras_gan.train.builders import build_gan
from keras_gan.train.run_directory import RunDirectory
from keras_gan.train.run_keeper import RunKeeper
from keras_gan.train.signal_stop import SignalStop

SCORES_FILE = "scores.json"
PRETRAINED_SCORES_FILE = "pretrained_scores.json"  # the MLE G a game started from
SAMPLES_FILE = "samples.txt"
ORACLE_TEST_SAMPLES = 10_000
SAMPLES_PER_EPOCH = 5


@dataclasses.dataclass
class TextData:
    """Training ids, held-out ids, and what turns ids into words (None for the oracle)."""

    ids: np.ndarray
    test_ids: np.ndarray
    vocabulary: object
    vocab_size: int
    length: int
    test_sentences: list | None = None
    oracle: object = None

    def words(self, ids):
        if self.vocabulary is None:
            return [" ".join(map(str, row)) for row in np.asarray(ids)]
        return [" ".join(s) for s in self.vocabulary.decode(ids)]


def load_text_data(config):
    """The data of a text run; every file is read and checked here, before any work."""
    if config.dataset == "text_oracle":
        if config.oracle_params:
            try:
                oracle = seqgan_oracle(config.oracle_params)
            except ValueError as error:
                raise ValueError(f"--oracle_params: {error}") from None
        else:
            oracle = oracle_generator(seed=config.oracle_seed)
        ids = oracle.sample(config.num_samples, seed=[config.oracle_seed, 1]).numpy()
        test_ids = oracle.sample(ORACLE_TEST_SAMPLES, seed=[config.oracle_seed, 2]).numpy()
        return TextData(ids, test_ids, None, oracle.vocab_size, oracle.length, oracle=oracle)
    try:
        corpus = Corpus.from_file(config.text_file)
    except ValueError as error:
        raise ValueError(f"--text_file: {error}") from None
    test_sentences, test_ids = None, corpus.ids
    if config.text_test_file:
        try:
            test_ids = corpus.encode_file(config.text_test_file)
            test_sentences = read_sentences(config.text_test_file)
        except ValueError as error:
            raise ValueError(f"--text_test_file: {error}") from None
    return TextData(
        corpus.ids,
        test_ids,
        corpus.vocabulary,
        corpus.vocabulary.size,
        corpus.length,
        test_sentences=test_sentences,
    )


def id_batches(ids, batch_size, seed, epochs, start_step=0, steps_per_epoch=None, one_hot=None):
    """The run's batches of token ids from `start_step` on, in the order image runs use
    (epoch e a stateless permutation of (seed, e)), so a resumed run reads the same
    batches; one-hot rows of `one_hot` ids for the Gumbel GAN. Returns
    `(dataset, steps_per_epoch)`."""
    indices, steps_per_epoch = epoch_index_batches(
        len(ids), batch_size, seed, epochs, start_step, steps_per_epoch
    )
    data = tf.constant(ids)

    def gather(index):
        batch = tf.gather(data, index)
        return tf.one_hot(batch, one_hot) if one_hot else batch

    batches = indices.map(gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return batches.prefetch(tf.data.AUTOTUNE), steps_per_epoch


class TextSamples(keras.callbacks.Callback):
    """After every epoch: a few seeded samples printed, appended to samples.txt and
    written to TensorBoard as text. `draw(model)` returns their ids."""

    def __init__(self, draw, data, folder, logs_dir, phase):
        super().__init__()
        self.draw = draw
        self.data = data
        self.folder = folder
        self.writer = tf.summary.create_file_writer(str(logs_dir))
        self.phase = phase

    @classmethod
    def of_generator(cls, generator_of, data, folder, logs_dir, seed, phase):
        """Samples of `generator_of(model)`, the same seed after every epoch."""

        def draw(model):
            return generator_of(model).sample(SAMPLES_PER_EPOCH, seed=[seed, 7])

        return cls(draw, data, folder, logs_dir, phase)

    def on_epoch_end(self, epoch, logs=None):
        ids = np.asarray(self.draw(self.model))
        lines = self.data.words(ids)
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / SAMPLES_FILE, "a", encoding="utf-8") as file:
            file.write(f"# {self.phase} epoch {epoch + 1}\n" + "".join(f"{s}\n" for s in lines))
        print(f"samples, {self.phase} epoch {epoch + 1}:", flush=True)
        for line in lines:
            print(f"  {line}", flush=True)
        with self.writer.as_default():
            tf.summary.text(f"{self.phase}_samples", "\n\n".join(lines), step=epoch + 1)
        self.writer.flush()


class _PretrainCheckpoint(keras.callbacks.Callback):
    def __init__(self, run, steps_per_epoch, keep):
        super().__init__()
        self.run, self.steps_per_epoch, self.keep = run, steps_per_epoch, keep

    def on_epoch_end(self, epoch, logs=None):
        state = {
            "step": (epoch + 1) * self.steps_per_epoch,
            "epoch": epoch + 1,
            "steps_per_epoch": self.steps_per_epoch,
            "loss": float((logs or {}).get("loss", float("nan"))),
        }
        self.run.save_checkpoint(self.model, state, self.keep, kind=PRETRAIN)


def _text_generator(config, data):
    """G: an LSTM, or RelGAN's relational memory core, as --text_generator says."""
    cell = None
    if config.text_generator == "relational_memory":
        cell = RelationalMemoryCell(
            config.memory_slots, config.memory_head_size, config.memory_heads
        )
    initializer = None
    if config.g_init_stddev:
        initializer = keras.initializers.RandomNormal(stddev=config.g_init_stddev)
    return TextGenerator(
        data.vocab_size,
        data.length,
        embedding_dim=config.embedding_dim,
        units=config.lstm_units,
        cell=cell,
        initializer=initializer,
    )


def _autoencoder(config, data):
    """ARAE's autoencoder, its LSTMs of --lstm_units (the code's size) initialised as G's."""
    return TextAutoencoder(
        data.vocab_size,
        data.length,
        embedding_dim=config.embedding_dim,
        units=config.lstm_units,
        code_noise=config.code_noise,
        end_id=None if data.oracle is not None else 0,  # the oracle's sequences have no end
        initializer=_text_generator(config, data).initializer,
        seed=config.seed,
    )


def _g_optimizer(config, learning_rate, **kwargs):
    """G's Adam, its gradients clipped to --g_clipnorm's global norm when that is set."""
    clip = {"global_clipnorm": config.g_clipnorm} if config.g_clipnorm else {}
    return keras.optimizers.Adam(learning_rate, **kwargs, **clip)


class _StopOnSignal(keras.callbacks.Callback):
    """A SIGINT or SIGTERM lets the current step finish, then stops `fit`."""

    def __init__(self):
        super().__init__()
        self.signals = SignalStop(on_signal=self._stop)

    def _stop(self):
        self.model.stop_training = True

    def on_train_begin(self, logs=None):
        self.signals.install()

    def on_train_end(self, logs=None):
        self.signals.restore()


def _maximum_likelihood(run, config, data, epochs):
    """Trains G by maximum likelihood (for --model=arae, the autoencoder) for `epochs`,
    resuming at the last finished epoch; returns `(G, None)`, or `(G, the stopped run's
    TrainResult)` if a signal stopped it (an epoch a signal cut short is not saved: the
    resumed run redoes it). For ARAE "G" is the `TextAutoencoder`."""
    arae = config.model == "arae"
    resumed = run_layout.latest_checkpoint(run.path, PRETRAIN) if config.resume else None
    if resumed:
        mle, done = run.load_checkpoint(resumed[0]), resumed[1]["epoch"]
    else:
        mle = (
            _autoencoder(config, data) if arae else MaximumLikelihood(_text_generator(config, data))
        )
        done = 0
        mle.compile(_g_optimizer(config, config.pretrain_learning_rate))
    trained = mle if arae else mle.generator
    if done >= epochs:
        return trained, None
    steps = len(data.ids) // config.pretrain_batch_size
    dataset, steps_per_epoch = id_batches(
        data.ids, config.pretrain_batch_size, config.seed, epochs, done * steps
    )
    phase = "the autoencoder" if arae else "maximum likelihood"
    print(
        f"keras_gan: {phase}, {len(data.ids)} sequences of {data.length} tokens, "
        f"{data.vocab_size} ids, {steps_per_epoch} steps per epoch, epochs {done + 1}..{epochs}",
        flush=True,
    )
    if arae:  # how the first training sentences come back from their codes
        samples = TextSamples(
            lambda model: model.reconstruct(data.ids[:SAMPLES_PER_EPOCH]),
            data,
            run.samples,
            run.logs,
            PRETRAIN,
        )
    else:
        samples = TextSamples.of_generator(
            lambda model: model.generator, data, run.samples, run.logs, config.seed, PRETRAIN
        )
    stop = _StopOnSignal()
    try:
        mle.fit(
            dataset.map(lambda ids: (ids, ids)),
            initial_epoch=done,
            epochs=epochs,
            steps_per_epoch=steps_per_epoch,
            verbose=2,
            callbacks=[
                _PretrainCheckpoint(run, steps_per_epoch, config.checkpoints_to_keep),
                samples,
                keras.callbacks.TensorBoard(str(run.logs / PRETRAIN), write_graph=False),
                stop,
            ],
        )
    finally:
        stop.signals.restore()  # Keras skips on_train_end when fit raises
    if stop.signals.stopped_by is None:
        return trained, None
    return trained, _stopped_result(
        trained,
        stop.signals.stopped_by,
        phase,
        int(mle.optimizer.iterations.numpy()),
        steps_per_epoch * epochs,
        _latest(run, PRETRAIN),
    )


def _codes(autoencoder, ids, batch=1000):
    """The autoencoder's codes of `ids`, float32 `(len(ids), code_dim)`."""
    return np.concatenate(
        [np.asarray(autoencoder.encode(ids[i : i + batch])) for i in range(0, len(ids), batch)]
    )


def _build_game(config, data, generator, steps_per_epoch):
    if config.model == "arae":
        # --model=mlp's generator and maxout critic, on codes of --lstm_units values.
        return build_gan(config, (generator.code_dim,), steps_per_epoch)
    d_optimizer = keras.optimizers.Adam(
        config.d_learning_rate, beta_1=config.beta_1, beta_2=config.beta_2
    )
    g_optimizer = _g_optimizer(
        config, config.g_learning_rate, beta_1=config.beta_1, beta_2=config.beta_2
    )
    if config.model == "gumbel_gan":
        game = text_gan(
            data.vocab_size,
            data.length,
            generator=generator,
            d_embedding_dim=config.d_embedding_dim,
            filters=config.filters,
            spectral_norm=config.spectral_norm,
            representations=config.d_representations,
            d_steps=config.d_steps,
            seed=config.seed,
        )
    else:
        discriminator = TextDiscriminator(
            data.vocab_size,
            embedding_dim=config.d_embedding_dim,
            filters=config.filters,
            spectral_norm=config.spectral_norm,
            representations=config.d_representations,
        )
        game = SeqGAN(
            generator,
            discriminator,
            config.rollouts,
            d_steps=config.d_steps,
            seed=config.seed,
            rollout_update_rate=config.rollout_update_rate,
        )
    game.compile(d_optimizer, g_optimizer, loss=config.loss)
    return game


def _pretrain_discriminator(run, seqgan, config, data, done_epochs):
    """`--d_pretrain_epochs` passes of D alone over the training ids (SeqGAN's D
    pretraining), in batches of `--batch_size`, an order of their own, from epoch
    `done_epochs` on. The game (D, its optimizer and the random state) is saved
    after every epoch as RUN_DIR/d_pretrain/step-N, so a resumed run continues at the
    last finished epoch and reads the same batches. Returns None, or the stopped run's
    `TrainResult` if a signal stopped it (after the step it came in; that epoch is
    redone on resume)."""
    epochs = config.d_pretrain_epochs
    if done_epochs >= epochs:  # finished before the run was stopped, in the game's first epoch
        return None
    steps_per_epoch = len(data.ids) // config.batch_size  # one pass, as id_batches reads
    batches, _ = id_batches(
        data.ids, config.batch_size, config.seed + 2, epochs, done_epochs * steps_per_epoch
    )
    print(
        f"keras_gan: pretraining D for {epochs} epochs ({steps_per_epoch * epochs} steps of "
        f"{config.d_steps} updates) on G's samples"
        + (f"; resuming at epoch {done_epochs + 1}" if done_epochs else ""),
        flush=True,
    )
    batches = iter(batches)
    with SignalStop() as signals:
        for epoch in range(done_epochs + 1, epochs + 1):
            loss, done = seqgan.pretrain_discriminator(
                batches, steps_per_epoch, should_stop=lambda: signals.stopped_by
            )
            if done == steps_per_epoch:
                state = {"step": epoch * steps_per_epoch, "epoch": epoch, "d_loss": loss}
                run.save_checkpoint(seqgan, state, keep=1, kind=D_PRETRAIN)
                print(f"D pretraining: epoch {epoch} of {epochs}, d_loss {loss:.4f}", flush=True)
            if signals.stopped_by:
                return _stopped_result(
                    seqgan,
                    signals.stopped_by,
                    "D pretraining",
                    (epoch - 1) * steps_per_epoch + done,
                    steps_per_epoch * epochs,
                    _latest(run, D_PRETRAIN),
                )
    return None


def train_text(config, callbacks=()):
    """Runs the text training `config` describes, writing into `config.run_dir`.

    Maximum likelihood for `pretrain_epochs` (`--model=mle`: for `epochs`) in
    batches of `pretrain_batch_size`, every epoch one pass over the data,
    then, for `gumbel_gan` and `seqgan`, the game for `epochs` (`arae`: the
    autoencoder in place of maximum likelihood, then a GAN of its codes); then the
    scores of the final generator at each of `text_temperatures`, written to
    RUN_DIR/scores.json. Both phases resume from their last checkpoint with
    `resume` and read the same batches as an uninterrupted run (the game
    from its last step, maximum likelihood from its last finished epoch).

    Returns:
        A `keras_gan.train.trainer.TrainResult` with `scores`.
    """
    from keras_gan.train.trainer import TrainingDiverged
    from keras_gan.train.trainer import TrainResult
    from keras_gan.train.trainer import _fit
    from keras_gan.train.trainer import _versions

    run = RunDirectory(config.run_dir)
    run.check_can_start(config)
    data = load_text_data(config)
    _check_vocabulary(run, config, data)
    keras.utils.set_random_seed(config.seed)
    run.write_config(config, _versions())
    if data.vocabulary is not None:
        data.vocabulary.save(run.path / VOCABULARY_FILE)
    game_resumed = run.latest_checkpoint() if config.resume else None
    d_resumed = None
    if config.resume and game_resumed is None:
        d_resumed = run_layout.latest_checkpoint(run.path, D_PRETRAIN)
    mle_only = config.model == "mle"
    arae = config.model == "arae"
    pretrain_epochs = config.epochs if mle_only else config.pretrain_epochs
    # ARAE's game is not the autoencoder's: a resumed game reloads it from its phase.
    if (game_resumed is None and d_resumed is None) or arae:
        generator, stopped = _maximum_likelihood(run, config, data, pretrain_epochs)
        if stopped:
            return stopped
        if not (mle_only or arae or game_resumed):
            # The baseline the game must beat, scored as the game's result will be.
            _score(run, config, data, generator, PRETRAINED_SCORES_FILE, "pretrained G")
    if mle_only:
        step = int(_pretrain_steps(run))
        scores = _score(run, config, data, generator)
        return TrainResult(
            gan=generator,
            step=step,
            total_steps=step,
            stopped_by=None,
            checkpoint=_latest(run, PRETRAIN),
            export_path=_export(run, config, data, generator),
            mode_coverage=None,
            scores=scores,
        )

    one_hot = data.vocab_size if config.model == "gumbel_gan" else None
    start_step = game_resumed[1]["step"] if game_resumed else 0
    # ARAE's GAN learns the autoencoder's codes of the training sentences.
    examples = _codes(generator, data.ids) if arae else data.ids

    def batches_from(step):
        return id_batches(
            examples,
            config.batch_size,
            config.seed + 1,  # not the pretraining's order
            config.epochs,
            step,
            config.steps or None,
            one_hot,
        )

    dataset, steps_per_epoch = batches_from(start_step)
    if game_resumed:
        game = run.load_checkpoint(game_resumed[0])
    else:
        if d_resumed:
            game = run.load_checkpoint(d_resumed[0])
        else:
            game = _build_game(config, data, generator, steps_per_epoch)
        if config.d_pretrain_epochs:
            done_epochs = d_resumed[1]["epoch"] if d_resumed else 0
            stopped = _pretrain_discriminator(run, game, config, data, done_epochs)
            if stopped:
                return stopped
    total_steps = steps_per_epoch * config.epochs
    keeper = RunKeeper(
        run,
        steps_per_epoch,
        game_resumed[1]["history"] if game_resumed else [],
        keep=config.checkpoints_to_keep,
    )
    fit_callbacks = [keeper]
    if config.model == "gumbel_gan":
        fit_callbacks.insert(
            0,
            GumbelTemperature(
                config.gumbel_max_inverse_temperature, total_steps, config.gumbel_schedule
            ),
        )

    def text_generator_of(game):
        return CodeTextGenerator.of_gan(game, generator) if arae else game.generator

    fit_callbacks += [
        TextSamples.of_generator(
            text_generator_of, data, run.samples, run.logs, config.seed, "game"
        ),
        keras.callbacks.TensorBoard(str(run.logs), write_graph=False, update_freq="epoch"),
        *callbacks,
    ]
    print(
        f"keras_gan: {config.model}, {len(data.ids)} sequences of {data.length} tokens, "
        f"{data.vocab_size} ids, {steps_per_epoch} steps per epoch, {config.epochs} epochs; "
        f"writing to {run.path}" + (f"; resuming at step {start_step}" if game_resumed else ""),
        flush=True,
    )
    _fit(game, config, dataset, batches_from, start_step, steps_per_epoch, fit_callbacks)
    checkpoint = keeper.last_checkpoint or (game_resumed and game_resumed[0].parent)
    if keeper.diverged is not None:
        name, value, epoch, (first, last), _ = keeper.diverged
        raise TrainingDiverged(
            f"{name} became {value} in epoch {epoch} (steps {first}-{last}); training "
            f"stopped. The last good checkpoint is {checkpoint or 'none (no epoch finished)'}"
        )
    step = keeper.step()
    finished = keeper.stopped_by is None and step >= total_steps
    final = text_generator_of(game) if finished else None
    scores = _score(run, config, data, final) if finished else None
    return TrainResult(
        gan=game,
        step=step,
        total_steps=total_steps,
        stopped_by=keeper.stopped_by,
        checkpoint=str(checkpoint) if checkpoint else None,
        export_path=_export(run, config, data, final) if finished else None,
        mode_coverage=None,
        scores=scores,
    )


def _stopped_result(model, signal_name, phase, step, total_steps, checkpoint):
    """The result of a run a signal stopped before its game, in `phase`."""
    from keras_gan.train.trainer import TrainResult

    return TrainResult(
        gan=model,
        step=step,
        total_steps=total_steps,
        stopped_by=signal_name,
        checkpoint=checkpoint,
        export_path=None,
        mode_coverage=None,
        phase=phase,
    )


def _check_vocabulary(run, config, data):
    """Refuses to resume a run whose --text_file now gives other words for its ids."""
    saved = run.path / VOCABULARY_FILE
    if data.vocabulary is None or not saved.is_file():
        return
    difference = _vocabulary_difference(Vocabulary.load(saved), data.vocabulary)
    if difference:
        raise ValueError(
            f"--text_file now gives another vocabulary than the run was trained with ({saved}), "
            f"so its ids would mean other words: {difference}. Resume with the run's training "
            f"file or start a new --run_dir. Received: --text_file={config.text_file}"
        )


def _vocabulary_difference(trained, current):
    """None if the vocabularies are equal, else where they first differ, in words."""
    was, now = trained.tokens(), current.tokens()
    if was == now:
        return None
    pairs = enumerate(zip(was, now, strict=False))
    first = next((i for i, (a, b) in pairs if a != b), min(len(was), len(now)))

    def at(tokens):
        return repr(tokens[first]) if first < len(tokens) else "nothing"

    return (
        f"{len(now)} ids now, {len(was)} in the run; id {first} is {at(now)} now, "
        f"{at(was)} in the run"
    )


def _pretrain_steps(run):
    latest = run_layout.latest_checkpoint(run.path, PRETRAIN)
    return latest[1]["step"] if latest else 0


def _latest(run, kind):
    latest = run_layout.latest_checkpoint(run.path, kind)
    return str(latest[0].parent) if latest else None


def _score(run, config, data, generator, file_name=SCORES_FILE, what="final G"):
    """Scores at each temperature, written to RUN_DIR/`file_name`; None without samples."""
    if not config.text_eval_samples:
        return None
    print(f"keras_gan: scoring the {what} at temperatures {config.text_temperatures}", flush=True)
    scores = score_text_generator(
        generator, data, config.text_temperatures, config.text_eval_samples, config.seed
    )
    if data.oracle is None and file_name == SCORES_FILE:
        sentences = generated_sentences(generator, data.vocabulary, 20, seed=config.seed)
        run.samples.mkdir(parents=True, exist_ok=True)
        (run.samples / "final_samples.txt").write_text(
            "".join(f"{' '.join(s)}\n" for s in sentences)
        )
    write_json(run.path / file_name, scores)
    return scores


def evaluate_text_run(source, temperatures, num_samples, seed):
    """Scores the text generator saved at `source` on its run's data.

    Args:
        source: a text run directory (its newest game checkpoint, else its
            newest MLE one), or one of its checkpoint folders, e.g.
            `RUN_DIR/pretrain/step-N` for the MLE generator after an epoch.
        temperatures, num_samples, seed: as for `score_text_generator`.

    Returns:
        `score_text_generator`'s scores, with `source` and the checkpoint's `step`.

    Raises:
        ValueError: if `source` is not a text run's checkpoint, or its data
            files now give other words than the run was trained with.
    """
    from keras_gan.export.sources import load_saved_model
    from keras_gan.export.sources import text_generator_and_vocabulary
    from keras_gan.train.config import TrainConfig

    model, path = load_saved_model(source)
    generator, vocabulary = text_generator_and_vocabulary(model, path, source)
    recorded = run_layout.recorded_config(path)
    if recorded is None:
        raise ValueError(
            f"{str(path)!r} is not inside a run directory, so its data are unknown; score it "
            f"with keras_gan.train.text_training.score_text_generator. Received: "
            f"source={str(source)!r}"
        )
    data = load_text_data(TrainConfig.from_dict(recorded))
    difference = vocabulary and _vocabulary_difference(vocabulary, data.vocabulary)
    if difference:
        raise ValueError(
            f"--text_file {recorded['text_file']} now gives another vocabulary than the run "
            f"{str(run_layout.run_directory_of(path))!r} was trained with ({difference}). "
            f"Received: source={str(source)!r}"
        )
    scores = score_text_generator(generator, data, temperatures, num_samples, seed)
    state = path.parent / run_layout.STATE_FILE
    step = json.loads(state.read_text())["step"] if state.is_file() else None
    return {"source": str(path), "step": step, **scores}


def score_text_generator(generator, data, temperatures, num_samples, seed):
    """A text generator's scores on a run's data at each temperature, printed as they come.

    Args:
        generator: a `TextGenerator`.
        data: the run's `TextData` (`load_text_data(config)`).
        temperatures: sampling temperatures.
        num_samples: sentences sampled per temperature.
        seed: seed of the samples.

    Returns:
        For the oracle `{"oracle_entropy", "rows"}`, each row's `nll_oracle`
        (the oracle's NLL of `num_samples` samples) and `nll_test` (G's NLL of
        the held-out oracle sequences); for text `{"references", "rows"}`, each
        row `TextEvaluation`'s BLEU, self-BLEU and NLLs.
    """
    rows = []
    # ARAE's generator has no likelihood (`logits`): no NLL of data under it.
    likelihood = hasattr(generator, "logits")
    if data.oracle is not None:
        for temperature in temperatures:
            samples = generator.sample(num_samples, [seed, 3], temperature)
            rows.append(
                {
                    "temperature": temperature,
                    "nll_oracle": nll_per_token(data.oracle, samples.numpy()),
                }
            )
            if likelihood:  # G's NLL of held-out oracle sequences
                rows[-1]["nll_test"] = nll_per_token(generator, data.test_ids, temperature)
            print(_score_line(rows[-1]), flush=True)
        # The oracle's NLL of its own held-out samples: its entropy rate, the floor.
        return {"oracle_entropy": nll_per_token(data.oracle, data.test_ids), "rows": rows}
    references = data.test_sentences or data.vocabulary.decode(data.ids)
    evaluation = TextEvaluation(
        references,
        data.test_ids if likelihood else None,
        num_samples,
        train_ids=data.ids if likelihood else None,
    )
    for temperature in temperatures:
        rows.append(evaluation(generator, data.vocabulary, temperature, seed=seed))
        print(_score_line(rows[-1]), flush=True)
    references = "text_test_file" if data.test_sentences else "text_file"
    return {"references": references, "rows": rows}


def _score_line(row):
    parts = []
    if "nll_oracle" in row:
        parts.append(f"NLL_oracle {row['nll_oracle']:.3f}")
    else:
        bleu = " ".join(f"{row[f'bleu{n}']:.3f}" for n in (2, 3, 4, 5))
        parts.append(f"BLEU-2..5 {bleu}, self-BLEU-4 {row['self_bleu4']:.3f}")
    if "nll_test" in row:
        parts.append(f"NLL test {row['nll_test']:.3f}")
    if "nll_train" in row:
        parts.append(f"train {row['nll_train']:.3f}")
    return f"temperature {row['temperature']}: " + ", ".join(parts)


def _export(run, config, data, generator):
    if not config.export:
        return None
    from keras_gan.export.text_export import export_text_generator

    return str(export_text_generator(generator, run.export, data.vocabulary))
