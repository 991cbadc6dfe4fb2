"""How fast keras_gan trains, exports and reads data, side by side with the alternatives.

    python benchmarks/throughput.py --output=benchmark.json

In one process, interleaved (A B A B ...) over --repeats rounds, this measures:
  1. `GAN.fit` training steps per second for the paper's MNIST pair and the DCGAN
     pair (built from configs/paper_mnist.cfg and configs/dcgan_mnist.cfg), with
     jit_compile off (what "auto" gives on a CPU) and on;
  2. the same step hand-written over plain variables (reference_steps.py), in a
     tf.function with and without XLA: the floor of framework overhead;
  3. the same step in PyTorch, eager and torch.compile, when torch is installed;
  4. the float32 matmul rate, and from it each step's share of that peak;
  5. the exported SavedModel's `generate` signature against a direct generator call;
  6. the MNIST input pipeline (tensorflow-datasets, as training reads it) against
     what training consumes;
  7. the peak memory of a paper-MNIST training run (scripts/train.py, a subprocess).
It prints a table and writes JSON. Ratios compare rates measured next to each
other in the same round; quote them rather than absolute numbers on a shared
machine. This is a benchmark, not a test: nothing here passes or fails.
"""

import datetime
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

import machine  # noqa: E402  (benchmarks/machine.py)
from absl import app  # noqa: E402
from absl import flags  # noqa: E402
from absl import logging  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
PAIRS = ("paper", "dcgan")  # configs/paper_mnist.cfg, configs/dcgan_mnist.cfg (pairs.py)
IMPLEMENTATIONS = (
    "fit",
    "fit_xla",
    "handwritten_xla",
    "handwritten",
    "torch_eager",
    "torch_compile",
)
# Ratios reported for GAN.fit (both jit settings): denominator, and the
# target of issue 7 where it set one.
FIT_COMPARED_WITH = (
    ("handwritten_xla", 0.95),
    ("handwritten", None),
    ("torch_eager", 1.5),
    ("torch_compile", None),
)

_PAIRS = flags.DEFINE_list("pairs", list(PAIRS), f"Model pairs, any of {list(PAIRS)}.")
_BATCH_SIZES = flags.DEFINE_list("batch_sizes", ["100", "1000"], "Batch sizes.")
_IMPLEMENTATIONS = flags.DEFINE_list(
    "implementations", list(IMPLEMENTATIONS), f"Any of {list(IMPLEMENTATIONS)}."
)
_REPEATS = flags.DEFINE_integer("repeats", 3, "Interleaved rounds.", lower_bound=1)
_SECONDS = flags.DEFINE_float(
    "seconds", 3.0, "Target length of one timed run of training steps.", lower_bound=0.0
)
_STEPS = flags.DEFINE_integer(
    "steps", 0, "Steps per timed run; 0 chooses them from --seconds.", lower_bound=0
)
_EXPORT_SAMPLES = flags.DEFINE_integer(
    "export_samples", 1000, "Samples per generate call.", lower_bound=1
)
_PIPELINE_BATCHES = flags.DEFINE_integer(
    "pipeline_batches", 2000, "Batches of 100 read per input-pipeline run.", lower_bound=1
)
_MEMORY_STEPS = flags.DEFINE_integer(
    "memory_steps", 200, "Training steps of the peak-memory run; 0 skips it.", lower_bound=0
)
_DATA_DIR = flags.DEFINE_string("data_dir", None, "TFDS data directory (default: TFDS's).")
_MANUAL_DIR = flags.DEFINE_string(
    "manual_dir",
    os.environ.get("KERAS_GAN_MNIST_DIR", str(REPO.parent / "shared" / "data" / "mnist")),
    "Folder of MNIST's four IDX files, to prepare MNIST offline.",
)
_OUTPUT = flags.DEFINE_string("output", None, "JSON file to write (not overwritten).")


def main(argv):
    if len(argv) > 1:
        machine.error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    settings = _checked_settings()
    if not flags.FLAGS["verbosity"].present:
        logging.set_verbosity(logging.WARNING)
    notes = []
    if _without_torch(settings):
        notes.append("torch is not installed: the PyTorch rows are skipped (pip install torch)")

    import tensorflow as tf

    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "benchmarks/throughput.py", *sys.argv[1:]]),
        "machine": machine.describe(),
        "versions": machine.versions(),
        "settings": settings,
        "notes": notes,
    }
    _progress("matmul peak")
    results["matmul"] = _matmul_peak(tf)
    peak = results["matmul"]["peak_gflops"] * 1e9
    results["training"] = []
    for pair in settings["pairs"]:
        for batch_size in settings["batch_sizes"]:
            results["training"] += _training_rates(pair, batch_size, settings, peak, results)
    results["ratios"] = _ratios(results["training"])
    results["export"] = [_export_rates(pair, settings) for pair in settings["pairs"]]
    results["input_pipeline"] = _pipeline_rates(settings, results["training"])
    results["memory"] = _peak_memory(settings)
    _print_table(results)
    if settings["output"]:
        from keras_gan.files import write_json

        write_json(settings["output"], results)
        print(f"wrote {settings['output']}")


def _checked_settings():
    """Every flag checked before any work starts."""
    names = _PAIRS.value
    for pair in names:
        if pair not in PAIRS:
            machine.error(
                f"--pairs takes any of {list(PAIRS)}. Received: --pairs={','.join(names)}"
            )
    for name in _IMPLEMENTATIONS.value:
        if name not in IMPLEMENTATIONS:
            machine.error(
                f"--implementations takes any of {list(IMPLEMENTATIONS)}. "
                f"Received: --implementations={','.join(_IMPLEMENTATIONS.value)}"
            )
    try:
        batch_sizes = [int(b) for b in _BATCH_SIZES.value]
    except ValueError:
        batch_sizes = []
    if not batch_sizes or min(batch_sizes) < 1:
        machine.error(
            "--batch_sizes takes positive integers. "
            f"Received: --batch_sizes={','.join(_BATCH_SIZES.value)}"
        )
    from keras_gan.files import new_output

    try:
        output = new_output(_OUTPUT.value)
    except ValueError as error:
        machine.error(error)
    return {
        "pairs": names,
        "batch_sizes": batch_sizes,
        "implementations": list(_IMPLEMENTATIONS.value),
        "repeats": _REPEATS.value,
        "seconds": _SECONDS.value,
        "steps": _STEPS.value,
        "export_samples": _EXPORT_SAMPLES.value,
        "pipeline_batches": _PIPELINE_BATCHES.value,
        "memory_steps": _MEMORY_STEPS.value,
        "data_dir": _DATA_DIR.value,
        "manual_dir": _MANUAL_DIR.value,
        "output": str(output) if output else None,  # the settings are written into the JSON
    }


# ---------------------------------------------------------------- training


class _Timed:
    """One implementation of one pair's step at one batch size, timed by runs of steps."""

    def __init__(self, name, run):
        self.name = name
        self.run = run  # steps -> seconds
        self.rates = []


def _training_rates(pair, batch_size, settings, peak, results):
    import numpy as np
    import pairs

    rng = np.random.default_rng(0)
    images = rng.uniform(size=(4 * batch_size, *pairs.IMAGE_SHAPE)).astype("float32")
    candidates = []
    for name in settings["implementations"]:
        _progress(f"{pair} batch {batch_size}: building {name}")
        candidates.append(_Timed(name, _BUILDERS[name](pair, images, batch_size)))
    flops = _reference_step(pair, jit_compile=False).step_flops(batch_size)
    # Warm up (trace, compile), then size the timed runs from the first one.
    timed = []
    for candidate in candidates:
        started = time.perf_counter()
        try:
            candidate.run(2)
        except Exception as error:  # e.g. torch.compile without a working compiler
            results["notes"].append(
                f"{pair} batch {batch_size}: {candidate.name} failed and was skipped: "
                f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
            )
            continue
        candidate.warmup_seconds = time.perf_counter() - started
        timed.append(candidate)
    steps = settings["steps"]
    if not steps:
        per_step = timed[0].run(3) / 3 if timed else 1.0
        steps = max(3, min(1000, round(settings["seconds"] / per_step)))
    for round_index in range(settings["repeats"]):
        for candidate in timed:
            _progress(
                f"{pair} batch {batch_size}: round {round_index + 1}/{settings['repeats']}, "
                f"{candidate.name}, {steps} steps"
            )
            candidate.rates.append(steps / candidate.run(steps))
    rows = []
    for candidate in timed:
        median = statistics.median(candidate.rates)
        rows.append(
            {
                "pair": pair,
                "batch_size": batch_size,
                "implementation": candidate.name,
                "steps_per_second": median,
                "examples_per_second": median * batch_size,
                "spread": (max(candidate.rates) - min(candidate.rates)) / median,
                "rates": candidate.rates,
                "steps_per_run": steps,
                "warmup_seconds": candidate.warmup_seconds,
                "flops_per_step": flops,
                "share_of_peak": flops * median / peak,
            }
        )
    return rows


def _dataset(images, batch_size):
    import tensorflow as tf

    return (
        tf.data.Dataset.from_tensor_slices(images)
        .repeat()
        .batch(batch_size, drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )


def _fit_runner(jit_compile):
    def build(pair, images, batch_size):
        import keras
        import pairs

        gan = pairs.build_gan(pair, batch_size, jit_compile)
        dataset = _dataset(images, batch_size)

        class EpochTimer(keras.callbacks.Callback):
            # Epoch hooks only: no per-batch callback changes what fit does.
            def on_epoch_begin(self, epoch, logs=None):
                self.started = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                self.seconds = time.perf_counter() - self.started

        timer = EpochTimer()

        def run(steps):
            gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[timer])
            return timer.seconds

        return run

    return build


def _reference_step(pair, jit_compile):
    import reference_steps

    return reference_steps.STEPS[pair](jit_compile=jit_compile)


def _handwritten_runner(jit_compile):
    def build(pair, images, batch_size):
        step = _reference_step(pair, jit_compile)
        iterator = iter(_dataset(images, batch_size))

        def run(steps):
            started = time.perf_counter()
            for _ in range(steps):
                d_loss, _ = step.step(next(iterator))
            d_loss.numpy()
            return time.perf_counter() - started

        return run

    return build


def _torch_runner(compile):
    def build(pair, images, batch_size):
        import torch
        import torch_steps

        step = torch_steps.STEPS[pair](compile=compile)
        batches = [torch.from_numpy(images[i::4].copy()) for i in range(4)]

        def run(steps):
            started = time.perf_counter()
            for i in range(steps):
                d_loss, _ = step.step(batches[i % 4])
            d_loss.item()
            return time.perf_counter() - started

        return run

    return build


_BUILDERS = {
    "fit": _fit_runner(jit_compile=False),
    "fit_xla": _fit_runner(jit_compile=True),
    "handwritten_xla": _handwritten_runner(jit_compile=True),
    "handwritten": _handwritten_runner(jit_compile=False),
    "torch_eager": _torch_runner(compile=False),
    "torch_compile": _torch_runner(compile=True),
}


def _ratios(rows):
    """Per (pair, batch): each target ratio, as the median of per-round ratios."""
    ratios = []
    groups = {(r["pair"], r["batch_size"]): {} for r in rows}
    for row in rows:
        groups[(row["pair"], row["batch_size"])][row["implementation"]] = row["rates"]
    for (pair, batch_size), rates in groups.items():
        for numerator in ("fit", "fit_xla"):
            for denominator, target in FIT_COMPARED_WITH:
                if numerator not in rates or denominator not in rates:
                    continue
                per_round = [
                    a / b for a, b in zip(rates[numerator], rates[denominator], strict=True)
                ]
                ratios.append(
                    {
                        "pair": pair,
                        "batch_size": batch_size,
                        "ratio": f"{numerator} / {denominator}",
                        "value": statistics.median(per_round),
                        "target": target,
                    }
                )
    return ratios


# ---------------------------------------------------------------- matmul peak


def _matmul_peak(tf):
    """The best float32 matmul rate over a few sizes, with and without XLA."""
    rates = {}
    for size in (512, 1024, 2048):
        a = tf.random.normal((size, size))
        b = tf.random.normal((size, size))
        for jit in (False, True):
            product = tf.function(lambda a, b: tf.matmul(a, b), jit_compile=jit)
            product(a, b).numpy()
            calls = 0
            started = time.perf_counter()
            while time.perf_counter() - started < 1.0 or calls < 3:
                result = product(a, b)
                calls += 1
            result.numpy()
            seconds = time.perf_counter() - started
            rates[f"{size}{'_xla' if jit else ''}"] = 2 * size**3 * calls / seconds / 1e9
    return {"peak_gflops": max(rates.values()), "gflops_by_size": rates}


# ---------------------------------------------------------------- export


def _export_rates(pair, settings):
    import numpy as np
    import pairs
    import tensorflow as tf

    from keras_gan.export import export_generator

    _progress(f"{pair}: export generate vs direct generator call")
    n = settings["export_samples"]
    gan = pairs.build_gan(pair, 100, jit_compile=False)
    with tempfile.TemporaryDirectory() as folder:
        version = export_generator(gan, folder, "bench", max_samples=n, warmup=False)
        generate = tf.saved_model.load(str(version)).signatures["generate"]
        count = tf.constant(n, tf.int32)

        def served(seed):
            return generate(num_samples=count, seed=tf.constant(seed, tf.int64))["samples"].numpy()

        def direct(seed):
            z = gan.sample_latent(n, seed=seed)
            return np.asarray(gan.generator(z, training=False))

        rates = {"generate": [], "direct": []}
        calls = {"generate": served, "direct": direct}
        for fn in calls.values():
            fn(0)
        for round_index in range(settings["repeats"]):
            for name, fn in calls.items():
                started = time.perf_counter()
                repeats = 0
                while time.perf_counter() - started < settings["seconds"] / 3 or repeats < 2:
                    fn(round_index * 100 + repeats)
                    repeats += 1
                rates[name].append(n * repeats / (time.perf_counter() - started))
    per_round = [a / b for a, b in zip(rates["generate"], rates["direct"], strict=True)]
    return {
        "pair": pair,
        "samples_per_call": n,
        "generate_samples_per_second": statistics.median(rates["generate"]),
        "direct_samples_per_second": statistics.median(rates["direct"]),
        "ratio": statistics.median(per_round),
        "target": 0.9,
    }


# ---------------------------------------------------------------- input pipeline


def _pipeline_rates(settings, training_rows):
    from keras_gan.data import load_dataset
    from keras_gan.data.pipeline import make_epoch_pipeline
    from keras_gan.data.pipeline import to_array

    manual_dir = settings["manual_dir"]
    if not manual_dir or not pathlib.Path(manual_dir, "train-images-idx3-ubyte.gz").is_file():
        return {"skipped": f"MNIST IDX files not found. Received: --manual_dir={manual_dir}"}
    _progress("input pipeline: MNIST through tensorflow-datasets into memory")
    started = time.perf_counter()
    samples = to_array(
        load_dataset(
            "mnist", data_dir=settings["data_dir"], manual_dir=manual_dir, split="train[:50000]"
        )
    )
    load_seconds = time.perf_counter() - started
    batch_size = 100
    batches = settings["pipeline_batches"]
    epochs = -(-(batches + 1) * batch_size // len(samples)) + 1
    rates = []
    for _ in range(settings["repeats"]):
        dataset, _ = make_epoch_pipeline(samples, batch_size, seed=0, epochs=epochs)
        iterator = iter(dataset)
        next(iterator)  # the first batch builds the pipeline
        started = time.perf_counter()
        for _ in range(batches):
            next(iterator)
        rates.append(batches * batch_size / (time.perf_counter() - started))
    consumed = max(
        (r["examples_per_second"] for r in training_rows if r["implementation"] == "fit"),
        default=None,
    )
    rate = statistics.median(rates)
    return {
        "dataset": "mnist train[:50000]",
        "load_seconds": load_seconds,
        "in_memory_megabytes": samples.nbytes / 2**20,
        "batch_size": batch_size,
        "examples_per_second": rate,
        "training_consumes_examples_per_second": consumed,
        "ratio": rate / consumed if consumed else None,
        "target": 10.0,
    }


# ---------------------------------------------------------------- memory


def _peak_memory(settings):
    """Peak resident memory of scripts/train.py on the paper config, and of importing alone."""
    steps = settings["memory_steps"]
    manual_dir = settings["manual_dir"]
    if not steps:
        return {"skipped": "--memory_steps=0"}
    if not manual_dir or not pathlib.Path(manual_dir, "train-images-idx3-ubyte.gz").is_file():
        return {"skipped": f"MNIST IDX files not found. Received: --manual_dir={manual_dir}"}
    _progress(f"peak memory: scripts/train.py --flagfile=configs/paper_mnist.cfg, {steps} steps")
    with tempfile.TemporaryDirectory() as folder:
        data_flags = [f"--manual_dir={manual_dir}"]
        if settings["data_dir"]:
            data_flags.append(f"--data_dir={settings['data_dir']}")
        command = [
            sys.executable,
            str(REPO / "scripts" / "train.py"),
            f"--flagfile={REPO / 'configs' / 'paper_mnist.cfg'}",
            f"--run_dir={folder}/run",
            "--epochs=1",
            f"--steps={steps}",
            "--export=false",
            *data_flags,
        ]
        training = _max_rss_megabytes(command, folder)
        baseline = _max_rss_megabytes([sys.executable, "-c", "import keras_gan.train"], folder)
    return {
        "command": " ".join(["python", "scripts/train.py", *command[2:]]),
        "steps": steps,
        "peak_rss_megabytes": training,
        "import_only_rss_megabytes": baseline,
    }


# Runs a command in this interpreter and writes its peak resident set size
# (VmHWM, which exec resets) to a file at exit. wait4's ru_maxrss would not
# do: a child inherits its parent's peak across fork and exec, so it reports
# at least this benchmark's own size.
_PEAK_REPORTER = """
import atexit, runpy, sys
report_path, target, sys.argv = sys.argv[1], sys.argv[2], sys.argv[2:]
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(report_path, "w").write(line.split()[1])
atexit.register(report)
if target == "-c":
    exec(sys.argv[1])
else:
    runpy.run_path(target, run_name="__main__")
"""


def _max_rss_megabytes(command, folder):
    report = pathlib.Path(folder) / "peak_kb.txt"
    wrapped = [command[0], "-c", _PEAK_REPORTER, str(report), *command[1:]]
    finished = subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if finished.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({finished.returncode}):\n{finished.stderr[-2000:]}"
        )
    return int(report.read_text()) / 1024  # kB


# ---------------------------------------------------------------- report


def _print_table(results):
    host = results["machine"]
    print(
        f"\n{results['date']}  {host['cpu_model']} ({', '.join(host['cpu_flags'])}), "
        f"{host['logical_cpus']} logical CPUs, "
        f"{host['memory_gigabytes']:.0f} GiB; TensorFlow {results['versions']['tensorflow']}, "
        f"Keras {results['versions']['keras']}, torch {results['versions']['torch']}"
    )
    print(f"float32 matmul peak: {results['matmul']['peak_gflops']:.0f} GFLOP/s")
    print("\nTraining steps per second (median of rounds; spread = (max - min) / median)")
    header = f"{'pair':6} {'batch':>5}  {'implementation':16} {'steps/s':>8} {'spread':>7} "
    print(header + f"{'GFLOP/step':>10} {'% of peak':>9}")
    for row in results["training"]:
        print(
            f"{row['pair']:6} {row['batch_size']:>5}  {row['implementation']:16} "
            f"{row['steps_per_second']:>8.2f} {row['spread']:>7.1%} "
            f"{row['flops_per_step'] / 1e9:>10.2f} {row['share_of_peak']:>9.1%}"
        )
    print("\nRatios (median of per-round ratios)")
    for ratio in results["ratios"]:
        target = f"  target >= {ratio['target']}" if ratio["target"] else ""
        verdict = ""
        if ratio["target"]:
            verdict = "  met" if ratio["value"] >= ratio["target"] else "  MISSED"
        print(
            f"{ratio['pair']:6} {ratio['batch_size']:>5}  {ratio['ratio']:32} "
            f"{ratio['value']:6.3f}{target}{verdict}"
        )
    print("\nExport: samples per second, `generate` signature vs direct generator call")
    for row in results["export"]:
        print(
            f"{row['pair']:6} {row['samples_per_call']:>5} per call: "
            f"generate {row['generate_samples_per_second']:10.0f}, "
            f"direct {row['direct_samples_per_second']:10.0f}, ratio {row['ratio']:.3f} "
            f"(target >= {row['target']})"
        )
    pipeline = results["input_pipeline"]
    print("\nInput pipeline (MNIST, as training reads it)")
    if "skipped" in pipeline:
        print(f"skipped: {pipeline['skipped']}")
    else:
        ratio = f"{pipeline['ratio']:.1f}x" if pipeline["ratio"] else "n/a"
        consumed = pipeline["training_consumes_examples_per_second"] or 0
        print(
            f"{pipeline['examples_per_second']:.0f} examples/s; fastest fit consumes "
            f"{consumed:.0f}/s: {ratio} (target >= 10x); "
            f"loading into memory took {pipeline['load_seconds']:.1f} s, "
            f"{pipeline['in_memory_megabytes']:.0f} MB"
        )
    memory = results["memory"]
    print("\nPeak memory")
    if "skipped" in memory:
        print(f"skipped: {memory['skipped']}")
    else:
        print(
            f"{memory['peak_rss_megabytes']:.0f} MB peak RSS for {memory['steps']} paper-MNIST "
            f"steps ({memory['import_only_rss_megabytes']:.0f} MB importing keras_gan alone)"
        )
    for note in results["notes"]:
        print(f"note: {note}")


def _without_torch(settings):
    """Drops the PyTorch implementations when torch is missing; True if it did."""
    wanted = settings["implementations"]
    if not any(name.startswith("torch") for name in wanted):
        return False
    try:
        import torch  # noqa: F401
    except ImportError:
        settings["implementations"] = [n for n in wanted if not n.startswith("torch")]
        return True
    return False


def _progress(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    app.run(main)
