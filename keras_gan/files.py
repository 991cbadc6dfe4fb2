"""Files written whole or not at all, and never over one a user already has."""

import json
import os
import pathlib


def write_atomically(path, text):
    """Writes `text` to `path` under a temporary name, then renames it.

    A process killed mid-write leaves `path` as it was (absent, or its old
    content), never half written. Makes the parent folder.
    """
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".partial-{path.name}")
    partial.write_text(text)
    os.replace(partial, path)


def write_json(path, value):
    """`value` as indented JSON, written atomically (`write_atomically`)."""
    write_atomically(path, json.dumps(value, indent=2) + "\n")


def new_output(path, flag="--output"):
    """`path` as a `pathlib.Path` (None if empty), checked before any work starts.

    Raises:
        ValueError: if the file exists: results are never overwritten.
    """
    if not path:
        return None
    path = pathlib.Path(path)
    if path.exists():
        raise ValueError(f"{flag} exists and is never overwritten. Received: {flag}={path}")
    return path
