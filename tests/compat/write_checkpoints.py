"""Writes `tests/compat/checkpoints/<version>/`: a tiny run of every family, as this
version trains and saves it, and what it reads back (`released.py`).

Run once per release, from a clean checkout of the released commit, on one thread (the
runs are a few steps each; about two minutes in all):

    TF_NUM_INTRAOP_THREADS=1 python -m tests.compat.write_checkpoints

Existing version folders are never overwritten: a version's files are what it wrote.
"""

import pathlib
import sys
import tempfile

from keras_gan.version import __version__
from tests.compat import released


def write(version_dir, families):
    from keras_gan.train import train

    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        for family in families:
            run_dir = scratch / family
            result = train(released.config_for(family, run_dir, scratch / "data"))
            destination = version_dir / family
            released.keep_run(run_dir, destination)
            # What this version reads back from the files it keeps, not the model in memory.
            path = released.write_expected(family, destination, result.step, scratch)
            print(f"{family}: step {result.step}, {path.relative_to(version_dir)}", flush=True)


def main(argv):
    families = argv[1:] or list(released.FAMILIES)
    unknown = sorted(set(families) - set(released.FAMILIES))
    if unknown:
        raise SystemExit(f"Unknown families {unknown}; known: {sorted(released.FAMILIES)}")
    version_dir = released.CHECKPOINTS / __version__
    existing = [f for f in families if (version_dir / f).exists()]
    if existing:
        raise SystemExit(f"{version_dir} already holds {existing}: a released version's files stay")
    write(version_dir, families)


if __name__ == "__main__":
    main(sys.argv)
