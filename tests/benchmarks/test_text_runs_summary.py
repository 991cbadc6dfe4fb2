"""`benchmarks/text_runs_summary.py` pairs each game run with the MLE G it started from."""

import json

from benchmarks import text_runs_summary


def _run(folder, seed, nll_oracle, pretrained=None, model="gumbel_gan"):
    folder.mkdir()
    config = {"model": model, "seed": seed, "pretrain_epochs": 40, "epochs": 26}
    (folder / "config.json").write_text(json.dumps({"config": config}))

    def scores(value):
        return {"oracle_entropy": 6.0, "rows": [{"temperature": 1.0, "nll_oracle": value}]}

    (folder / "scores.json").write_text(json.dumps(scores(nll_oracle)))
    if pretrained is not None:
        (folder / "pretrained_scores.json").write_text(json.dumps(scores(pretrained)))


def test_each_model_is_averaged_over_its_seeds_and_unfinished_games_are_left_out(tmp_path, capsys):
    _run(tmp_path / "a", 0, 9.0, pretrained=9.2)
    _run(tmp_path / "b", 1, 9.1, pretrained=9.4)
    (tmp_path / "unfinished").mkdir()
    (tmp_path / "unfinished" / "config.json").write_text(
        json.dumps({"config": {"model": "seqgan", "seed": 0, "pretrain_epochs": 40, "epochs": 7}})
    )
    text_runs_summary.main([str(tmp_path / name) for name in ("a", "b", "unfinished")])
    out, err = capsys.readouterr()
    assert "| MLE, 40 epochs | 0,1 | 1.0 | 9.300 ± 0.141 |" in out
    assert "| gumbel_gan, 40 MLE epochs + 26 game epochs | 0,1 | 1.0 | 9.050 ± 0.071 |" in out
    assert "seqgan" not in out
    assert "unfinished: no scores.json (unfinished): its final G is left out" in err
