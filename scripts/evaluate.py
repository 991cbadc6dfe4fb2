"""Evaluates a trained generator and writes the numbers as JSON.

    python scripts/evaluate.py --model=runs/paper_mnist --dataset=mnist --metrics=parzen \
        --manual_dir=../shared/data/mnist --output=runs/paper_mnist/evaluation.json

--model is a run directory (its newest checkpoint), a checkpoint folder, a .keras
file, or an exported SavedModel version folder (evaluated through its `generate`
signature, exactly as a model server would answer).

A text run (docs/text.md) is scored on its own data, as training scores it, at
--text_temperatures with --num_samples sentences; any of its checkpoints, e.g. the
MLE generator after epoch N:

    python scripts/evaluate.py --model=runs/coco/pretrain/step-000001560 \
        --text_temperatures=0.9,1.0 --num_samples=2000
"""

import importlib
import math
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402
from absl import logging  # noqa: E402

_MODEL = flags.DEFINE_string("model", None, "Run dir, checkpoint, .keras file or SavedModel.")
_DATASET = flags.DEFINE_string("dataset", "mnist", "Data set name, as for training.")
_METRICS = flags.DEFINE_list(
    "metrics",
    ["parzen"],
    "Any of: parzen, fid, kid, prd (precision/recall), mode_coverage, class_balance (MNIST: "
    "the digits' shares in the samples against the test set's); for conditional "
    "generators class_accuracy (MNIST) and intra_fid; with an encoder reconstruction and "
    "nn_accuracy; for an InfoGAN code_accuracy (its categorical code as a classifier); "
    "with --fid_inception_weights fid_inception (the standard FID, against "
    "--reference_split) and inception_score; for a --gcn model fid_inception_round_trip; "
    "and metrics of your own (--metric_modules).",
)
_METRIC_MODULES = flags.DEFINE_list(
    "metric_modules",
    [],
    "Python modules to import before --metrics is read: modules that register metrics of "
    "your own with @keras_gan.metrics.register(name) (importable from PYTHONPATH).",
)
_SAMPLER = flags.DEFINE_string(
    "sampler",
    None,
    "Draw the scored samples with a keras_gan.sampling sampler instead of plain G(z): "
    "truncation, w_truncation (StyleGAN2's), rejection, metropolis_hastings, langevin or "
    "optimal_transport (a saved GAN, not an export).",
)
_SAMPLER_ARGS = flags.DEFINE_list(
    "sampler_args",
    [],
    "The sampler's settings as name=value, e.g. threshold=0.7 (truncation), psi=0.7 "
    "(w_truncation), chain_length=20 (metropolis_hastings), steps=50,step_size=0.01 (langevin).",
)
_CALIBRATION_SPLIT = flags.DEFINE_string(
    "calibration_split",
    None,
    "Held-out images to calibrate D on for rejection, metropolis_hastings and langevin "
    "(e.g. train[50000:51000]); without it D's logit is used as it is.",
)
_ENCODER = flags.DEFINE_string(
    "encoder",
    None,
    "An encoder .keras file fitted to the generator (scripts/train_encoder.py), for "
    "reconstruction and nn_accuracy. A BiGAN's own encoder and an export's encode "
    "signature are used without it.",
)
_REFERENCE_SPLIT = flags.DEFINE_string(
    "reference_split",
    "train",
    "nn_accuracy: the labelled split whose codes are searched; fid_inception: the images "
    "the samples are compared with.",
)
_FID_INCEPTION_WEIGHTS = flags.DEFINE_string(
    "fid_inception_weights",
    None,
    "The FID Inception network's .weights.h5 (scripts/convert_fid_inception.py), for "
    "fid_inception and inception_score.",
)
_REFERENCE_STATISTICS = flags.DEFINE_string(
    "reference_statistics",
    None,
    "fid_inception: an .npz of the reference features' mu and sigma (TTUR's and pytorch-fid's "
    "format). Read if it exists (refused if made from another data set, split or network); "
    "else computed from --reference_split and written there, resumably, for next time.",
)
_FEATURE_MODEL = flags.DEFINE_string(
    "feature_model", None, "A .keras model giving features for fid/kid/prd (default: MNIST's)."
)
_KERAS_INCEPTION_WEIGHTS = flags.DEFINE_string(
    "keras_inception_weights",
    None,
    "Keras' ImageNet InceptionV3 weights file (.h5, with or without top): fid/kid/prd on its "
    "2048 pool features instead of the MNIST classifier's. Not the FID paper's network: that "
    "is --fid_inception_weights.",
)
_INCEPTION_WEIGHTS = flags.DEFINE_string(
    "inception_weights",
    None,
    "Deprecated name of --keras_inception_weights (it read as the FID paper's network, which "
    "is --fid_inception_weights).",
)
_GCN = flags.DEFINE_float(
    "gcn",
    None,
    "The global contrast normalisation the model was trained with (train.py's --gcn). Unset: "
    "what its run's config.json records (0 for a .keras file outside a run). A GCN model's "
    "samples get the mean and contrast of random --reference_split images before every "
    "metric; fid_inception_round_trip scores --test_split's images after the same round trip.",
)
_DATA_DIR = flags.DEFINE_string("data_dir", None, "TFDS data directory.")
_MANUAL_DIR = flags.DEFINE_string("manual_dir", None, "Folder of the data set's original files.")
_NUM_SAMPLES = flags.DEFINE_integer("num_samples", 10000, "Generated samples.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the generated samples.")
_VALIDATION_SPLIT = flags.DEFINE_string(
    "validation_split", "train[50000:51000]", "Split that chooses the Parzen width."
)
_TEST_SPLIT = flags.DEFINE_string("test_split", "test", "Split the Parzen estimate is reported on.")
_SAMPLE_FROM_EMA = flags.DEFINE_bool(
    "sample_from_ema",
    None,
    "For a run trained with --ema: score the averaged generator (--sample_from_ema) or the "
    "trained one (--nosample_from_ema). Unset: the run's own choice (the average unless it "
    "was trained with --nosample_from_ema). Not for SavedModels: their export chose.",
)
_TEXT_TEMPERATURES = flags.DEFINE_list(
    "text_temperatures",
    ["1.0"],
    "A text run: the sampling temperatures to score at (BLEU, self-BLEU, NLL; NLL_oracle).",
)
_OUTPUT = flags.DEFINE_string("output", None, "JSON file to write (not overwritten).")
_NEAREST_NEIGHBOURS = flags.DEFINE_string(
    "nearest_neighbours",
    None,
    "Also draw the paper's memorisation check into this PNG (not overwritten): 24 samples, "
    "each beside its nearest image of --reference_split in pixel distance. With --metrics= "
    "(empty), only the picture.",
)
flags.mark_flag_as_required("model")


def main(argv):
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    from keras_gan.files import new_output

    try:
        output = new_output(_OUTPUT.value)
    except ValueError as error:
        _error(error)
    neighbours = pathlib.Path(_NEAREST_NEIGHBOURS.value) if _NEAREST_NEIGHBOURS.value else None
    if not _METRICS.value and neighbours is None:
        _error("--metrics is empty and no --nearest_neighbours picture is asked for: nothing to do")
    if neighbours is not None and (neighbours.exists() or neighbours.suffix != ".png"):
        _error(
            "--nearest_neighbours must name a new .png file (never overwritten). Received: "
            f"--nearest_neighbours={neighbours}"
        )
    keras_inception_weights = _KERAS_INCEPTION_WEIGHTS.value
    if _INCEPTION_WEIGHTS.value:
        if keras_inception_weights:
            _error(
                "--inception_weights is the deprecated name of --keras_inception_weights; give "
                f"one. Received: --inception_weights={_INCEPTION_WEIGHTS.value} "
                f"--keras_inception_weights={keras_inception_weights}"
            )
        print(
            "evaluate.py: warning: --inception_weights is deprecated; use "
            "--keras_inception_weights (Keras' ImageNet InceptionV3; the FID paper's network is "
            "--fid_inception_weights)",
            file=sys.stderr,
        )
        keras_inception_weights = _INCEPTION_WEIGHTS.value
    if _FEATURE_MODEL.value and keras_inception_weights:
        _error(
            "--feature_model and --keras_inception_weights each choose the features; give one. "
            f"Received: --feature_model={_FEATURE_MODEL.value} "
            f"--keras_inception_weights={keras_inception_weights}"
        )
    for module in _METRIC_MODULES.value:
        try:
            importlib.import_module(module)
        except ImportError as error:
            _error(f"--metric_modules: cannot import {module!r}: {error}")
    from keras_gan import run_layout

    recorded = run_layout.recorded_config(_MODEL.value) or {}
    if recorded.get("dataset") in ("text", "text_oracle"):
        _evaluate_text(output)
        return
    from keras_gan.metrics.evaluate import evaluate

    if not flags.FLAGS["verbosity"].present:
        logging.set_verbosity(logging.WARNING)  # TFDS and TensorFlow INFO lines
    try:
        extractor = None
        if keras_inception_weights:
            from keras_gan.metrics import InceptionFeatures

            extractor = InceptionFeatures(keras_inception_weights)
        if _FEATURE_MODEL.value:
            import keras

            try:
                extractor = keras.saving.load_model(_FEATURE_MODEL.value)
            except Exception as error:  # Keras raises several types for unreadable files
                raise ValueError(
                    f"Cannot load --feature_model={_FEATURE_MODEL.value}: {error}"
                ) from error
        sampler = None
        if _SAMPLER.value:
            from keras_gan import sampling

            arguments = _sampler_arguments(_SAMPLER_ARGS.value)
            try:
                sampler = sampling.get(_SAMPLER.value, **arguments)
            except (TypeError, ValueError) as error:  # a setting the sampler refuses
                raise ValueError(
                    f"--sampler={_SAMPLER.value} does not take these settings: {error}. "
                    f"Received: --sampler_args={','.join(_SAMPLER_ARGS.value)}"
                ) from error
        elif _SAMPLER_ARGS.value or _CALIBRATION_SPLIT.value:
            raise ValueError(
                "--sampler_args and --calibration_split set up a --sampler, and none is given. "
                f"Received: --sampler_args={','.join(_SAMPLER_ARGS.value)} "
                f"--calibration_split={_CALIBRATION_SPLIT.value}"
            )
        results = {}
        if _METRICS.value:
            results = evaluate(
                _MODEL.value,
                _DATASET.value,
                metrics=_METRICS.value,
                data_dir=_DATA_DIR.value,
                manual_dir=_MANUAL_DIR.value,
                num_samples=_NUM_SAMPLES.value,
                seed=_SEED.value,
                validation_split=_VALIDATION_SPLIT.value,
                test_split=_TEST_SPLIT.value,
                progress=True,
                feature_extractor=extractor,
                sample_from_average=_SAMPLE_FROM_EMA.value,
                encoder=_ENCODER.value,
                reference_split=_REFERENCE_SPLIT.value,
                inception_weights=_FID_INCEPTION_WEIGHTS.value,
                reference_statistics=_REFERENCE_STATISTICS.value,
                gcn=_GCN.value,
                sampler=sampler,
                calibration_split=_CALIBRATION_SPLIT.value,
            )
        if neighbours is not None:
            from keras_gan.metrics.nearest_neighbours import write_memorisation_check

            write_memorisation_check(
                _MODEL.value,
                _DATASET.value,
                neighbours,
                data_dir=_DATA_DIR.value,
                manual_dir=_MANUAL_DIR.value,
                split=_REFERENCE_SPLIT.value,
                seed=_SEED.value,
                sample_from_average=_SAMPLE_FROM_EMA.value,
                gcn=_GCN.value,
            )
    except ValueError as error:
        _error(error)
    if neighbours is not None:
        print(f"wrote {neighbours}")
    for key, value in results.items():
        if key == "warnings":
            continue  # Python's warnings module has printed them to stderr
        if not isinstance(value, dict):
            print(f"{key:>22}  {value}")
    if output is not None:
        from keras_gan.files import write_json

        write_json(output, results)
        print(f"wrote {output}")


def _evaluate_text(output):
    """Scores a text run's checkpoint on its own data; image flags are refused."""
    image_flags = [
        name
        for name in ("metrics", "sampler", "encoder", "nearest_neighbours", "dataset", "gcn")
        if flags.FLAGS[name].present
    ]
    if image_flags:
        _error(
            f"--{image_flags[0]} does not apply to a text run ({_MODEL.value}), which is scored "
            "by BLEU/NLL at --text_temperatures. Received: "
            f"--{image_flags[0]}={flags.FLAGS[image_flags[0]].value}"
        )
    try:
        temperatures = [float(t) for t in _TEXT_TEMPERATURES.value]
    except ValueError:
        temperatures = []
    if not temperatures or not all(math.isfinite(t) and t > 0 for t in temperatures):
        _error(
            "--text_temperatures must be numbers > 0, e.g. 0.9,1.0. Received: "
            f"--text_temperatures={','.join(_TEXT_TEMPERATURES.value)}"
        )
    from keras_gan.train.text_training import evaluate_text_run

    try:
        scores = evaluate_text_run(_MODEL.value, temperatures, _NUM_SAMPLES.value, _SEED.value)
    except ValueError as error:
        _error(error)
    if output is not None:
        from keras_gan.files import write_json

        write_json(output, scores)
        print(f"wrote {output}")


def _sampler_arguments(pairs):
    """`--sampler_args` as keyword arguments: numbers where they parse, else strings."""
    arguments = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise ValueError(f"--sampler_args takes name=value pairs. Received: {pair!r}")
        try:
            arguments[name] = int(value)
        except ValueError:
            try:
                arguments[name] = float(value)
            except ValueError:
                arguments[name] = value
    return arguments


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    app.run(main)
