import json

import pytest

from keras_gan import files
from keras_gan.files import new_output
from keras_gan.files import write_json


def test_write_json_makes_the_folder_and_leaves_no_partial_file(tmp_path):
    path = tmp_path / "deep" / "results.json"
    write_json(path, {"fid": 1.5})
    assert json.loads(path.read_text()) == {"fid": 1.5}
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]


def test_a_write_killed_before_it_ends_keeps_what_was_saved(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    write_json(path, {"fid": 1.5})

    def killed(*args):
        raise KeyboardInterrupt  # the process dies before the new file takes the name

    monkeypatch.setattr(files.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_json(path, {"fid": 9.9})
    assert json.loads(path.read_text()) == {"fid": 1.5}


def test_new_output_refuses_an_existing_file_and_names_it(tmp_path):
    assert new_output("") is None and new_output(None) is None
    assert new_output(str(tmp_path / "new.json")) == tmp_path / "new.json"
    (tmp_path / "old.json").write_text("{}")
    with pytest.raises(ValueError, match=r"--out exists and is never overwritten.*--out=.*old"):
        new_output(str(tmp_path / "old.json"), flag="--out")
