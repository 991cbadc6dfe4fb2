"""Where a training run keeps its files: the one place that knows the layout.

The trainer writes a run directory through `keras_gan.train.run_directory.RunDirectory`;
readers (the export, evaluation) find what they need here without importing
the training package.

    config.json            the run's config and the library versions
    checkpoints/step-N/    gan.keras (both networks, both optimizers, the
                           random state) and state.json (step, history)
    best/step-N/           with --keep_best: the checkpoint with the best
                           validation value so far (state.json names it)
    samples/               epoch_NNNN.png after every epoch, losses.png; at
                           the end interpolations.png (a BiGAN's also
                           interpolations_data.png, reconstructions.png) and
                           nearest_neighbours.png (samples beside their
                           nearest training images)
    logs/                  TensorBoard scalars and sample images
    export/                the exported generator (SavedModel)
    encoder/               scripts/train_encoder.py: encoder.keras fitted to
                           a checkpoint's generator (source.json names it)
                           and its pictures

A text run (docs/text.md) also has:

    pretrain/step-N/       the maximum-likelihood phase's checkpoint after
                           every epoch (a `MaximumLikelihood` model)
    d_pretrain/step-N/     SeqGAN with --d_pretrain_epochs: the game after D's
                           last finished pretraining epoch (the newest only)
    vocabulary.txt         --dataset=text: the words of ids 2, 3, ... one per
                           line (`keras_gan.text.Vocabulary.save`)
"""

import json
import pathlib

CONFIG_FILE = "config.json"
MODEL_FILE = "gan.keras"
STATE_FILE = "state.json"
CHECKPOINTS = "checkpoints"
BEST = "best"
CHECKPOINT_PREFIX = "step-"
ENCODER_DIR = "encoder"
ENCODER_FILE = "encoder.keras"
PRETRAIN = "pretrain"
D_PRETRAIN = "d_pretrain"
VOCABULARY_FILE = "vocabulary.txt"


def checkpoint_folders(run_dir, kind=CHECKPOINTS):
    """The checkpoint folders of a run, oldest first (whole or not).

    Args:
        run_dir: the run directory.
        kind: `CHECKPOINTS` (every epoch's) or `BEST` (`--keep_best`'s).
    """
    return step_folders(pathlib.Path(run_dir) / kind)


def step_folders(folder):
    """The `step-N` folders inside `folder`, oldest first ([] if there are none)."""
    folder = pathlib.Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(CHECKPOINT_PREFIX))


def latest_checkpoint(run_dir, kind=CHECKPOINTS):
    """`(model_path, state)` of the newest whole checkpoint of a run, or None."""
    return newest_whole(checkpoint_folders(run_dir, kind))


def newest_whole(folders):
    """`(model_path, state)` of the newest whole checkpoint among `folders`, or None."""
    for folder in reversed(folders):
        model, state = folder / MODEL_FILE, folder / STATE_FILE
        if model.is_file() and state.is_file():
            return model, json.loads(state.read_text())
    return None


def run_directory_of(source):
    """The run directory that saved `source`, or None.

    Args:
        source: a run directory, one of its checkpoint folders
            (`checkpoints/step-N`, `best/step-N`, `pretrain/step-N`) or their
            parent, or the `gan.keras` inside a checkpoint folder. Anything
            else (a `.keras` file saved elsewhere, an export) has no recorded
            run: None.
    """
    path = pathlib.Path(source)
    if path.name == MODEL_FILE:
        path = path.parent
    if path.name.startswith(CHECKPOINT_PREFIX):
        path = path.parent
    if path.name in (CHECKPOINTS, BEST, PRETRAIN):
        path = path.parent
    return path if (path / CONFIG_FILE).is_file() else None


def recorded_config(source):
    """The training settings recorded for a saved GAN's run (`config.json`), or None.

    Args:
        source: as for `run_directory_of`.

    Returns:
        The `config` dict of the run's `config.json` (the flags' values), or None.
    """
    run_dir = run_directory_of(source)
    if run_dir is None:
        return None
    return json.loads((run_dir / CONFIG_FILE).read_text()).get("config")


def training_seconds(run_dir):
    """`{step: seconds of training up to that step}` at each epoch end of a run.

    From the newest checkpoint's history: each epoch record's `seconds` (its
    wall time, written since 0.8), summed, so a pause between a stop and a
    resume does not count. An epoch recorded before 0.8 has no `seconds`;
    its time is then the gap between its checkpoint's file time and the
    previous checkpoint's; the first epoch's starts when the run started
    (`_start_time`).

    Raises:
        ValueError: if the run has no checkpoint, or an epoch without
            `seconds` has lost its checkpoint (or its predecessor's), or the
            run's start is unknown.
    """
    run_dir = pathlib.Path(run_dir)
    latest = latest_checkpoint(run_dir)
    if latest is None:
        raise ValueError(f"The run has no checkpoint. Received: run_dir={str(run_dir)!r}")
    file_times = None
    steps = previous = 0
    seconds = 0.0
    times = {}
    for record in latest[1]["history"]:
        steps += record["steps"]
        if "seconds" in record:
            seconds += record["seconds"]
        else:
            if file_times is None:
                file_times = _checkpoint_file_times(run_dir)
            if steps not in file_times or previous not in file_times:
                raise ValueError(
                    f"Epoch {record['epoch']} was recorded without its time (a run from "
                    f"before 0.8), and the checkpoints it would be read from are gone. "
                    f"Received: run_dir={str(run_dir)!r}"
                )
            seconds += file_times[steps] - file_times[previous]
        times[steps] = seconds
        previous = steps
    return times


def _checkpoint_file_times(run_dir):
    """`{step: modification time}` of the checkpoints' state files; step 0: the run's start."""
    times = {}
    for folder in checkpoint_folders(run_dir):
        state = folder / STATE_FILE
        if state.is_file():
            times[json.loads(state.read_text())["step"]] = state.stat().st_mtime
    start = _start_time(run_dir)
    if times and start >= min(times.values()):
        raise ValueError(
            "The run's start time is unknown: config.json was rewritten after its first "
            "checkpoint (by a resume) and no TensorBoard log of its first start remains. "
            f"Received: run_dir={str(run_dir)!r}"
        )
    times[0] = start
    return times


def _start_time(run_dir):
    """When training first started: config.json's time, or its first TensorBoard log's.

    A resume rewrites config.json, but the first start's TensorBoard event file
    keeps its name, `events.out.tfevents.<unix time>.<host>...`.
    """
    times = [(run_dir / CONFIG_FILE).stat().st_mtime]
    for events in (run_dir / "logs").glob("**/events.out.tfevents.*"):
        created = events.name.split(".")[3]
        if created.isdigit():
            times.append(float(created))
    return min(times)
