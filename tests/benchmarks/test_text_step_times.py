"""`benchmarks/text_step_times.py` times every model with every generator cell: a smoke run,
never timings."""

from tests.conftest import run_script


def run(*args):
    return run_script("benchmarks/text_step_times.py", *args, timeout=600)


def test_a_smoke_run_times_each_model_with_each_cell():
    # SeqGAN's rollouts make it the slowest to build by far; the Gumbel GAN and MLE show
    # that each model is built once per cell.
    done = run(
        "--vocab_size=20",
        "--length=5",
        "--steps=1",
        "--models=mle,gumbel_gan",
        "--generators=lstm,relational_memory",
        "--memory_head_size=4",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if " ms per step " in line]
    assert len(lines) == 4, done.stdout
    for cell in ("lstm", "relational_memory"):
        for model in ("MLE", "Gumbel GAN"):
            assert any(line.startswith(model) and f", {cell}:" in line for line in lines), lines


def test_bad_lists_fail_naming_the_flag():
    for flag in ("--models=mle,gan", "--generators=gru"):
        done = run(flag)
        assert done.returncode == 1, done.stderr[-2000:]
        assert f"Received: {flag}" in done.stderr, done.stderr[-2000:]
