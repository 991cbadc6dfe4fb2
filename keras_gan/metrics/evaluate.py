"""Evaluates a trained generator (run directory, checkpoint, .keras or SavedModel) on data."""

import os
import pathlib

import keras
import numpy as np
import tensorflow as tf

from keras_gan import run_layout
from keras_gan.data.contrast_normalization import gcn_to_pixels
from keras_gan.data.contrast_normalization import global_contrast_normalize
from keras_gan.data.datasets import MODES
from keras_gan.data.datasets import load_dataset
from keras_gan.data.pipeline import to_array
from keras_gan.export.generator_export import CLASS_NAMES_FILE
from keras_gan.metrics.class_metrics import class_accuracy
from keras_gan.metrics.class_metrics import intra_fid
from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.feature_distances import frechet_distance_of_moments
from keras_gan.metrics.feature_distances import inception_score
from keras_gan.metrics.feature_distances import kernel_distance
from keras_gan.metrics.feature_distances import precision_recall
from keras_gan.metrics.fid_statistics import compute_fid_statistics
from keras_gan.metrics.fid_statistics import file_sha256
from keras_gan.metrics.fid_statistics import load_fid_statistics
from keras_gan.metrics.inference_metrics import label_agreement
from keras_gan.metrics.inference_metrics import nearest_neighbour_accuracy
from keras_gan.metrics.inference_metrics import reconstruction_error
from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.metrics.parzen import parzen_estimate
from keras_gan.models.labels import balanced_labels
from keras_gan.models.labels import check_label_array

METRICS = (
    "parzen",
    "fid",
    "kid",
    "prd",
    "mode_coverage",
    "class_accuracy",
    "intra_fid",
    "reconstruction",
    "nn_accuracy",
    "fid_inception",
    "fid_inception_round_trip",
    "inception_score",
)
# The FID Inception network's; the first two compare with the reference statistics.
INCEPTION_METRICS = ("fid_inception", "fid_inception_round_trip", "inception_score")
REFERENCE_METRICS = ("fid_inception", "fid_inception_round_trip")
FEATURE_METRICS = ("fid", "kid", "prd", "intra_fid")
CLASS_METRICS = ("class_accuracy", "intra_fid")  # conditional generators only
ENCODER_METRICS = ("reconstruction", "nn_accuracy")  # generators with an encoder only
SAVED_MODEL_CHUNK = 500  # samples per `generate` request, below any export's limit


class Sampler:
    """Draws samples from a saved generator: `sampler(num_samples, seed, labels=None)`.

    Attributes:
        num_classes: None for an unconditional generator, else its classes;
            then `labels` (default: the classes in order, equally often, as
            `GAN.generate`) says which class each sample is of.
        encode: None, or (with an encoder) `encode(images) -> E(x)`.
        reconstruct: None, or `reconstruct(images) -> G(E(x))`.
        step: the training step the generator was saved at (its generator
            optimizer's iterations), or None for an exported SavedModel.
    """

    def __init__(self, generate, num_classes=None, encode=None, reconstruct=None, step=None):
        self._generate = generate
        self.num_classes = num_classes
        self.encode = encode
        self.reconstruct = reconstruct
        self.step = step

    def __call__(self, num_samples, seed, labels=None):
        if self.num_classes is None:
            return self._generate(num_samples, seed)
        if labels is None:
            labels = balanced_labels(num_samples, self.num_classes)
        return self._generate(num_samples, seed, check_label_array(labels, self.num_classes))


def load_sampler(path, sample_from_average=None, encoder=None):
    """A `Sampler`, `(num_samples, seed, labels=None) -> samples`, for the generator at `path`.

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
        encoder: None, or a `.keras` file of an encoder fitted to this
            generator (`scripts/train_encoder.py`). A `BiGAN`'s own encoder
            and an export's `encode` signature are used without it.

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
        names_file = path / "assets.extra" / CLASS_NAMES_FILE
        num_classes = len(names_file.read_text().splitlines()) if names_file.is_file() else None

        def sample(num_samples, seed, labels=None):
            chunks, done = [], 0
            while done < num_samples:
                count = min(SAVED_MODEL_CHUNK, num_samples - done)
                inputs = {}
                if labels is not None:
                    inputs["labels"] = tf.constant(labels[done : done + count], tf.int32)
                # Chunk c of a request uses seed + c: reproducible, never reused.
                out = generate(
                    num_samples=tf.constant(count, tf.int32),
                    seed=tf.constant(seed + len(chunks), tf.int64),
                    **inputs,
                )
                chunks.append(out["samples"].numpy())
                done += count
            return np.concatenate(chunks)

        signatures = tf.saved_model.load(str(path)).signatures
        if encoder is not None:
            raise ValueError(
                "An exported SavedModel serves the encoder it was exported with (its `encode` "
                f"signature). Received: encoder={str(encoder)!r} for {str(path)!r}"
            )
        if "encode" not in signatures:
            return Sampler(sample, num_classes)
        encode_signature, reconstruct_signature = signatures["encode"], signatures["reconstruct"]
        return Sampler(
            sample,
            num_classes,
            encode=lambda images: _in_chunks(encode_signature, images, "latent"),
            reconstruct=lambda images: _in_chunks(reconstruct_signature, images, "samples"),
        )
    from keras_gan import inference
    from keras_gan.export.sources import load_encoder
    from keras_gan.export.sources import load_trained_gan

    gan = load_trained_gan(path)
    network = load_encoder(encoder, gan) if encoder is not None else getattr(gan, "encoder", None)
    codec = {}
    if network is not None:
        codec = {
            "encode": lambda images: inference.encode(network, images),
            "reconstruct": lambda images: inference.reconstruct(gan.sampler, network, images),
        }
    if sample_from_average is not None:
        if sample_from_average and gan.averaged_generator is None:
            raise ValueError(
                "The GAN has no generator average to sample from (it was trained without "
                f"`generator_ema` / --ema). Received: sample_from_average=True for {str(path)!r}"
            )
        gan.sample_from_average = bool(sample_from_average)
    if gan.g_optimizer is not None:
        codec["step"] = int(keras.ops.convert_to_numpy(gan.g_optimizer.iterations))
    if gan.num_classes is None:
        return Sampler(lambda num_samples, seed: gan.generate(num_samples, seed=seed), **codec)
    return Sampler(
        lambda num_samples, seed, labels: gan.generate(num_samples, seed=seed, labels=labels),
        gan.num_classes,
        **codec,
    )


def _in_chunks(signature, images, output):
    """A signature's `output` for `images`, SAVED_MODEL_CHUNK images per request."""
    images = np.asarray(images, "float32")
    return np.concatenate(
        [
            signature(images=tf.constant(images[i : i + SAVED_MODEL_CHUNK]))[output].numpy()
            for i in range(0, len(images), SAVED_MODEL_CHUNK)
        ]
    )


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
    encoder=None,
    reference_split="train",
    inception_weights=None,
    reference_statistics=None,
    gcn=None,
):
    """Evaluates the generator at `model` against `dataset`.

    Args:
        model: see `load_sampler`.
        dataset: a data set name, as for training.
        metrics: names from `METRICS`: `"parzen"` (the paper's Parzen-window
            estimate; sigma chosen on `validation_split`, reported on
            `test_split`); `"fid"`, `"kid"`, `"prd"` (precision and recall),
            between features of `test_split` and of the generated samples;
            `"mode_coverage"` (synthetic mixtures). Conditional generators
            only: `"class_accuracy"` (the shipped MNIST classifier's
            accuracy on the samples generated for each class, per class and
            their mean), `"intra_fid"` (the FID of each class's samples
            against the test images of that class, and their mean). A
            conditional generator's samples are class-balanced for every
            metric (`num_samples / num_classes` of each class). Generators
            with an encoder (a `BiGAN`, `encoder=`, an export with
            `encode`): `"reconstruction"` (on `test_split`: the pixel MSE of
            G(E(x)) and its chance level against another image, and for
            MNIST how often the shipped classifier gives G(E(x)) the label
            of x), `"nn_accuracy"` (1-nearest-neighbour classification of
            E(x) of `test_split` among E(x) of `reference_split`, BiGAN's
            Table 1 protocol). With `inception_weights`: `"fid_inception"`
            (the standard FID: the FID Inception network's pool features of
            the samples against those of `reference_split`, for CIFAR-10 the
            50,000 training images), `"inception_score"` (mean and std over
            10 parts; needs weights with the classifier). A model trained
            on contrast-normalised images (`gcn`) has no pixels: its samples
            are put into [0, 1] by `keras_gan.data.gcn_to_pixels` (each
            takes the mean and contrast of a random image of
            `reference_split`) before every metric, and
            `"fid_inception_round_trip"` measures what that costs real
            images: the standard FID of `test_split`'s images after
            normalisation and the same restoration.
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
        sample_from_average, encoder: see `load_sampler`.
        reference_split: the labelled split whose codes `nn_accuracy`
            searches, and the images `fid_inception` compares with.
        inception_weights: the FID Inception network's `.weights.h5`
            (`scripts/convert_fid_inception.py`).
        reference_statistics: for `fid_inception`, an `.npz` of the
            reference features' `mu` and `sigma` (TTUR's and pytorch-fid's
            format): read if it exists (refused if it records another data
            set, split or network), else computed from `reference_split`
            (resumably) and written there, so later evaluations skip the
            reference images. See `keras_gan.metrics.fid_statistics`.
        gcn: the global contrast normalisation scale the model was trained
            with (`--gcn`); None: as its run's `config.json` records (0 for
            a file without a run: pixels). A value the run contradicts is
            refused.

    Returns:
        A dict with `model` (as given), `step` (a saved GAN's training step;
        not for SavedModels), `num_samples`, `seed`, and per metric its keys
        (`parzen_ll`, `parzen_se`, `parzen_sigma`; `fid`; `kid`, `kid_std`;
        `precision`, `recall`; `modes_covered`, `num_modes`,
        `high_quality_fraction`; `class_accuracy`, `class_accuracy_per_class`;
        `intra_fid`, `intra_fid_per_class`; `reconstruction_mse`,
        `reconstruction_mse_baseline`, `reconstruction_label_agreement`;
        `nn_accuracy`; `fid_inception`; `fid_inception_round_trip`;
        `inception_score`, `inception_score_std`); with `gcn`, also `gcn`.

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
    gcn = trained_contrast_normalization(model, gcn)
    if "fid_inception_round_trip" in metrics and not gcn:
        raise ValueError(
            "fid_inception_round_trip measures the contrast normalisation of a model trained "
            f"with --gcn; this one was trained on pixels. Received: model={str(model)!r}, gcn={gcn}"
        )
    inception = _inception_network(metrics, inception_weights)
    reference_moments = _reference_moments(
        metrics, reference_statistics, dataset, reference_split, inception_weights
    )
    uses_test = sorted(
        set(metrics) & {"parzen", "fid_inception_round_trip", *FEATURE_METRICS, *ENCODER_METRICS}
    )
    if uses_test and dataset in MODES:
        raise ValueError(f"{uses_test} need a data set with splits. Received: dataset={dataset}")
    # A bad model fails before data loads.
    sample = load_sampler(model, sample_from_average, encoder)
    wanted = sorted(set(metrics) & set(ENCODER_METRICS))
    if wanted and sample.encode is None:
        raise ValueError(
            f"{wanted} measure an encoder; this generator has none (train a BiGAN, or fit one "
            "with scripts/train_encoder.py and pass it as encoder=). Received: "
            f"model={str(model)!r}"
        )
    wanted = sorted(set(metrics) & set(CLASS_METRICS))
    if wanted and sample.num_classes is None:
        raise ValueError(
            f"{wanted} measure a conditional generator; this one is unconditional. "
            f"Received: model={str(model)!r}"
        )
    if "class_accuracy" in metrics and dataset != "mnist":
        raise ValueError(
            "class_accuracy uses the shipped MNIST classifier, so it needs --dataset=mnist. "
            f"Received: dataset={dataset}"
        )
    data, test_labels = {}, None
    splits = {"test": test_split} if uses_test else {}
    if "parzen" in metrics:
        splits["validation"] = validation_split
    for name, split in splits.items():
        options = dict(data_dir=data_dir, manual_dir=manual_dir, split=split)
        if name == "test" and set(metrics) & {"intra_fid", *ENCODER_METRICS}:
            labelled = load_dataset(dataset, with_labels=True, **options)
            data[name], test_labels = labelled.samples, labelled.labels
            if "intra_fid" in metrics and labelled.num_classes != sample.num_classes:
                raise ValueError(
                    f"The generator has {sample.num_classes} classes and {dataset}'s "
                    f"{split} split {labelled.num_classes}. Received: model={str(model)!r}"
                )
        else:
            data[name] = to_array(load_dataset(dataset, **options))
    features = None
    if set(metrics) & set(FEATURE_METRICS):
        features = feature_extractor or _default_extractor(data["test"].shape[1:])
    labels = None
    if sample.num_classes is not None:
        labels = balanced_labels(num_samples, sample.num_classes)
    samples = sample(num_samples, seed, labels) if labels is not None else sample(num_samples, seed)
    reference = None
    if gcn:
        # Brightness and contrast for the samples come from the reference images.
        reference = to_array(
            load_dataset(dataset, data_dir=data_dir, manual_dir=manual_dir, split=reference_split)
        )
        samples = gcn_to_pixels(samples, reference, scale=gcn, seed=seed)
    # What was scored: the model as given and, for a saved GAN, its training step.
    results = {"model": str(model), "num_samples": int(num_samples), "seed": int(seed)}
    if gcn:
        results["gcn"] = gcn
    if sample.step is not None:
        results["step"] = sample.step
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
        if "intra_fid" in metrics:
            results.update(intra_fid(real, test_labels, fake, labels, sample.num_classes))
    if "class_accuracy" in metrics:
        from keras_gan.metrics.mnist_classifier import trained_mnist_classifier

        results.update(
            class_accuracy(trained_mnist_classifier(), samples, labels, sample.num_classes)
        )
    if "mode_coverage" in metrics:
        modes, std = MODES[dataset]
        results.update(mode_coverage(samples, modes, std=std))
    if "reconstruction" in metrics:
        reconstructions = sample.reconstruct(data["test"])
        results.update(reconstruction_error(data["test"], reconstructions, seed=seed))
        if dataset == "mnist":
            from keras_gan.metrics.mnist_classifier import trained_mnist_classifier

            results.update(
                label_agreement(trained_mnist_classifier(), reconstructions, test_labels)
            )
    if "nn_accuracy" in metrics:
        reference = load_dataset(
            dataset,
            data_dir=data_dir,
            manual_dir=manual_dir,
            split=reference_split,
            with_labels=True,
        )
        results["nn_accuracy"] = nearest_neighbour_accuracy(
            sample.encode(reference.samples),
            reference.labels,
            sample.encode(data["test"]),
            test_labels,
        )
    if inception is not None:
        if set(metrics) & set(REFERENCE_METRICS) and reference_moments is None:
            if reference is None:
                reference = to_array(
                    load_dataset(
                        dataset, data_dir=data_dir, manual_dir=manual_dir, split=reference_split
                    )
                )
            if reference_statistics is None:
                reference_moments, _ = _moments(inception, reference, progress)
            else:
                reference_moments = compute_fid_statistics(
                    inception,
                    reference,
                    reference_statistics,
                    _statistics_description(dataset, reference_split, inception_weights),
                    progress=progress,
                )
        if set(metrics) & {"fid_inception", "inception_score"}:
            compared = reference_moments if "fid_inception" in metrics else None
            results.update(_inception_metrics(inception, samples, compared, progress))
        if "fid_inception_round_trip" in metrics:
            round_trip = gcn_to_pixels(
                global_contrast_normalize(data["test"], scale=gcn), reference, scale=gcn, seed=seed
            )
            moments, _ = _moments(inception, round_trip, progress)
            results["fid_inception_round_trip"] = frechet_distance_of_moments(
                *reference_moments, *moments
            )
    return results


def trained_contrast_normalization(model, gcn=None):
    """The global contrast normalisation scale `model` was trained with (0.0: pixels).

    Args:
        model: anything `load_sampler` takes.
        gcn: the scale, if known; None reads it from the model's run
            (`keras_gan.run_layout.recorded_config`), 0.0 without a run.

    Raises:
        ValueError: if `gcn` is negative or contradicts the run's record.
    """
    config = run_layout.recorded_config(model)
    recorded = float(config.get("gcn", 0.0)) if config is not None else None
    if gcn is None:
        return recorded or 0.0
    if gcn < 0 or (recorded is not None and float(gcn) != recorded):
        raise ValueError(
            f"gcn must be >= 0 and match the run, which trained with gcn={recorded}. "
            f"Received: gcn={gcn} for model={str(model)!r}"
        )
    return float(gcn)


def _statistics_description(dataset, split, weights):
    return {"dataset": dataset, "split": split, "weights_sha256": file_sha256(weights)}


def _reference_moments(metrics, path, dataset, split, weights):
    """Reference statistics read from `path` if it exists (None: to be computed)."""
    if path is None:
        return None
    if not set(metrics) & set(REFERENCE_METRICS):
        raise ValueError(
            "reference_statistics are the reference side of fid_inception (and "
            "fid_inception_round_trip), neither of which is among the metrics. Received: "
            f"metrics={','.join(metrics)}"
        )
    if not os.path.exists(path):
        return None
    return load_fid_statistics(path, _statistics_description(dataset, split, weights))


def _moments(network, images, progress):
    features, logits = network.features_and_logits(images, progress=progress)
    return (features.mean(axis=0), np.cov(features, rowvar=False)), logits


def _inception_network(metrics, weights):
    """The FID Inception network the metrics need (None if none), checked before data loads."""
    wanted = sorted(set(metrics) & set(INCEPTION_METRICS))
    if not wanted:
        return None
    if not weights:
        raise ValueError(
            f"{wanted} need the FID Inception network's weights (inception_weights=, written "
            "by scripts/convert_fid_inception.py). Received: inception_weights=None"
        )
    from keras_gan.metrics.fid_inception import FIDInceptionFeatures

    return FIDInceptionFeatures(weights, logits="inception_score" in metrics)


def _inception_metrics(network, samples, reference_moments, progress):
    """`fid_inception` against the reference's `(mu, sigma)` (if given) and
    `inception_score` (if the network gives logits)."""
    results = {}
    moments, logits = _moments(network, samples, progress)
    if reference_moments is not None:
        results["fid_inception"] = frechet_distance_of_moments(*reference_moments, *moments)
    if logits is not None:
        results["inception_score"], results["inception_score_std"] = inception_score(logits)
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
