"""Streaming a folder of PNGs larger than one wants in memory: speed and memory.

    python benchmarks/streaming.py --folder=/tmp/pngs --output=streaming.json

Writes --num_images synthetic 28x28x1 PNGs into --folder (1,000 per subfolder;
reused if it already holds that many), then, in one process:
  1. streams one whole epoch with `make_streaming_pipeline` at the DCGAN
     config's batch size, sampling the process's resident memory after every
     tenth of it (flat memory: the last sample is not above the first);
  2. over --repeats rounds, interleaved: the stream's images per second alone,
     and `GAN.fit` steps of the DCGAN pair of configs/dcgan_mnist.cfg fed from
     the stream and from memory (`make_epoch_pipeline`).
The stream keeps up when it delivers more images per second than training
consumes. Ratios compare rates measured next to each other in a round; quote
them rather than absolute numbers on a shared machine. Not a test: nothing
here passes or fails.
"""

import os
import pathlib
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

import machine  # noqa: E402  (benchmarks/machine.py)
from absl import app  # noqa: E402
from absl import flags  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

_FOLDER = flags.DEFINE_string("folder", None, "Folder of the PNGs (written if missing).")
_NUM_IMAGES = flags.DEFINE_integer("num_images", 200_000, "PNGs to stream.", lower_bound=1)
_REPEATS = flags.DEFINE_integer("repeats", 3, "Interleaved rounds.", lower_bound=1)
_STEPS = flags.DEFINE_integer("steps", 50, "Batches timed per rate and round.", lower_bound=1)
_OUTPUT = flags.DEFINE_string("output", None, "JSON file to write (not overwritten).")
flags.mark_flag_as_required("folder")

SHAPE = (28, 28, 1)
PER_FOLDER = 1000


def main(argv):
    if len(argv) > 1:
        machine.error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    from keras_gan.files import new_output

    try:
        output = new_output(_OUTPUT.value)
    except ValueError as error:
        machine.error(error)
    import pairs

    from keras_gan.data import list_image_files
    from keras_gan.data import make_epoch_pipeline
    from keras_gan.data import make_streaming_pipeline

    folder = pathlib.Path(_FOLDER.value)
    written_seconds = _write_pngs(folder, _NUM_IMAGES.value)
    started = time.perf_counter()
    files, _, _ = list_image_files(folder)
    list_seconds = time.perf_counter() - started
    if len(files) != _NUM_IMAGES.value:
        machine.error(f"--folder holds {len(files)} images, not --num_images={_NUM_IMAGES.value}")
    batch_size = pairs.config("dcgan", 128).batch_size
    options = dict(batch_size=batch_size, seed=0, output_range=(-1.0, 1.0))

    _progress(f"one epoch of {len(files)} images, memory every tenth")
    dataset, steps = make_streaming_pipeline(files, epochs=1, **options)
    memory = [_resident_megabytes()]
    started = time.perf_counter()
    for step, _ in enumerate(dataset, start=1):
        if step % max(1, steps // 10) == 0 or step == steps:
            memory.append(_resident_megabytes())
    epoch_seconds = time.perf_counter() - started

    import keras

    gan = pairs.build_gan("dcgan", batch_size, jit_compile="auto")
    in_memory = make_epoch_pipeline(_random_images(batch_size * 10), epochs=10**6, **options)[0]
    rates = {"stream": [], "fit_from_stream": [], "fit_from_memory": []}
    count = _STEPS.value
    for round_ in range(_REPEATS.value):
        _progress(f"round {round_ + 1} of {_REPEATS.value}")
        stream = make_streaming_pipeline(files, epochs=10**6, **options)[0]
        iterator = iter(stream)
        next(iterator)  # the first batch starts the pipeline
        started = time.perf_counter()
        for _ in range(count):
            next(iterator)
        rates["stream"].append(count * batch_size / (time.perf_counter() - started))
        for name, source in (("fit_from_stream", stream), ("fit_from_memory", in_memory)):
            clock = _Clock(keras)
            # Two untimed steps: the traced step (first round) and the pipeline's start.
            gan.fit(
                source,
                steps_per_epoch=count + 2,
                epochs=1,
                shuffle=False,
                verbose=0,
                callbacks=[clock],
            )
            rates[name].append(count * batch_size / (clock.times[-1] - clock.times[1]))
    medians = {name: statistics.median(values) for name, values in rates.items()}
    results = {
        "command": " ".join(["python", "benchmarks/streaming.py", *sys.argv[1:]]),
        "num_images": len(files),
        "shape": SHAPE,
        "batch_size": batch_size,
        "write_seconds": written_seconds,
        "list_seconds": list_seconds,
        "epoch_seconds": epoch_seconds,
        "epoch_images_per_second": len(files) // batch_size * batch_size / epoch_seconds,
        "resident_megabytes_through_the_epoch": memory,
        "images_per_second": rates,
        "medians": medians,
        "stream_over_training": medians["stream"] / medians["fit_from_memory"],
        "fit_from_stream_over_fit_from_memory": medians["fit_from_stream"]
        / medians["fit_from_memory"],
    }
    print(f"{len(files)} PNGs {SHAPE}, batch {batch_size}; one epoch {epoch_seconds:.1f} s")
    print("resident MB through the epoch: " + " ".join(f"{m:.0f}" for m in memory))
    for name, value in medians.items():
        print(f"{name:>18}: {value:8.0f} images/s (median of {len(rates[name])})")
    print(f"stream / training: {results['stream_over_training']:.2f}")
    print(
        f"fit from stream / fit from memory: {results['fit_from_stream_over_fit_from_memory']:.2f}"
    )
    if output is not None:
        from keras_gan.files import write_json

        write_json(output, results)
        print(f"wrote {output}")


def _write_pngs(folder, count):
    """Writes `count` random-stroke PNGs below `folder` unless it holds them; seconds taken."""
    import numpy as np
    import tensorflow as tf

    marker = folder / f".complete-{count}"
    if marker.exists():
        return 0.0
    _progress(f"writing {count} PNGs into {folder}")
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    for start in range(0, count, PER_FOLDER):
        sub = folder / f"{start // PER_FOLDER:05d}"
        sub.mkdir(parents=True, exist_ok=True)
        images = _random_images(min(PER_FOLDER, count - start), rng)
        pixels = tf.cast(tf.round(tf.constant(images) * 255.0), tf.uint8)
        for offset, image in enumerate(pixels):
            (sub / f"{start + offset:07d}.png").write_bytes(tf.io.encode_png(image).numpy())
    marker.write_text("")
    return time.perf_counter() - started


def _random_images(count, rng=None):
    """Images with a few bright blobs on black, so the PNGs compress like digits."""
    import numpy as np

    rng = rng or np.random.default_rng(1)
    images = np.zeros((count, *SHAPE), "float32")
    rows, cols = rng.integers(4, 24, (2, count, 3))
    for k in range(3):
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                images[np.arange(count), rows[:, k] + dy, cols[:, k] + dx, 0] = 1.0
    return images


def _Clock(keras):
    class Clock(keras.callbacks.Callback):
        """The time at the end of every training batch."""

        def __init__(self):
            super().__init__()
            self.times = []

        def on_train_batch_end(self, batch, logs=None):
            self.times.append(time.perf_counter())

    return Clock()


def _resident_megabytes():
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _progress(message):
    print(f"[streaming] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    app.run(main)
