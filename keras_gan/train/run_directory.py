"""The folder a training run owns: its config, checkpoints, pictures, logs, export."""

import json
import os
import pathlib
import shutil

import keras

from keras_gan import run_layout
from keras_gan.files import write_json
from keras_gan.run_layout import CHECKPOINT_PREFIX
from keras_gan.run_layout import CONFIG_FILE
from keras_gan.run_layout import MODEL_FILE
from keras_gan.run_layout import STATE_FILE
from keras_gan.train.config import TrainConfig


class RunDirectory:
    """Paths inside a run directory, and its config and checkpoints.

    Files are written to a temporary name and renamed into place, so a run
    killed at any moment leaves every file either whole or absent. The
    layout is `keras_gan.run_layout`'s.
    """

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.config_file = self.path / CONFIG_FILE
        self.checkpoints = self.path / run_layout.CHECKPOINTS
        self.best = self.path / run_layout.BEST
        self.samples = self.path / "samples"
        self.logs = self.path / "logs"
        self.export = self.path / "export"

    def read_config(self):
        """The config stored in the run directory, or None if there is none."""
        if not self.config_file.exists():
            return None
        try:
            stored = json.loads(self.config_file.read_text())
            return TrainConfig.from_dict(stored["config"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"{self.config_file} is not a readable keras_gan run config ({error}). "
                f"Received: --run_dir={self.path}"
            ) from error

    def check_can_start(self, config):
        """Raises `ValueError` unless `config` may start or continue a run here.

        A new run needs a new or empty folder. An existing run continues only
        with `resume` and a config that differs from the stored one at most in
        run length, data location and hardware (`RESUMABLE_CHANGES`).
        """
        if self.path.exists() and not self.path.is_dir():
            raise ValueError(f"--run_dir is not a folder. Received: --run_dir={self.path}")
        stored = self.read_config()
        if stored is None:
            if config.resume:
                raise ValueError(
                    f"--resume: there is no run to resume in {self.path} (no {CONFIG_FILE}). "
                    f"Received: --run_dir={self.path}"
                )
            if self.path.exists() and any(self.path.iterdir()):
                raise ValueError(
                    f"--run_dir exists and is not a keras_gan run directory (no {CONFIG_FILE}); "
                    f"choose a new or empty folder. Received: --run_dir={self.path}"
                )
            return
        differences = config.defining_differences(stored)
        if differences:
            listed = "; ".join(
                f"--{name}={was} in the run, {now} now" for name, (was, now) in differences.items()
            )
            raise ValueError(
                f"--run_dir holds a run with a different config ({listed}); use a new "
                f"--run_dir for a new run. Received: --run_dir={self.path}"
            )
        if not config.resume:
            raise ValueError(
                "--run_dir already holds this run; pass --resume to continue it, or choose "
                f"a new --run_dir. Received: --run_dir={self.path}"
            )

    def write_config(self, config, versions, class_names=None):
        """Writes config.json: the flags, the versions, and a conditional run's class names."""
        self.path.mkdir(parents=True, exist_ok=True)
        content = {"config": config.to_dict(), "versions": versions}
        if class_names is not None:
            content["class_names"] = list(class_names)
        write_json(self.config_file, content)

    def latest_checkpoint(self):
        """`(model_path, state)` of the newest whole checkpoint, or None."""
        return run_layout.latest_checkpoint(self.path)

    def best_checkpoint(self):
        """`(model_path, state)` of the newest whole `--keep_best` checkpoint, or None."""
        return run_layout.latest_checkpoint(self.path, run_layout.BEST)

    def save_checkpoint(self, gan, state, keep, kind=run_layout.CHECKPOINTS):
        """Saves `gan` and `state` as checkpoint `state["step"]`; keeps the newest `keep`.

        `kind` is `run_layout.CHECKPOINTS` (every epoch's) or `run_layout.BEST`.
        """
        folder = self.path / kind
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{CHECKPOINT_PREFIX}{state['step']:09d}"
        final = folder / name
        partial = folder / f".partial-{name}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        gan.save(partial / MODEL_FILE)
        (partial / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n")
        if final.exists():  # the same step saved again (e.g. a signal at an epoch end)
            shutil.rmtree(final)
        os.replace(partial, final)
        for old in run_layout.checkpoint_folders(self.path, kind)[:-keep]:
            shutil.rmtree(old)
        return final

    def load_checkpoint(self, model_path):
        return keras.saving.load_model(model_path)
