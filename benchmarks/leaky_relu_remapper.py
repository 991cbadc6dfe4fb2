"""Does Grappler's failed LeakyRelu fusion cost the CIFAR-10 step time? One variant a process.

    for round in 1 2 3; do for variant in default maximum noremap; do
      TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 taskset -c 1 \\
          python benchmarks/leaky_relu_remapper.py $variant; done; done

Every DCGAN run logs `E... remapper failed ... LeakyReluGrad ... BiasAdd` once. Variants:
`default` (the model as shipped: the remapper gives up on the step's graph); `maximum` (D's
LeakyReLU written as maximum(x, slope * x), which the remapper does not try to fuse, so no
message); `noremap` (the remapper switched off for the process). Prints the median of 20
per-step times of `GAN.fit` on configs/cifar10.cfg after 8 warm-up steps, as JSON. A
benchmark, not a test.
"""

import json
import pathlib
import statistics
import sys
import time

import keras
import numpy as np
import tensorflow as tf

REPO = pathlib.Path(__file__).resolve().parent.parent


def main(variant, precision="float32"):
    if variant == "maximum":
        from keras_gan.models import dcgan_discriminator

        class Ops:
            def __getattr__(self, name):
                return getattr(keras.ops, name)

            @staticmethod
            def leaky_relu(x, negative_slope):
                return keras.ops.maximum(x, negative_slope * x)

        class Keras:
            ops = Ops()

            def __getattr__(self, name):
                return getattr(keras, name)

        dcgan_discriminator.keras = Keras()
    elif variant == "noremap":
        tf.config.optimizer.set_experimental_options({"remapping": False})
    elif variant != "default":
        raise SystemExit(f"variant must be default, maximum or noremap. Received: {variant!r}")
    import dataclasses

    from absl import flags

    from keras_gan.train import cli
    from keras_gan.train.builders import build_gan

    values = flags.FlagValues()
    cli.define_flags(values)
    values(["benchmark", f"--flagfile={REPO / 'configs' / 'cifar10.cfg'}"])
    config = dataclasses.replace(cli.config_from_flags(values), mixed_precision=precision)
    shape = (32, 32, 3)
    gan = build_gan(config, shape, steps_per_epoch=500, pixel_means=np.full(shape, 0.5))
    batch = config.batch_size
    images = np.random.default_rng(0).uniform(size=(4 * batch, *shape)).astype("float32")
    dataset = tf.data.Dataset.from_tensor_slices(images).repeat().batch(batch, drop_remainder=True)
    times = []

    class Clock(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            self.started = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            times.append(time.perf_counter() - self.started)

    gan.fit(dataset, epochs=1, steps_per_epoch=28, verbose=0, callbacks=[Clock()])
    print(
        json.dumps(
            {
                "variant": variant,
                "precision": precision,
                "median_ms": 1000 * statistics.median(times[8:]),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
