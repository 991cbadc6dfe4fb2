"""`benchmarks/average_parzen_curve.py` scores both generators of each kept epoch."""

import re

from tests.conftest import run_script

ROW = re.compile(r"^\s+(\d+)\s+(-?\d+\.\d\d)\s+(-?\d+\.\d\d)$", re.MULTILINE)


def test_both_curves_come_from_the_kept_checkpoints_of_one_ema_run(mnist_data_dir, tmp_path):
    run_dir = tmp_path / "run"
    trained = run_script(
        "scripts/train.py",
        f"--run_dir={run_dir}",
        "--dataset=mnist",
        f"--data_dir={mnist_data_dir}",
        "--split=train[:200]",
        "--model=mlp",
        "--latent_dim=8",
        "--g_units=16",
        "--d_units=8",
        "--batch_size=50",
        "--steps=2",
        "--epochs=4",
        "--ema=0.5",
        "--checkpoints_to_keep=10",
        "--export=false",
    )
    assert trained.returncode == 0, trained.stderr[-3000:]
    plot = tmp_path / "curve.png"
    done = run_script(
        "benchmarks/average_parzen_curve.py",
        f"--run={run_dir}",
        f"--data_dir={mnist_data_dir}",
        "--validation_split=train[50000:50100]",
        "--every=2",
        f"--plot={plot}",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [(int(e), float(a), float(t)) for e, a, t in ROW.findall(done.stdout)]
    assert [row[0] for row in rows] == [2, 4]
    # Four steps with decay 0.5: the average is not the trained generator.
    assert all(averaged != trained for _, averaged, trained in rows)
    assert plot.stat().st_size > 0

    nothing_kept = run_script(
        "benchmarks/average_parzen_curve.py",
        f"--run={run_dir}",
        f"--data_dir={mnist_data_dir}",
        "--every=5",
    )
    assert nothing_kept.returncode != 0
    assert "no whole checkpoint at a multiple of 5 epochs" in nothing_kept.stderr
