"""Runs that released keras_gan versions wrote still load, hold what was saved, and resume.

One run per model family and released version (`released.py`; written by
`write_checkpoints.py`). A change that breaks users' runs (a layer's class swapped, a
flag removed, a variable no longer loaded or loaded with another's values) fails here; two
variables of one shape that trade places are caught only where G's samples change.
"""

import dataclasses
import json
import pathlib
import shutil

import numpy as np
import pytest

from keras_gan.train import TrainConfig
from keras_gan.train import train
from tests.compat import released

RUNS = sorted(p.parent for p in released.CHECKPOINTS.glob(f"*/*/{released.EXPECTED_FILE}"))


def _ids(folder):
    return f"{folder.parent.name}/{folder.name}"


def test_every_family_has_a_run_of_the_newest_released_version():
    versions = sorted(
        (p.name for p in released.CHECKPOINTS.iterdir() if p.is_dir()),
        key=lambda v: tuple(int(part) for part in v.split(".")),
    )
    assert versions, f"no released runs in {released.CHECKPOINTS}"
    written = {p.name for p in (released.CHECKPOINTS / versions[-1]).iterdir()}
    assert set(released.FAMILIES) <= written, sorted(set(released.FAMILIES) - written)


def _copy(folder, tmp_path):
    """The run copied into `tmp_path`, its data made again there and its paths moved there."""
    run = tmp_path / folder.name
    shutil.copytree(folder, run)
    expected = json.loads((run / released.EXPECTED_FILE).read_text())
    _, kind, _ = released.FAMILIES[folder.name]
    released.make_data(kind, tmp_path / "data")
    config = released.move_paths(run, expected["written_in"], tmp_path)
    return run, expected, config


def _moments(rows):
    return sorted(
        (tuple(row["shape"]), round(row["sum"], 3), round(row["sum_of_squares"], 3))
        for row in rows
        if row["saved"]
    )


def _unsaved(rows):
    return sorted(row["path"].rsplit("/", 1)[-1] for row in rows if not row["saved"])


@pytest.mark.parametrize("folder", RUNS, ids=_ids)
def test_a_released_run_loads_every_variable_it_saved(folder, tmp_path):
    """Every variable the file holds (networks, optimizers, a GAN's random states) comes
    back with the value the writing version read back; a variable left at its initial
    value or put in the wrong place changes its shape or moments. What no file holds (a
    plain Keras model's seed generators) differs from load to load, then as now. G then
    draws what it drew then."""
    run, expected, _ = _copy(folder, tmp_path)
    model, path, loaded = released.load_twice(run)
    saved = expected["variables"]
    assert len(loaded) == len(saved), (
        f"{len(loaded)} variables loaded, {len(saved)} saved: "
        f"{sorted({r['path'] for r in loaded} ^ {r['path'] for r in saved})}"
    )
    assert _unsaved(loaded) == _unsaved(saved)
    assert all(name.endswith("seed_generator_state") for name in _unsaved(loaded))
    for got, want in zip(_moments(loaded), _moments(saved), strict=True):
        assert got[0] == want[0]
        np.testing.assert_allclose(got[1:], want[1:], rtol=1e-5, atol=2e-3)
    if expected["samples"] is not None:
        # bfloat16 convolutions round by the CPU's kernels (AVX-512-BF16, AMX): looser there.
        bfloat16 = model.generator.compute_dtype == "bfloat16"
        np.testing.assert_allclose(
            released.samples(model, path),
            expected["samples"],
            rtol=0,
            atol=0.03 if bfloat16 else 1e-4,
        )


@pytest.mark.parametrize("folder", RUNS, ids=_ids)
def test_a_released_run_resumes_with_its_recorded_config(folder, tmp_path):
    """`--resume` with the flags the run recorded: one more epoch (or, with a learning-rate
    decay, whose schedule fixes the length, the finished run kept as it is)."""
    run, expected, config = _copy(folder, tmp_path)
    stored = TrainConfig.from_dict(
        {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}
    )
    more = 0 if stored.lr_decay else 1
    resumed = train(dataclasses.replace(stored, resume=True, epochs=stored.epochs + more))
    if more:
        assert resumed.step > expected["step"]
        last = json.loads((pathlib.Path(resumed.checkpoint) / "state.json").read_text())
        assert last["step"] == resumed.step
        # A game's checkpoint keeps the epochs' history; an MLE phase's, its last epoch.
        record = last["history"][-1] if "history" in last else last
        assert all(np.isfinite(value) for value in record.values()), record
    else:
        assert resumed.step == expected["step"]
