"""Fits a small GAN to a ring of 8 Gaussians with `gan.fit`, in about a minute on a CPU.

    python scripts/quickstart.py --output_dir=runs/quickstart

Writes `samples.png` (generated samples over the data) and `gan.keras` (the
trained model, reloadable with `keras.saving.load_model`) to --output_dir.
"""

import pathlib

import keras
from absl import app
from absl import flags

import keras_gan
from keras_gan.data import ring
from keras_gan.data import ring_modes
from keras_gan.metrics import mode_coverage
from keras_gan.plots import plot_samples_2d

_OUTPUT_DIR = flags.DEFINE_string("output_dir", "runs/quickstart", "Where to write the results.")
_EPOCHS = flags.DEFINE_integer("epochs", 25, "Passes over the 50,000 data points.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the weights and the noise.")


def mlp(input_dim, output_dim):
    return keras.Sequential(
        [keras.Input((input_dim,))]
        + [keras.layers.Dense(128, activation="relu") for _ in range(2)]
        + [keras.layers.Dense(output_dim)]
    )


def main(argv):
    del argv
    output_dir = pathlib.Path(_OUTPUT_DIR.value)
    output_dir.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(_SEED.value)

    data = ring(50000, seed=_SEED.value)
    gan = keras_gan.GAN(
        generator=mlp(16, 2),
        discriminator=mlp(2, 1),
        latent_distribution="normal",
        seed=_SEED.value,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        loss="non_saturating",
    )
    gan.fit(data, batch_size=256, epochs=_EPOCHS.value, verbose=2)

    samples = gan.generate(2500, seed=0)
    coverage = mode_coverage(samples, ring_modes(), std=0.02)
    print(
        f"modes covered: {coverage['modes_covered']} of {coverage['num_modes']}; "
        f"samples within 3 std of a mode: {coverage['high_quality_fraction']:.0%}"
    )
    plot_samples_2d(samples, data[:2500], output_dir / "samples.png", title="8-Gaussian ring")
    gan.save(output_dir / "gan.keras")
    print(f"wrote {output_dir / 'samples.png'} and {output_dir / 'gan.keras'}")


if __name__ == "__main__":
    app.run(main)
