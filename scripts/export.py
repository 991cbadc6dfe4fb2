"""Exports a trained generator as a SavedModel for TensorFlow Serving.

    python scripts/export.py --source=runs/quickstart --export_base=export

--source is a run directory (its newest checkpoint), a folder of checkpoints (RUN/best:
the --keep_best checkpoint), a checkpoint folder or a
`.keras` file. The model lands in <export_base>/<model_name>/<version>/.
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
flags.mark_flag_as_required("source")


def main(argv):
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    import tensorflow as tf

    from keras_gan.export import export_generator
    from keras_gan.export import load_encoder
    from keras_gan.export import load_trained_gan

    tf.get_logger().setLevel("WARNING")
    try:
        gan = load_trained_gan(_SOURCE.value)
        encoder = load_encoder(_ENCODER.value, gan) if _ENCODER.value else None
        path = export_generator(
            gan,
            _EXPORT_BASE.value,
            model_name=_MODEL_NAME.value,
            version=_VERSION.value,
            max_samples=_MAX_SAMPLES.value,
            encoder=encoder,
        )
    except ValueError as error:
        _error(error)
    print(f"exported the generator to {path}")


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    app.run(main)
