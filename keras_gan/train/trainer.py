"""`train(config)`: a whole run, from flags to checkpoints, pictures and export."""

import dataclasses
import sys

import keras
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gan import distribute
from keras_gan import plots
from keras_gan.data.datasets import MODES
from keras_gan.data.datasets import load_dataset
from keras_gan.data.pipeline import make_epoch_pipeline
from keras_gan.export import export_generator
from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.train.builders import build_gan
from keras_gan.train.run_directory import RunDirectory
from keras_gan.train.run_keeper import RunKeeper
from keras_gan.train.sample_pictures import SamplePictures
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


def train(config):
    """Runs the training `config` describes, writing into `config.run_dir`.

    Every check of the input (flags, run directory, data, model) runs before
    the run directory is touched, so bad input leaves nothing behind.

    Args:
        config: a `TrainConfig`.

    Returns:
        A `TrainResult`.

    Raises:
        ValueError: for bad input, naming the flag and the value received.
        TrainingDiverged: when a loss stops being finite.
    """
    config = config.validate()
    run = RunDirectory(config.run_dir)
    run.check_can_start(config)
    strategy = distribute.get_strategy(config.strategy, config.num_cpu_devices, config.tpu)
    writes = distribute.is_chief(strategy)

    samples = load_dataset(
        config.dataset,
        data_dir=config.data_dir or None,
        manual_dir=config.manual_dir or None,
        split=config.split,
        num_samples=config.num_samples,
        seed=config.seed,
    )
    data_shape = _sample_shape(samples)
    resumed = run.latest_checkpoint() if config.resume else None
    start_step = resumed[1]["step"] if resumed else 0

    def batches_from(step):
        return make_epoch_pipeline(
            samples,
            config.batch_size,
            seed=config.seed,
            epochs=config.epochs,
            start_step=step,
            steps_per_epoch=config.steps or None,
        )

    dataset, steps_per_epoch = batches_from(start_step)
    if resumed and resumed[1]["steps_per_epoch"] != steps_per_epoch:
        raise ValueError(
            f"The checkpoint was written with {resumed[1]['steps_per_epoch']} steps per epoch; "
            f"this config gives {steps_per_epoch}. Received: --run_dir={config.run_dir}"
        )
    keras.utils.set_random_seed(config.seed)
    with strategy.scope():
        if resumed:
            gan = run.load_checkpoint(resumed[0])
        else:
            pixel_means = _means(samples) if config.output_bias_from_data else None
            gan = build_gan(config, data_shape, steps_per_epoch, pixel_means)

    if writes:
        run.write_config(config, _versions())
    total_steps = steps_per_epoch * config.epochs
    keeper = RunKeeper(
        run,
        steps_per_epoch,
        resumed[1]["history"] if resumed else [],
        keep=config.checkpoints_to_keep,
        write=writes,
    )
    picture_data = samples[:10000] if isinstance(samples, np.ndarray) else None
    callbacks = [
        keeper,
        SamplePictures(run.samples, run.logs, picture_data, seed=config.seed, write=writes),
    ]
    if writes:
        callbacks.append(
            keras.callbacks.TensorBoard(str(run.logs), write_graph=False, update_freq="epoch")
        )
    verbose = 1 if sys.stdout.isatty() else 2
    print(
        f"keras_gan: {config.dataset} {data_shape}, {steps_per_epoch} steps per epoch, "
        f"{config.epochs} epochs, {strategy.num_replicas_in_sync} replica(s); "
        f"writing to {run.path}" + (f"; resuming at step {start_step}" if resumed else ""),
        flush=True,
    )

    epoch, offset = divmod(start_step, steps_per_epoch)
    if start_step < total_steps and offset:
        # Finish the interrupted epoch first, then run whole epochs.
        gan.fit(
            dataset,
            initial_epoch=epoch,
            epochs=epoch + 1,
            steps_per_epoch=steps_per_epoch - offset,
            callbacks=callbacks,
            verbose=verbose,
            shuffle=False,  # the pipeline shuffles, by epoch
        )
        epoch += 1
        dataset, _ = batches_from(epoch * steps_per_epoch)
    if epoch < config.epochs and not _stopped(keeper):
        gan.fit(
            dataset,
            initial_epoch=epoch,
            epochs=config.epochs,
            steps_per_epoch=steps_per_epoch,
            callbacks=callbacks,
            verbose=verbose,
            shuffle=False,  # the pipeline shuffles, by epoch
        )

    checkpoint = keeper.last_checkpoint or (resumed and resumed[0].parent)
    if keeper.diverged is not None:
        name, value, step = keeper.diverged
        raise TrainingDiverged(
            f"{name} became {value} at step {step}; training stopped. The last good "
            f"checkpoint is {checkpoint or 'none (no epoch finished)'}"
        )
    step = keeper.step() if keeper.model is not None else start_step
    export_path = None
    if writes and keeper.complete_history():
        plots.plot_losses(keeper.complete_history(), run.samples / "losses.png")
    if keeper.stopped_by is None and step >= total_steps and config.export and writes:
        export_path = export_generator(gan, run.export, model_name=EXPORT_NAME)
    coverage = None
    if config.dataset in MODES:
        modes, std = MODES[config.dataset]
        coverage = mode_coverage(gan.generate(2500, seed=config.seed), modes, std=std)
    return TrainResult(
        gan=gan,
        step=step,
        total_steps=total_steps,
        stopped_by=keeper.stopped_by,
        checkpoint=str(checkpoint) if checkpoint else None,
        export_path=str(export_path) if export_path else None,
        mode_coverage=coverage,
    )


def _stopped(keeper):
    return keeper.stopped_by is not None or keeper.diverged is not None


def _sample_shape(samples):
    if isinstance(samples, np.ndarray):
        return tuple(samples.shape[1:])
    spec = samples.element_spec
    spec = spec[0] if isinstance(spec, tuple) else spec
    return tuple(spec.shape)


def _means(samples):
    """Mean of every value of the data (the paper's pixel marginals)."""
    if isinstance(samples, np.ndarray):
        return samples.mean(axis=0)
    images = samples.map(lambda image, *_: image)
    total = images.reduce(tf.zeros(images.element_spec.shape, tf.float64), _add_float64)
    return (total / float(images.cardinality())).numpy()


def _add_float64(total, image):
    return total + tf.cast(image, tf.float64)


def _versions():
    return {
        "keras_gan": __version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "tensorflow_datasets": tfds.__version__,
        "numpy": np.__version__,
    }
