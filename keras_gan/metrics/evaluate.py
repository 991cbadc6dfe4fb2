"""Evaluates a trained generator (run directory, checkpoint, .keras or SavedModel) on data."""

import pathlib

import numpy as np
import tensorflow as tf

from keras_gan.data.datasets import MODES
from keras_gan.data.datasets import load_dataset
from keras_gan.data.pipeline import to_array
from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.feature_distances import kernel_distance
from keras_gan.metrics.feature_distances import precision_recall
from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.metrics.parzen import parzen_estimate

METRICS = ("parzen", "fid", "kid", "prd", "mode_coverage")
FEATURE_METRICS = ("fid", "kid", "prd")
SAVED_MODEL_CHUNK = 500  # samples per `generate` request, below any export's limit


def load_sampler(path, sample_from_average=None):
    """A function `(num_samples, seed) -> samples` for the generator saved at `path`.

    Args:
        path: an exported SavedModel version folder (used through its
            `generate` signature, exactly what a model server answers), a
            TensorFlow Serving model base (a folder of numbered versions: the
            newest is used, as the model server would), a run directory, a
            checkpoint folder, or a `.keras` file.
        sample_from_average: for a saved GAN with a generator average
            (`generator_ema`): `True` samples the average, `False` the
            trained generator, `None` whichever the GAN samples from (the
            average unless it was built with `sample_from_average=False`).

    Raises:
        ValueError: if `path` holds no generator, or `sample_from_average`
            asks for a choice the saved model cannot make (a SavedModel holds
            the one generator chosen at export; a GAN without an average).
    """
    path = pathlib.Path(path)
    versions = serving_versions(path)
    if not (path / "saved_model.pb").is_file() and versions:
        # A model base, as TensorFlow Serving reads it: the newest version serves.
        path = path / str(versions[-1])
    if (path / "saved_model.pb").is_file():
        if sample_from_average is not None:
            raise ValueError(
                "An exported SavedModel holds the one generator chosen at export; choose "
                "between the average and the trained generator on a run directory, checkpoint "
                f"or .keras file. Received: sample_from_average={sample_from_average} for "
                f"{str(path)!r}"
            )
        generate = tf.saved_model.load(str(path)).signatures["generate"]

        def sample(num_samples, seed):
            chunks, done = [], 0
            while done < num_samples:
                count = min(SAVED_MODEL_CHUNK, num_samples - done)
                # Chunk c of a request uses seed + c: reproducible, never reused.
                out = generate(
                    num_samples=tf.constant(count, tf.int32),
                    seed=tf.constant(seed + len(chunks), tf.int64),
                )
                chunks.append(out["samples"].numpy())
                done += count
            return np.concatenate(chunks)

        return sample
    from keras_gan.export.sources import load_trained_gan

    gan = load_trained_gan(path)
    if sample_from_average is not None:
        if sample_from_average and gan.averaged_generator is None:
            raise ValueError(
                "The GAN has no generator average to sample from (it was trained without "
                f"`generator_ema` / --ema). Received: sample_from_average=True for {str(path)!r}"
            )
        gan.sample_from_average = bool(sample_from_average)
    return lambda num_samples, seed: gan.generate(num_samples, seed=seed)


def serving_versions(path):
    """The numbered SavedModel versions under a model base folder, sorted (may be [])."""
    if not path.is_dir():
        return []
    return sorted(
        int(p.name) for p in path.iterdir() if p.name.isdigit() and (p / "saved_model.pb").is_file()
    )


def evaluate(
    model,
    dataset,
    metrics=("parzen",),
    data_dir=None,
    manual_dir=None,
    num_samples=10000,
    seed=0,
    validation_split="train[50000:51000]",
    test_split="test",
    progress=False,
    feature_extractor=None,
    sample_from_average=None,
):
    """Evaluates the generator at `model` against `dataset`.

    Args:
        model: see `load_sampler`.
        dataset: a data set name, as for training.
        metrics: names from `METRICS`: `"parzen"` (the paper's Parzen-window
            estimate; sigma chosen on `validation_split`, reported on
            `test_split`); `"fid"`, `"kid"`, `"prd"` (precision and recall),
            between features of `test_split` and of the generated samples;
            `"mode_coverage"` (synthetic mixtures).
        data_dir, manual_dir: as for training.
        num_samples: generated samples (the paper: 10,000).
        seed: seed of the generated samples.
        validation_split, test_split: TFDS splits for the Parzen estimate.
            The defaults follow the paper's MNIST protocol: sigma on 1,000 of
            the training images the paper config does not train on
            (`train[:50000]`), the result on the 10,000 test images.
        progress: show progress bars.
        feature_extractor: Keras model giving the features for fid/kid/prd;
            default for 28x28x1 images: the package's MNIST classifier.
        sample_from_average: see `load_sampler`.

    Returns:
        A dict with `num_samples`, `seed`, and per metric its keys
        (`parzen_ll`, `parzen_se`, `parzen_sigma`; `fid`; `kid`, `kid_std`;
        `precision`, `recall`; `modes_covered`, `num_modes`,
        `high_quality_fraction`).

    Raises:
        ValueError: for an unknown metric, a metric the data set does not
            support, or a model `load_sampler` refuses.
    """
    unknown = sorted(set(metrics) - set(METRICS))
    if unknown:
        raise ValueError(
            f"Unknown metrics {unknown}; available: {', '.join(METRICS)}. "
            f"Received: metrics={','.join(metrics)}"
        )
    if "mode_coverage" in metrics and dataset not in MODES:
        raise ValueError(
            f"mode_coverage needs a mixture with known modes ({', '.join(MODES)}). "
            f"Received: dataset={dataset}"
        )
    uses_test = sorted(set(metrics) & {"parzen", *FEATURE_METRICS})
    if uses_test and dataset in MODES:
        raise ValueError(f"{uses_test} need a data set with splits. Received: dataset={dataset}")
    sample = load_sampler(model, sample_from_average)  # a bad model fails before data loads
    data = {}
    splits = {"test": test_split} if uses_test else {}
    if "parzen" in metrics:
        splits["validation"] = validation_split
    for name, split in splits.items():
        data[name] = to_array(
            load_dataset(dataset, data_dir=data_dir, manual_dir=manual_dir, split=split)
        )
    features = None
    if set(metrics) & set(FEATURE_METRICS):
        features = feature_extractor or _default_extractor(data["test"].shape[1:])
    samples = sample(num_samples, seed)
    results = {"num_samples": int(num_samples), "seed": int(seed)}
    if "parzen" in metrics:
        estimate = parzen_estimate(samples, data["test"], data["validation"], progress=progress)
        results.update(estimate)
    if features is not None:
        real = extract_features(features, data["test"])
        fake = extract_features(features, samples)
        if "fid" in metrics:
            results["fid"] = frechet_distance(real, fake)
        if "kid" in metrics:
            results["kid"], results["kid_std"] = kernel_distance(real, fake, seed=seed)
        if "prd" in metrics:
            results["precision"], results["recall"] = precision_recall(real, fake)
    if "mode_coverage" in metrics:
        modes, std = MODES[dataset]
        results.update(mode_coverage(samples, modes, std=std))
    return results


def _default_extractor(sample_shape):
    if tuple(sample_shape) != (28, 28, 1):
        raise ValueError(
            "fid/kid/prd need a feature extractor for samples of shape "
            f"{tuple(sample_shape)}; the package ships one for 28x28x1 (MNIST-like) images only. "
            "Pass feature_extractor= a Keras model."
        )
    from keras_gan.metrics.mnist_classifier import mnist_feature_extractor

    return mnist_feature_extractor()
