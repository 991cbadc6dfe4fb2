"""`benchmarks/text_runs_summary.py` pairs each game run with the MLE G it started from."""

import json

import pytest

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


def test_a_game_is_compared_with_its_mle_at_the_same_held_out_nll():
    # The MLE curve: (nll_test, nll_oracle) = (9, 9), (10, 8), (11, 7.5), so the game's points
    # read 8.5 at 9.5 (between), 9.5 at 8.5 (the first segment extended), 7.0 at 12
    # (the last segment extended).
    mle = [
        {"temperature": t, "nll_test": x, "nll_oracle": y}
        for t, x, y in ((1.0, 9.0, 9.0), (0.9, 10.0, 8.0), (0.8, 11.0, 7.5))
    ]
    game = [
        {"temperature": 1.0, "nll_test": 9.5, "nll_oracle": 8.4},
        {"temperature": 1.1, "nll_test": 8.5, "nll_oracle": 9.6},
        {"temperature": 0.8, "nll_test": 12.0, "nll_oracle": 7.0},
    ]
    differences = text_runs_summary.at_equal_coverage(mle, game)
    assert [t for t, _ in differences] == [1.0, 1.1, 0.8]
    assert [round(d, 6) for _, d in differences] == [-0.1, 0.1, 0.0]


def test_the_equal_coverage_table_lists_each_oracle_game_run(tmp_path, capsys):
    run = tmp_path / "seqgan_seed3"
    run.mkdir()
    config = {"model": "seqgan", "seed": 3, "pretrain_epochs": 40, "epochs": 7}
    (run / "config.json").write_text(json.dumps({"config": config}))

    def scores(rows):
        return json.dumps({"oracle_entropy": 6.0, "rows": rows})

    mle = [{"temperature": 0.9, "nll_oracle": 8.9, "nll_test": 9.2}]
    mle.append({"temperature": 1.0, "nll_oracle": 9.1, "nll_test": 8.9})
    (run / "pretrained_scores.json").write_text(scores(mle))
    game = [{"temperature": 1.0, "nll_oracle": 9.0, "nll_test": 9.05}]
    (run / "scores.json").write_text(scores(game))
    text_runs_summary.main([str(run)])
    out = capsys.readouterr().out
    assert "| seqgan_seed3 | 3 | 1.0: +0.000 |" in out


def test_an_arae_run_has_its_own_row_with_no_nll_of_data(tmp_path, capsys):
    # ARAE's text has no likelihood, so its rows lack nll_test; the table shows "-" there.
    game = tmp_path / "gumbel"
    game.mkdir()
    config = {"model": "gumbel_gan", "seed": 0, "pretrain_epochs": 40, "epochs": 26}
    (game / "config.json").write_text(json.dumps({"config": config}))
    row = {"temperature": 1.0, "nll_oracle": 9.0, "nll_test": 8.9}
    (game / "scores.json").write_text(json.dumps({"oracle_entropy": 6.0, "rows": [row]}))
    _run(tmp_path / "arae", 0, 9.5, model="arae")
    text_runs_summary.main([str(game), str(tmp_path / "arae")])
    out = capsys.readouterr().out
    assert "| arae, 40 autoencoder epochs + 26 game epochs | 0 | 1.0 | 9.500 | - |" in out
    assert "| gumbel_gan, 40 MLE epochs + 26 game epochs | 0 | 1.0 | 9.000 | 8.900 |" in out


def test_text_runs_are_compared_with_mle_at_the_same_self_bleu(tmp_path, capsys):
    """A game against the MLE G it started from; ARAE, which has none, against the mean
    curve of the listed MLE generators of as many epochs as its autoencoder."""

    def write(name, model, seed, pretrained=None, final=None):
        run = tmp_path / name
        run.mkdir()
        config = {"model": model, "seed": seed, "pretrain_epochs": 40, "epochs": 7}
        (run / "config.json").write_text(json.dumps({"config": config}))
        for file, rows in (("pretrained_scores.json", pretrained), ("scores.json", final)):
            if rows is not None:
                rows = [{"temperature": t, "bleu4": b, "self_bleu4": s} for t, b, s in rows]
                (run / file).write_text(json.dumps({"references": 10, "rows": rows}))

    # MLE curves (self-BLEU-4, BLEU-4): seed 0 (0.2, 0.25), (0.4, 0.35); seed 1 0.05 higher.
    write("seqgan_seed0", "seqgan", 0, [(1.0, 0.25, 0.2), (0.8, 0.35, 0.4)], [(1.0, 0.31, 0.3)])
    write("seqgan_seed1", "seqgan", 1, [(1.0, 0.30, 0.2), (0.8, 0.40, 0.4)])  # unfinished
    write("arae_seed0", "arae", 0, final=[(1.0, 0.40, 0.3), (0.8, 0.25, 0.5)])
    text_runs_summary.main(
        [str(tmp_path / n) for n in ("seqgan_seed0", "seqgan_seed1", "arae_seed0")]
    )
    out = capsys.readouterr().out
    # seqgan_seed0 at self-BLEU 0.3: its own MLE reads 0.30, so +0.01.
    assert "| seqgan_seed0 | 0 | its own MLE | 1.0: +0.010 |" in out
    # The mean MLE curve is (0.2, 0.275), (0.4, 0.375): 0.325 at 0.3, 0.425 at 0.5.
    # 0.5 lies beyond the MLE's self-BLEU range (0.2-0.4): read off the extended end, starred.
    assert "| arae_seed0 | 0 | the mean of 2 MLE | 1.0: +0.075 | 0.8: -0.175* |" in out


def test_a_run_stopped_early_is_listed_by_its_evaluated_checkpoint(tmp_path, capsys):
    run = tmp_path / "seqgan_seed0"
    (run / "checkpoints" / "step-000000063").mkdir(parents=True)
    config = {"model": "seqgan", "seed": 0, "pretrain_epochs": 40, "epochs": 7}
    (run / "config.json").write_text(json.dumps({"config": config}))
    mle = [{"temperature": 1.0, "bleu4": 0.25, "self_bleu4": 0.2}]
    mle.append({"temperature": 0.8, "bleu4": 0.35, "self_bleu4": 0.4})
    (run / "pretrained_scores.json").write_text(json.dumps({"rows": mle}))
    evaluated = tmp_path / "step63.json"
    source = run / "checkpoints" / "step-000000063" / "gan.keras"
    rows = [{"temperature": 1.0, "bleu4": 0.31, "self_bleu4": 0.3}]
    evaluated.write_text(json.dumps({"source": str(source), "step": 63, "rows": rows}))
    text_runs_summary.main([str(evaluated)])
    out = capsys.readouterr().out
    assert "| MLE, 40 epochs | 0 | 1.0 | 0.250 | 0.200 |" in out
    assert "| seqgan, 40 MLE epochs + 63 game steps (evaluated) | 0 | 1.0 | 0.310 | 0.300 |" in out
    assert "| step63.json | 0 | its own MLE | 1.0: +0.010 |" in out
    # A JSON that is no such evaluation, or whose run is gone, is named, not a traceback.
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"rows": rows}))
    with pytest.raises(SystemExit, match="other.json: not the JSON scripts/evaluate.py writes"):
        text_runs_summary.main([str(other)])


def test_copies_count_exact_training_and_test_sentences():
    from benchmarks import text_copies

    train, test = {"a cat on a mat", "a dog"}, {"a dog", "two birds"}
    samples = ["a cat on a mat", "a cat on a mat", "a dog", "a cat on the mat"]
    # Exact copies only: "a cat on the mat" is new; "a dog" is in both files.
    assert text_copies.shares(samples, train, test) == (0.75, 0.25, 0.75)
