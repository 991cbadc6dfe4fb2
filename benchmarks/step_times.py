"""Per-step training times of the convolutional pairs, float32 against bfloat16, one process each.

    python benchmarks/step_times.py --rounds=5 --output=step_times.json

What a colour-image run costs is its step time, and on a shared CPU the time
of one `fit` call says little: the same 30 steps took 341 and 682 ms a step in
two processes minutes apart. So every measurement here runs in a process of
its own (a fresh TensorFlow or PyTorch, as a user's run has), the rounds
interleave the settings (A B C D, A B C D, ...) so that a change of load
hits all of them alike, and each process reports the median of per-step
times taken after a warm-up: a callback's clock around each batch of
`GAN.fit`, or a clock around each step of the PyTorch mirror.

Settings:
  - pairs: each convolutional flagfile the package ships (configs/cifar10.cfg
    first: the DCGAN pair with hinge loss, spectral norm and the averaged G;
    configs/dcgan_mnist.cfg; configs/paper_cifar10_conv.cfg; configs/sngan_cifar10.cfg,
    SNGAN's ResNet pair, whose step is 5 D updates and one G update;
    configs/biggan_cifar10.cfg and configs/stylegan2_cifar10.cfg, class-conditional,
    on random labels; a lazy R1 is due on every 16th of StyleGAN2's steps, so its
    median is a step without it; configs/stylegan2_folder.cfg at 128x128x3, whose
    path length penalty is due on every 4th step), built by
    `build_gan` exactly as `scripts/train.py` builds them, on random data;
    a pair may carry flags that override its flagfile, `pair@flag=value@...`
    (e.g. `stylegan2_cifar10@filters=64@ada_augment=bgc` against
    `stylegan2_cifar10@filters=64@ada_augment=`), so that what one option
    costs is timed side by side with the same interleaving;
  - precisions: `float32` and `mixed_bfloat16` (Keras dtype policies; for the
    mirror, `torch.autocast("cpu", torch.bfloat16)`);
  - implementations: `fit` (keras_gan) and `torch` (benchmarks/torch_steps.py:
    a plain PyTorch mirror of the cifar10 step; only for that pair, and only
    where torch is installed).

Each result records the CPU model and the instruction-set flags that decide
kernel speed (AVX-512, AVX-512-BF16, AMX), the step's FLOPs (2 per
multiply-add of every convolution and matmul TensorFlow runs in the traced
step, forward and backward, after dropping what the step computes but does
not use) and their share of the measured float32 and bfloat16 matmul peaks.
It prints a table and writes JSON. This is a benchmark, not a test.
"""

import datetime
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import machine  # noqa: E402  (benchmarks/machine.py)
from absl import app  # noqa: E402
from absl import flags  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
PAIRS = {
    "cifar10": ("cifar10.cfg", (32, 32, 3)),
    "dcgan_mnist": ("dcgan_mnist.cfg", (28, 28, 1)),
    "paper_cifar10_conv": ("paper_cifar10_conv.cfg", (32, 32, 3)),
    "sngan_cifar10": ("sngan_cifar10.cfg", (32, 32, 3)),
    "biggan_cifar10": ("biggan_cifar10.cfg", (32, 32, 3)),
    "stylegan2_cifar10": ("stylegan2_cifar10.cfg", (32, 32, 3)),
    "stylegan2_folder": ("stylegan2_folder.cfg", (128, 128, 3)),
}
PRECISIONS = ("float32", "mixed_bfloat16")
IMPLEMENTATIONS = ("fit", "torch")
TORCH_PAIRS = ("cifar10",)  # benchmarks/torch_steps.py mirrors these

_PAIRS = flags.DEFINE_list(
    "pairs", list(PAIRS), f"Any of {list(PAIRS)}, each optionally followed by @flag=value."
)
_PRECISIONS = flags.DEFINE_list("precisions", list(PRECISIONS), f"Any of {list(PRECISIONS)}.")
_IMPLEMENTATIONS = flags.DEFINE_list(
    "implementations", list(IMPLEMENTATIONS), f"Any of {list(IMPLEMENTATIONS)}."
)
_ROUNDS = flags.DEFINE_integer("rounds", 3, "Interleaved rounds of processes.", lower_bound=1)
_STEPS = flags.DEFINE_integer("steps", 30, "Timed steps per process.", lower_bound=1)
_WARMUP = flags.DEFINE_integer(
    "warmup", 10, "Steps before the timed ones (tracing, oneDNN's kernels).", lower_bound=1
)
_BATCH_SIZE = flags.DEFINE_integer(
    "batch_size", 0, "Global batch size; 0: each pair's flagfile's.", lower_bound=0
)
_OUTPUT = flags.DEFINE_string("output", None, "JSON file to write (not overwritten).")
_ONEDNN_PROFILE = flags.DEFINE_boolean(
    "onednn_profile",
    False,
    "Run the fit processes with ONEDNN_VERBOSE=1 and report where oneDNN's time goes, by "
    "primitive (convolution forward, input and kernel gradients, reorders, matmuls), in ms "
    "per step over the warm-up and timed steps. The printing slows the steps: a profile's "
    "step times are not the benchmark's.",
)
_WORKER = flags.DEFINE_string(
    "worker", None, "Internal: measure one pair,precision,implementation and print JSON."
)


def main(argv):
    if len(argv) > 1:
        machine.error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    if _WORKER.value:
        print(json.dumps(_measure(*_WORKER.value.split(","))), flush=True)
        return
    settings = _checked_settings()
    notes = []
    if "torch" in settings["implementations"] and not _has_torch():
        settings["implementations"].remove("torch")
        notes.append("torch is not installed: the PyTorch rows are skipped (pip install torch)")
    runs = [
        (pair, precision, implementation)
        for pair in settings["pairs"]
        for implementation in settings["implementations"]
        if implementation == "fit" or pair in TORCH_PAIRS  # a variant has no mirror
        for precision in settings["precisions"]
    ]
    results = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "benchmarks/step_times.py", *sys.argv[1:]]),
        "machine": machine.describe(),
        "versions": machine.versions(),
        "settings": settings,
        "notes": notes,
        "peaks": _in_process("peaks"),
        "flops": {pair: _in_process("flops", pair) for pair in settings["pairs"]},
        "measurements": [],
    }
    for round_index in range(settings["rounds"]):
        for run in runs:
            _progress(f"round {round_index + 1}/{settings['rounds']}: {','.join(run)}")
            measured = _in_process("worker", ",".join(run))
            results["measurements"].append({"round": round_index + 1, **measured})
    results["summary"] = summarise(results)
    _print_table(results)
    if settings["output"]:
        from keras_gan.files import write_json

        write_json(settings["output"], results)
        print(f"wrote {settings['output']}")


def _checked_settings():
    """Every flag checked before any work starts."""
    for values, known, name in (
        ([_pair_flags(pair)[0] for pair in _PAIRS.value], PAIRS, "pairs"),
        (_PRECISIONS.value, PRECISIONS, "precisions"),
        (_IMPLEMENTATIONS.value, IMPLEMENTATIONS, "implementations"),
    ):
        if not values or any(value not in known for value in values):
            given = _PAIRS.value if name == "pairs" else values
            machine.error(
                f"--{name} takes any of {list(known)}. Received: --{name}={','.join(given)}"
            )
    for pair in _PAIRS.value:
        if _pair_flags(pair)[1]:  # the flags parsed and checked as scripts/train.py does
            problem = _in_process("check", pair, check=False)
            if problem:
                machine.error(f"--pairs={pair}: {problem}")
    from keras_gan.files import new_output

    try:
        output = new_output(_OUTPUT.value)
    except ValueError as error:
        machine.error(error)
    return {
        "pairs": list(_PAIRS.value),
        "precisions": list(_PRECISIONS.value),
        "implementations": list(_IMPLEMENTATIONS.value),
        "rounds": _ROUNDS.value,
        "steps": _STEPS.value,
        "warmup": _WARMUP.value,
        "batch_size": _BATCH_SIZE.value,
        "output": str(output) if output else None,
    }


def _pair_flags(pair):
    """`(flagfile pair, [--flag=value, ...])` of `pair@flag=value@...`."""
    name, *overrides = pair.split("@")
    return name, [f"--{override}" for override in overrides]


def _in_process(mode, argument=None, check=True):
    """Runs this script in a new process for one measurement and returns its JSON.

    With `check=False` a failed process returns the last line of its stderr
    (None when it succeeded), for errors to report as bad input.
    """
    command = [sys.executable, __file__, f"--worker={mode}{',' + argument if argument else ''}"]
    command += [f"--steps={_STEPS.value}", f"--warmup={_WARMUP.value}"]
    command += [f"--batch_size={_BATCH_SIZE.value}"]
    profiled = _ONEDNN_PROFILE.value and mode == "worker" and argument.endswith(",fit")
    environment = {**os.environ, "ONEDNN_VERBOSE": "1"} if profiled else None
    finished = subprocess.run(command, capture_output=True, text=True, env=environment)
    if not check:
        lines = finished.stderr.strip().splitlines()
        return None if finished.returncode == 0 else (lines[-1] if lines else "failed")
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{finished.stderr[-3000:]}")
    lines = finished.stdout.strip().splitlines()
    result = json.loads(next(line for line in reversed(lines) if line.startswith("{")))
    if profiled:
        result["onednn_ms_per_step"] = onednn_time(lines, _WARMUP.value + _STEPS.value)
    return result


def onednn_time(lines, steps):
    """oneDNN's execution time per step, by primitive, from ONEDNN_VERBOSE=1's lines.

    Convolutions are split by propagation: `forward`, `backward_data` (input
    gradients, and every transposed convolution's forward pass),
    `backward_weights` (kernel gradients), and `forward_dilated`: the dilated
    forward convolutions, which in the package's networks are the kernel
    gradients `keras_gan.layers.strided_conv` computes that way. `top` lists
    the costliest primitives with their shapes.
    """
    by_kind, by_primitive = {}, {}
    for line in lines:
        fields = line.split(",")
        if not line.startswith("onednn_verbose,") or "exec" not in fields[:4]:
            continue
        kind, implementation = fields[fields.index("exec") + 2 : fields.index("exec") + 4]
        shape, milliseconds = fields[-2], float(fields[-1])
        if kind == "convolution":
            propagation = fields[fields.index("exec") + 4]
            dilated = propagation.startswith("forward") and "dh0" not in shape
            kind = (
                "forward_dilated" if dilated else propagation.replace("forward_training", "forward")
            )
        by_kind[kind] = by_kind.get(kind, 0.0) + milliseconds / steps
        key = f"{kind} {implementation} {shape}".strip()
        by_primitive[key] = by_primitive.get(key, 0.0) + milliseconds / steps
    top = sorted(by_primitive.items(), key=lambda item: -item[1])[:8]
    return {
        "total": sum(by_kind.values()),
        "by_kind": dict(sorted(by_kind.items(), key=lambda item: -item[1])),
        "top": [{"primitive": key, "ms": value} for key, value in top],
    }


# ---------------------------------------------------------------- in a worker process


def _measure(mode, *arguments):
    if mode == "peaks":
        return matmul_peaks()
    if mode == "check":
        try:
            _config(arguments[0]).validate()
        except Exception as error:  # the flag parser's or the config's own message
            sys.exit(f"{type(error).__name__}: {error}")
        return None
    if mode == "flops":
        return step_flops(arguments[0], _BATCH_SIZE.value)
    pair, precision, implementation = arguments
    if implementation == "torch":
        return _time_torch(pair, precision)
    return _time_fit(pair, precision)


def _config(pair, batch_size=0):
    """The `TrainConfig` of `pair`'s flagfile, with `batch_size` unless it is 0."""
    from absl import flags as absl_flags

    from keras_gan.train import cli

    values = absl_flags.FlagValues()
    cli.define_flags(values)
    name, overrides = _pair_flags(pair)
    argv = ["benchmark", f"--flagfile={REPO / 'configs' / PAIRS[name][0]}", *overrides]
    if batch_size:
        argv.append(f"--batch_size={batch_size}")
    values(argv)
    return cli.config_from_flags(values)


def _build(pair, precision, batch_size=0):
    import dataclasses

    import numpy as np

    from keras_gan.train.builders import build_gan

    config = dataclasses.replace(_config(pair, batch_size), mixed_precision=precision)
    shape = PAIRS[_pair_flags(pair)[0]][1]
    classes = [str(i) for i in range(10)] if config.conditional else None
    gan = build_gan(
        config, shape, steps_per_epoch=500, pixel_means=np.full(shape, 0.5), class_names=classes
    )
    return gan, config.batch_size, shape


def _images(batch_size, shape):
    import numpy as np

    rng = np.random.default_rng(0)
    return rng.uniform(size=(4 * batch_size, *shape)).astype("float32")


def _time_fit(pair, precision):
    import keras
    import numpy as np
    import tensorflow as tf

    from keras_gan.layers import strided_conv

    gan, batch_size, shape = _build(pair, precision, _BATCH_SIZE.value)
    images = _images(batch_size, shape)
    if gan.num_classes is not None:  # random class ids beside the random images
        images = (images, np.arange(len(images), dtype="int32") % gan.num_classes)
    dataset = (
        tf.data.Dataset.from_tensor_slices(images)
        .repeat()
        .batch(batch_size, drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )
    times = []

    class StepClock(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            self.started = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            times.append(time.perf_counter() - self.started)

    steps = _WARMUP.value + _STEPS.value
    # As scripts/train.py does: the mode is read when `fit` traces the step.
    with strided_conv.weight_gradients_scope(_config(pair).conv_weight_gradients):
        gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[StepClock()])
    return _timing(pair, precision, "fit", batch_size, times)


def _time_torch(pair, precision):
    import torch
    import torch_steps

    batch_size, shape = _config(pair, _BATCH_SIZE.value).batch_size, PAIRS[pair][1]
    step = torch_steps.STEPS[pair](bfloat16=precision == "mixed_bfloat16")
    images = torch.from_numpy(_images(batch_size, shape))
    batches = [images[i * batch_size : (i + 1) * batch_size] for i in range(4)]
    times = []
    for i in range(_WARMUP.value + _STEPS.value):
        started = time.perf_counter()
        d_loss, _ = step.step(batches[i % 4])
        d_loss.item()
        times.append(time.perf_counter() - started)
    return _timing(pair, precision, f"torch {torch.__version__}", batch_size, times)


def _timing(pair, precision, implementation, batch_size, times):
    timed = times[_WARMUP.value :]
    return {
        "pair": pair,
        "precision": precision,
        "implementation": implementation,
        "batch_size": batch_size,
        "median_ms": 1000 * statistics.median(timed),
        "warmup_ms": [round(1000 * t, 1) for t in times[: _WARMUP.value]],
        "timed_ms": [round(1000 * t, 1) for t in timed],
    }


def step_flops(pair, batch_size=0):
    """FLOPs of one training step of `pair` (at `batch_size`, 0: its flagfile's), as
    TensorFlow counts its traced graph.

    The step's graph is cut to what its outputs and variable updates depend
    on (TensorFlow prunes the rest before running it: e.g. D's weight
    gradients in the G step, which the tape records but nothing uses), and
    every op with registered FLOP statistics (convolutions and their
    gradients, matmuls; elementwise ops count a few tenths of a percent)
    is summed.
    """
    import tensorflow as tf
    from tensorflow.python.framework import ops as tf_ops

    gan, batch_size, shape = _build(pair, "float32", batch_size)
    spec = tf.TensorSpec((batch_size, *shape), tf.float32)
    if gan.num_classes is not None:  # (images, class ids), as the timed steps read
        spec = (spec, tf.TensorSpec((batch_size,), tf.int32))
    graph = tf.function(gan.train_step).get_concrete_function(spec).graph
    kept = {tensor.op.name for tensor in graph.outputs}
    kept |= {op.name for op in graph.get_operations() if op._is_stateful}
    used = tf.compat.v1.graph_util.extract_sub_graph(graph.as_graph_def(), sorted(kept))
    names = {node.name for node in used.node}
    total = 0
    for op in graph.get_operations():
        if op.name in names:
            try:
                total += tf_ops.get_stats_for_node_def(graph, op.node_def, "flops").value or 0
            except ValueError:  # no statistics registered for this op type
                pass
    return {"batch_size": batch_size, "flops_per_step": total}


def matmul_peaks():
    """The best matmul rate of float32 and bfloat16 over a few sizes, in GFLOP/s."""
    import tensorflow as tf

    peaks = {}
    for dtype in (tf.float32, tf.bfloat16):
        rates = {}
        for size in (1024, 2048):
            a = tf.cast(tf.random.normal((size, size)), dtype)
            b = tf.cast(tf.random.normal((size, size)), dtype)
            product = tf.function(lambda a, b: tf.matmul(a, b))
            product(a, b).numpy()
            calls, started = 0, time.perf_counter()
            while time.perf_counter() - started < 1.0 or calls < 3:
                result = product(a, b)
                calls += 1
            result.numpy()
            rates[size] = 2 * size**3 * calls / (time.perf_counter() - started) / 1e9
        peaks[dtype.name] = max(rates.values())
    return peaks


# ---------------------------------------------------------------- report


def summarise(results):
    """Per pair and implementation: each precision's median over rounds of the per-process
    medians, the bfloat16 / float32 speed-up of every round, and shares of the peaks."""
    rows = {}
    for m in results["measurements"]:
        key = (m["pair"], m["implementation"].split(" ")[0])
        rows.setdefault(key, {}).setdefault(m["precision"], {})[m["round"]] = m["median_ms"]
    summary = []
    for (pair, implementation), by_precision in rows.items():
        flops = results["flops"][pair]["flops_per_step"]
        row = {"pair": pair, "implementation": implementation, "gflops_per_step": flops / 1e9}
        for precision, by_round in by_precision.items():
            median = statistics.median(by_round.values())
            row[precision] = {
                "median_ms": median,
                "per_round_ms": [by_round[r] for r in sorted(by_round)],
                "gflops_per_second": flops / median / 1e6,
            }
        if {"float32", "mixed_bfloat16"} <= set(by_precision):
            single, half = by_precision["float32"], by_precision["mixed_bfloat16"]
            speedups = [single[r] / half[r] for r in sorted(single) if r in half]
            row["bfloat16_speedup_per_round"] = speedups
        summary.append(row)
    fit = {(r["pair"]): r for r in summary if r["implementation"] == "fit"}
    for row in summary:
        if row["implementation"] == "torch" and row["pair"] in fit:
            for precision in PRECISIONS:
                if precision in row and precision in fit[row["pair"]]:
                    row[precision]["fit_speedup"] = (
                        row[precision]["median_ms"] / fit[row["pair"]][precision]["median_ms"]
                    )
    return summary


def _print_table(results):
    m, versions = results["machine"], results["versions"]
    print(
        f"\n{results['date']}  {m['cpu_model']} ({', '.join(m['cpu_flags']) or 'no flags'}), "
        f"{m['logical_cpus']} logical CPUs; TensorFlow {versions['tensorflow']}, "
        f"torch {versions['torch']}"
    )
    peaks = results["peaks"]
    print(
        f"matmul peaks: float32 {peaks['float32']:.0f} GFLOP/s, "
        f"bfloat16 {peaks['bfloat16']:.0f} GFLOP/s"
    )
    print("\nms per step: median over rounds of each process's median (per-round values)")
    for row in results["summary"]:
        line = f"{row['pair']:20} {row['implementation']:6} {row['gflops_per_step']:6.1f} GFLOP"
        for precision, peak in (("float32", "float32"), ("mixed_bfloat16", "bfloat16")):
            if precision in row:
                values = row[precision]
                share = values["gflops_per_second"] / peaks[peak]
                rounds = "/".join(f"{v:.0f}" for v in values["per_round_ms"])
                line += f"  {precision} {values['median_ms']:6.1f} ({rounds}; {share:.0%} of peak)"
        print(line)
        if "bfloat16_speedup_per_round" in row:
            speedups = ", ".join(f"{s:.2f}" for s in row["bfloat16_speedup_per_round"])
            print(f"{'':28} bfloat16 / float32 speed-up by round: {speedups}")
        for precision in PRECISIONS:
            if "fit_speedup" in row.get(precision, {}):
                print(
                    f"{'':28} {precision}: GAN.fit is {row[precision]['fit_speedup']:.2f}x "
                    "as fast as the PyTorch mirror"
                )
    profiles = [m for m in results["measurements"] if "onednn_ms_per_step" in m]
    if profiles:
        print("\noneDNN ms per step by primitive (ONEDNN_VERBOSE=1; warm-up steps included)")
    for m in profiles:
        profile = m["onednn_ms_per_step"]
        kinds = ", ".join(f"{kind} {ms:.1f}" for kind, ms in profile["by_kind"].items())
        print(f"round {m['round']} {m['pair']} {m['precision']}: {profile['total']:.1f} = {kinds}")
    for note in results["notes"]:
        print(f"note: {note}")


def _has_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _progress(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    app.run(main)
