"""Evaluates a trained generator (run directory, checkpoint, .keras or SavedModel) on data.

`evaluate` resolves the metrics (`keras_gan.metrics.registry`), checks that the
model and the data can give what they declare they read, then lets each
compute from one `keras_gan.metrics.plan.EvaluationInputs`, which loads every
split, sample and feature once.
"""

import warnings

from keras_gan import run_layout
from keras_gan.metrics import registry
from keras_gan.metrics.families import Parzen
from keras_gan.metrics.plan import EvaluationInputs
from keras_gan.metrics.saved_generators import SAVED_MODEL_CHUNK  # noqa: F401
from keras_gan.metrics.saved_generators import Sampler  # noqa: F401
from keras_gan.metrics.saved_generators import load_sampler  # noqa: F401
from keras_gan.metrics.saved_generators import serving_versions  # noqa: F401

# Measured on the paper's MNIST model (docs/results/mnist_samplers.md).
PARZEN_WITH_SAMPLER = (
    "The Parzen estimate rewards samples packed near the data's modes, so a sampler can raise "
    "it without a better model: truncation at 1.0 added 21 nats on the paper's MNIST model "
    "while FID went 3.2 -> 21.4 (Theis et al. 2016, 'A note on the evaluation of generative "
    "models'). Read it beside fid or prd."
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
    sampler=None,
    calibration_split=None,
):
    """Evaluates the generator at `model` against `dataset`.

    Args:
        model: see `load_sampler`.
        dataset: a data set name, as for training.
        metrics: names of registered metrics (`keras_gan.metrics.names()`)
            or `keras_gan.metrics.Metric` instances, your own among them.
            The built-in ones: `"parzen"` (the paper's Parzen-window
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
        sampler: None (plain G(z)), or a `keras_gan.sampling` sampler (a
            registered name or an instance) that draws the scored samples
            from a saved GAN (not an export).
        calibration_split: with a sampler that reads D's calibrated logit
            (`rejection`, `metropolis_hastings`, `langevin`), held-out images
            to calibrate it on (`keras_gan.sampling.calibrate`), e.g.
            `train[50000:51000]`; None uses D's logit as it is.

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

        With a `sampler`, also `sampler` (its name and settings) and
        `sampler_cost` (generator and discriminator calls per sample); with
        a sampler and `"parzen"`, `warnings` (a list of messages, also
        raised as a `UserWarning`): the estimate can be raised by sampling.
        A metric of your own adds its own keys.

    Raises:
        ValueError: for an unknown metric, a metric the data set or the
            generator cannot give (before any data loads), or a model
            `load_sampler` refuses.
    """
    metrics = registry.resolve(list(metrics))
    inputs = EvaluationInputs(
        model,
        dataset,
        needs=set().union(*(metric.needs for metric in metrics)),
        data_dir=data_dir,
        manual_dir=manual_dir,
        num_samples=num_samples,
        seed=seed,
        validation_split=validation_split,
        test_split=test_split,
        reference_split=reference_split,
        gcn=trained_contrast_normalization(model, gcn),
        progress=progress,
        feature_extractor=feature_extractor,
        inception_weights=inception_weights,
        reference_statistics=reference_statistics,
    )
    # Everything that can be refused is refused before any data loads.
    for metric in metrics:
        metric.check(inputs)
    inputs.check_data(metrics)
    if sampler is not None:
        from keras_gan import sampling

        sampler = sampling.get(sampler)
        sampler.progress = progress
    if calibration_split is not None and not hasattr(sampler, "calibration"):
        raise ValueError(
            "calibration_split calibrates the discriminator of a sampler that reads it "
            f"(rejection, metropolis_hastings, langevin). Received: sampler={sampler!r}"
        )
    inputs.load_generator(sample_from_average, encoder, sampler)
    inputs.check_generator(metrics)
    if calibration_split is not None:
        sampler.calibration = _calibration(inputs, calibration_split)
    # What was scored: the model as given and, for a saved GAN, its training step.
    results = {"model": str(model), "num_samples": int(num_samples), "seed": int(seed)}
    if inputs.gcn:
        results["gcn"] = inputs.gcn
    if inputs.generator.step is not None:
        results["step"] = inputs.generator.step
    if sampler is not None:
        results["sampler"] = {"name": sampler.name, **sampler.get_config()}
    for metric in metrics:
        results.update(metric.compute(inputs))
    if sampler is not None and hasattr(sampler, "cost"):
        results["sampler_cost"] = sampler.cost
    if sampler is not None and any(isinstance(metric, Parzen) for metric in metrics):
        results["warnings"] = [PARZEN_WITH_SAMPLER]
        warnings.warn(PARZEN_WITH_SAMPLER, stacklevel=2)
    return results


def _calibration(inputs, split):
    """D's logistic calibration on the held-out images of `split` (and their labels)."""
    from keras_gan.data.datasets import load_dataset
    from keras_gan.data.pipeline import to_array
    from keras_gan.sampling import calibrate

    options = dict(data_dir=inputs.data_dir, manual_dir=inputs.manual_dir, split=split)
    labels = None
    if inputs.generator.num_classes is None:
        images = to_array(load_dataset(inputs.dataset, **options))
    else:
        labelled = load_dataset(inputs.dataset, with_labels=True, **options)
        images, labels = labelled.samples, labelled.labels
    return calibrate(inputs.generator.gan, images, seed=inputs.seed, labels=labels)


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
