"""`train(config)`: a whole run, from flags to checkpoints, pictures and export."""

import dataclasses
import sys

import keras
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gan import distribute
from keras_gan import inference
from keras_gan import plots
from keras_gan.callbacks import PeriodicEvaluation
from keras_gan.callbacks import SamplePictures
from keras_gan.data.contrast_normalization import gcn_to_display
from keras_gan.data.contrast_normalization import global_contrast_normalize
from keras_gan.data.datasets import MODES
from keras_gan.data.datasets import load_dataset
from keras_gan.data.datasets import open_stream
from keras_gan.data.pipeline import make_epoch_pipeline
from keras_gan.data.pipeline import to_array
from keras_gan.export import existing_versions
from keras_gan.export import export_generator
from keras_gan.layers import strided_conv
from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.metrics.nearest_neighbours import GCN_SPACE
from keras_gan.metrics.nearest_neighbours import NEIGHBOUR_PAIRS
from keras_gan.metrics.nearest_neighbours import write_nearest_neighbours
from keras_gan.models.labels import balanced_labels
from keras_gan.train.builders import build_gan
from keras_gan.train.builders import resume_with
from keras_gan.train.config import KEEP_BEST
from keras_gan.train.config import TEXT_SETS
from keras_gan.train.progress_line import StepsDoneProgbarLogger
from keras_gan.train.run_directory import RunDirectory
from keras_gan.train.run_keeper import RunKeeper
from keras_gan.version import __version__

EXPORT_NAME = "generator"


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite; the run stopped at its last good checkpoint."""


@dataclasses.dataclass
class TrainResult:
    """What a run left: the model, its step, and why it ended."""

    gan: keras.Model
    step: int
    total_steps: int
    stopped_by: str | None  # the signal that interrupted the run, if one did
    checkpoint: str | None
    export_path: str | None
    mode_coverage: dict | None  # for mixtures with known modes (ring, grid)
    best: dict | None = None  # --keep_best: {"checkpoint", "step", "monitor", "value"}
    scores: dict | None = None  # text runs: BLEU, self-BLEU, NLL per temperature
    phase: str | None = None  # a text run stopped before its game: the phase it was in


def train(config, callbacks=()):
    """Runs the training `config` describes, writing into `config.run_dir`.

    Every check of the input (flags, run directory, data, model) runs before
    the run directory is touched, so bad input leaves nothing behind.

    Args:
        config: a `TrainConfig`.
        callbacks: more Keras callbacks for `fit`, called after the run's
            own (evaluation, checkpoints, pictures, TensorBoard).

    Returns:
        A `TrainResult`.

    Raises:
        ValueError: for bad input, naming the flag and the value received.
        TrainingDiverged: when a loss stops being finite.
    """
    config = config.validate()
    if config.dataset in TEXT_SETS:
        from keras_gan.train.text_training import train_text

        return train_text(config, callbacks)
    run = RunDirectory(config.run_dir)
    run.check_can_start(config)
    strategy = distribute.get_strategy(config.strategy, config.num_cpu_devices, config.tpu)
    writes = distribute.is_chief(strategy)

    def load(split, **options):
        return load_dataset(
            config.dataset,
            data_dir=config.data_dir or None,
            manual_dir=config.manual_dir or None,
            split=split,
            **options,
        )

    stream = None
    if config.stream:
        stream = open_stream(
            config.dataset,
            data_dir=config.data_dir or None,
            manual_dir=config.manual_dir or None,
            split=config.split,
            with_labels=config.conditional,
        )
        training, labels, class_names = stream.images, stream.labels, stream.class_names
        # What reads data outside the batches (pictures, evaluation) gets a sample of it.
        samples = stream.in_memory_sample(config.seed)
    else:
        loaded = load(
            config.split,
            num_samples=config.num_samples,
            seed=config.seed,
            with_labels=config.conditional,
        )
        labels, class_names = None, None
        if config.conditional:
            samples, labels, class_names = loaded.samples, loaded.labels, loaded.class_names
        else:
            samples = to_array(loaded)
        training = samples
    display, space = None, "pixel"
    if config.gcn:
        # The model sees only contrast-normalised images, and the memorisation
        # check looks for its samples' neighbours among them, as the paper did.
        samples = global_contrast_normalize(samples, scale=config.gcn)
        training = samples
        display, space = gcn_to_display, GCN_SPACE
    validation = to_array(load(config.validation_split)) if config.keep_best else None
    resumed = run.latest_checkpoint() if config.resume else None
    start_step = resumed[1]["step"] if resumed else 0

    def batches_from(step):
        options = dict(
            seed=config.seed,
            epochs=config.epochs,
            start_step=step,
            steps_per_epoch=config.steps or None,
        )
        if labels is not None:  # else unconditional, or a data source that reads its own
            options["labels"] = labels
        if stream is not None:
            return distribute.distributed_batches(
                strategy, stream.make_pipeline, config.batch_size, **options
            )
        return make_epoch_pipeline(samples, config.batch_size, **options)

    dataset, steps_per_epoch = batches_from(start_step)
    if resumed and resumed[1]["steps_per_epoch"] != steps_per_epoch:
        raise ValueError(
            f"The checkpoint was written with {resumed[1]['steps_per_epoch']} steps per epoch; "
            f"this config gives {steps_per_epoch}. Received: --run_dir={config.run_dir}"
        )
    keras.utils.set_random_seed(config.seed)
    with strategy.scope():
        if resumed:
            gan = resume_with(run.load_checkpoint(resumed[0]), config)
            if config.conditional and tuple(gan.class_names or ()) != tuple(class_names):
                raise ValueError(
                    "The data's classes are not those the run was trained on: the checkpoint "
                    f"has {list(gan.class_names or ())}. Received: {list(class_names)} from "
                    f"--dataset={config.dataset}"
                )
        else:
            # float64: a float32 sum over 50,000 images loses digits of the pixel means.
            pixel_means = (
                samples.mean(axis=0, dtype="float64") if config.output_bias_from_data else None
            )
            gan = build_gan(config, samples.shape[1:], steps_per_epoch, pixel_means, class_names)

    extra_callbacks, callbacks = list(callbacks), []
    if config.eval_every:
        # First, so the values reach the checkpoint history, TensorBoard and the progress line.
        callbacks.append(
            PeriodicEvaluation(
                config.eval_every,
                config.dataset,
                samples,
                seed=config.seed,
                logs_dir=run.logs if writes else None,
                validation=validation,
            )
        )
    if writes:
        run.write_config(config, _versions(), class_names=class_names)
    best = run.best_checkpoint() if resumed else None
    keeper = RunKeeper(
        run,
        steps_per_epoch,
        resumed[1]["history"] if resumed else [],
        keep=config.checkpoints_to_keep,
        write=writes,
        monitor=KEEP_BEST.get(config.keep_best),
        best=best[1]["best"]["value"] if best else None,
    )
    callbacks.append(keeper)
    if writes:
        callbacks += [
            SamplePictures(
                run.samples, samples[:10000], seed=config.seed, logs_dir=run.logs, display=display
            ),
            keras.callbacks.TensorBoard(str(run.logs), write_graph=False, update_freq="epoch"),
        ]
    callbacks += extra_callbacks
    print(
        f"keras_gan: {config.dataset} {samples.shape[1:]}"
        + (f", {len(training)} images streamed" if stream is not None else "")
        + (f", {len(class_names)} classes" if class_names else "")
        + f", {steps_per_epoch} steps per epoch, "
        f"{config.epochs} epochs, {strategy.num_replicas_in_sync} replica(s); "
        f"writing to {run.path}" + (f"; resuming at step {start_step}" if resumed else ""),
        flush=True,
    )
    # Read when `fit` traces the step.
    with strided_conv.weight_gradients_scope(config.conv_weight_gradients):
        trained = _fit(gan, config, dataset, batches_from, start_step, steps_per_epoch, callbacks)

    checkpoint = keeper.last_checkpoint or (resumed and resumed[0].parent)
    if keeper.diverged is not None:
        name, value, epoch, (first, last), bad_step = keeper.diverged
        where = f"at step {bad_step}, " if bad_step is not None else ""
        raise TrainingDiverged(
            f"{name} became {value} {where}in epoch {epoch} (steps {first}-{last}); training "
            f"stopped. The last good checkpoint is {checkpoint or 'none (no epoch finished)'}"
        )
    step = keeper.step() if trained else start_step
    total_steps = steps_per_epoch * config.epochs
    export_path = None
    if writes and keeper.complete_history():
        plots.plot_losses(keeper.complete_history(), run.samples / "losses.png")
    finished = keeper.stopped_by is None and step >= total_steps
    if finished and writes and trained and len(samples.shape) == 4:
        encoder = getattr(gan, "encoder", None)
        inference.write_pictures(
            gan, run.samples, encoder, samples, seed=config.seed, display=display
        )
        _write_nearest_neighbours(gan, run.samples, training, config.seed, display, space)
    if (
        finished
        and config.export
        and writes
        and (trained or not existing_versions(run.export / EXPORT_NAME))
    ):
        export_path = export_generator(gan, run.export, model_name=EXPORT_NAME)
    coverage = None
    if config.dataset in MODES:
        modes, std = MODES[config.dataset]
        coverage = mode_coverage(gan.generate(2500, seed=config.seed), modes, std=std)
    best = run.best_checkpoint() if config.keep_best else None
    if best is not None:
        best = {"checkpoint": str(best[0].parent), "step": best[1]["step"], **best[1]["best"]}
    return TrainResult(
        best=best,
        gan=gan,
        step=step,
        total_steps=total_steps,
        stopped_by=keeper.stopped_by,
        checkpoint=str(checkpoint) if checkpoint else None,
        export_path=str(export_path) if export_path else None,
        mode_coverage=coverage,
    )


def _write_nearest_neighbours(gan, folder, training, seed, display, space):
    """The paper's memorisation check: samples beside their nearest training images."""
    count = NEIGHBOUR_PAIRS
    if not getattr(gan, "num_classes", None):
        samples = gan.generate(count, seed=seed)
    else:
        samples = gan.generate(count, seed=seed, labels=balanced_labels(count, gan.num_classes))
    write_nearest_neighbours(
        samples, training, folder / "nearest_neighbours.png", display=display, space=space
    )


def _fit(gan, config, dataset, batches_from, start_step, steps_per_epoch, callbacks):
    """Trains from `start_step` to the end: the rest of an interrupted epoch, then whole ones.

    Returns whether anything was left to train.
    """
    keeper = next(c for c in callbacks if isinstance(c, RunKeeper))
    options = dict(
        # Last, as Keras places its own (which this replaces).
        callbacks=[*callbacks, StepsDoneProgbarLogger()],
        verbose=1 if sys.stdout.isatty() else 2,  # one line per epoch in logs
        shuffle=False,  # the pipeline shuffles, by epoch
    )
    try:
        epoch, offset = divmod(start_step, steps_per_epoch)
        trained = epoch < config.epochs
        if offset and epoch < config.epochs:
            gan.fit(
                dataset,
                initial_epoch=epoch,
                epochs=epoch + 1,
                steps_per_epoch=steps_per_epoch - offset,
                **options,
            )
            epoch += 1
            dataset, _ = batches_from(epoch * steps_per_epoch)
        if epoch < config.epochs and keeper.stopped_by is None and keeper.diverged is None:
            gan.fit(
                dataset,
                initial_epoch=epoch,
                epochs=config.epochs,
                steps_per_epoch=steps_per_epoch,
                **options,
            )
        return trained
    finally:
        keeper.release_signals()  # Keras skips on_train_end when fit raises


def _versions():
    return {
        "keras_gan": __version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "tensorflow_datasets": tfds.__version__,
        "numpy": np.__version__,
    }
