"""Exports a trained generator as a SavedModel for TensorFlow Serving.

    python scripts/export.py --source=runs/quickstart --export_base=export

--source is a run directory (its newest checkpoint), a folder of checkpoints (RUN/best:
the --keep_best checkpoint), a checkpoint folder or a
`.keras` file. The model lands in <export_base>/<model_name>/<version>/.
A text run's generator (docs/text.md) is exported with its run's vocabulary, as
keras_gan.export.export_text_generator writes it.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

_SOURCE = flags.DEFINE_string(
    "source", None, "Run directory, RUN/best, checkpoint folder or .keras file."
)
_EXPORT_BASE = flags.DEFINE_string("export_base", "export", "The model server's base path.")
_MODEL_NAME = flags.DEFINE_string("model_name", "generator", "Model folder under export_base.")
_VERSION = flags.DEFINE_integer("version", None, "Version number; default: highest + 1.")
_MAX_SAMPLES = flags.DEFINE_integer("max_samples", 1024, "Largest num_samples a request may ask.")
_ENCODER = flags.DEFINE_string(
    "encoder",
    None,
    "An encoder .keras file fitted to this generator (scripts/train_encoder.py writes "
    "RUN/encoder/encoder.keras): adds the encode and reconstruct signatures. A BiGAN's own "
    "encoder is exported without it.",
)
_MAX_REFINE_STEPS = flags.DEFINE_integer(
    "max_refine_steps",
    0,
    "Adds the generate_refined signature (Langevin steps in z on the discriminator's energy, "
    "keras_gan.sampling.LangevinSampling) with the discriminator inside the export; a request "
    "may ask for 0 to this many steps. 0: no such signature, no discriminator.",
    lower_bound=0,
)
_REFINE_STEP_SIZE = flags.DEFINE_float(
    "refine_step_size", 0.01, "generate_refined's Langevin step size (> 0)."
)
_REFINE_CALIBRATION = flags.DEFINE_list(
    "refine_calibration",
    ["1.0", "0.0"],
    "scale,offset applied to the discriminator's logit in generate_refined (as "
    "scripts/evaluate.py --calibration_split would fit them).",
)
flags.mark_flag_as_required("source")


def main(argv):
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    import tensorflow as tf

    from keras_gan.export import export_generator
    from keras_gan.export import is_text_model
    from keras_gan.export import load_encoder
    from keras_gan.export import load_saved_model
    from keras_gan.export.sources import checked_gan

    tf.get_logger().setLevel("WARNING")
    try:
        langevin = _langevin()
        model, model_path = load_saved_model(_SOURCE.value)
        if is_text_model(model, model_path):
            path = _export_text(model, model_path)
        else:
            gan = checked_gan(model, model_path, _SOURCE.value)
            encoder = load_encoder(_ENCODER.value, gan) if _ENCODER.value else None
            path = export_generator(
                gan,
                _EXPORT_BASE.value,
                model_name=_MODEL_NAME.value,
                version=_VERSION.value,
                max_samples=_MAX_SAMPLES.value,
                encoder=encoder,
                langevin=langevin,
            )
    except ValueError as error:
        _error(error)
    print(f"exported the generator to {path}")


def _export_text(model, model_path):
    """A text run's generator and its vocabulary, by keras_gan.export.export_text_generator."""
    from keras_gan.export import export_text_generator
    from keras_gan.export.sources import text_generator_and_vocabulary

    for flag in (_ENCODER, _MAX_REFINE_STEPS):
        if flag.present:
            raise ValueError(
                f"--{flag.name} does not apply to a text generator's export. Received: "
                f"--{flag.name}={flag.value}"
            )
    generator, vocabulary = text_generator_and_vocabulary(model, model_path, _SOURCE.value)
    return export_text_generator(
        generator,
        _EXPORT_BASE.value,
        vocabulary,
        model_name=_MODEL_NAME.value,
        max_samples=_MAX_SAMPLES.value,
        version=_VERSION.value,
    )


def _langevin():
    """The sampler behind generate_refined, or None; bad flags are refused before any loading."""
    if _MAX_REFINE_STEPS.value == 0:
        return None
    from keras_gan.sampling import LangevinSampling

    try:
        scale, offset = (float(value) for value in _REFINE_CALIBRATION.value)
    except ValueError:
        raise ValueError(
            "--refine_calibration takes two numbers, scale,offset. Received: "
            f"--refine_calibration={','.join(_REFINE_CALIBRATION.value)}"
        ) from None
    try:
        return LangevinSampling(
            steps=_MAX_REFINE_STEPS.value,
            step_size=_REFINE_STEP_SIZE.value,
            calibration=(scale, offset),
        )
    except ValueError as error:
        raise ValueError(f"--refine_step_size: {error}") from error


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    app.run(main)
