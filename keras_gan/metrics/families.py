"""The built-in metrics of `evaluate`, one `Metric` each, registered by name.

Each declares the inputs it reads (`keras_gan.metrics.plan.INPUTS`) and calls
the array functions of its module (`parzen_estimate`, `frechet_distance`,
...), which stay usable on their own.
"""

import numpy as np

from keras_gan.data.contrast_normalization import gcn_to_pixels
from keras_gan.data.contrast_normalization import global_contrast_normalize
from keras_gan.data.datasets import MODES
from keras_gan.latent_codes import best_mapping_accuracy
from keras_gan.latent_codes import category_counts
from keras_gan.metrics.class_metrics import class_accuracy
from keras_gan.metrics.class_metrics import class_balance
from keras_gan.metrics.class_metrics import intra_fid
from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.feature_distances import frechet_distance_of_moments
from keras_gan.metrics.feature_distances import inception_score
from keras_gan.metrics.feature_distances import kernel_distance
from keras_gan.metrics.feature_distances import precision_recall
from keras_gan.metrics.inference_metrics import label_agreement
from keras_gan.metrics.inference_metrics import nearest_neighbour_accuracy
from keras_gan.metrics.inference_metrics import reconstruction_error
from keras_gan.metrics.mode_coverage import mode_coverage
from keras_gan.metrics.parzen import parzen_estimate
from keras_gan.metrics.registry import Metric
from keras_gan.metrics.registry import register


@register("parzen")
class Parzen(Metric):
    """The paper's Parzen-window estimate: sigma chosen on `validation`, reported on `test`.

    Keys: `parzen_ll`, `parzen_se`, `parzen_sigma`.
    """

    needs = ("samples", "test", "validation")

    def compute(self, inputs):
        return parzen_estimate(
            inputs.samples, inputs.test, inputs.validation, progress=inputs.progress
        )


@register("fid")
class FID(Metric):
    """Fréchet distance between feature-extractor features of `test` and of the samples."""

    needs = ("features",)

    def compute(self, inputs):
        return {"fid": frechet_distance(*inputs.features)}


@register("kid")
class KID(Metric):
    """Kernel Inception Distance on the same features: `kid`, `kid_std` over subsets."""

    needs = ("features",)

    def compute(self, inputs):
        kid, kid_std = kernel_distance(*inputs.features, seed=inputs.seed)
        return {"kid": kid, "kid_std": kid_std}


@register("prd")
class PrecisionRecall(Metric):
    """Kynkäänniemi et al.'s precision and recall (k = 3) on the same features."""

    needs = ("features",)

    def compute(self, inputs):
        precision, recall = precision_recall(*inputs.features)
        return {"precision": precision, "recall": recall}


@register("mode_coverage")
class ModeCoverage(Metric):
    """Modes of a synthetic mixture covered, and the share of samples near a mode."""

    needs = ("samples",)

    def check(self, inputs):
        if inputs.dataset not in MODES:
            raise ValueError(
                f"mode_coverage needs a mixture with known modes ({', '.join(MODES)}). "
                f"Received: dataset={inputs.dataset}"
            )

    def compute(self, inputs):
        modes, std = MODES[inputs.dataset]
        return mode_coverage(inputs.samples, modes, std=std)


def _check_mnist(name, inputs):
    """Refuses a data set other than MNIST for a metric of the shipped MNIST classifier."""
    if inputs.dataset != "mnist":
        raise ValueError(
            f"{name} uses the shipped MNIST classifier, so it needs --dataset=mnist. "
            f"Received: dataset={inputs.dataset}"
        )


@register("class_accuracy")
class ClassAccuracy(Metric):
    """The shipped MNIST classifier's accuracy on each class's samples, and their mean."""

    needs = ("classes", "samples", "sample_labels", "mnist_classifier")

    def check(self, inputs):
        _check_mnist(self.name, inputs)

    def compute(self, inputs):
        return class_accuracy(
            inputs.mnist_classifier,
            inputs.samples,
            inputs.sample_labels,
            inputs.generator.num_classes,
        )


@register("class_balance")
class ClassBalance(Metric):
    """The shares of the digits the shipped MNIST classifier sees in the samples, and their
    total variation distance to the test set's (any MNIST generator, conditional or not).

    Keys: `class_shares`, `class_shares_reference`, `class_balance_tv`.
    """

    needs = ("samples", "test_labels", "mnist_classifier")

    def check(self, inputs):
        _check_mnist(self.name, inputs)

    def compute(self, inputs):
        return class_balance(inputs.mnist_classifier, inputs.samples, inputs.test_labels, 10)


@register("intra_fid")
class IntraFID(Metric):
    """The FID of each class's samples against the test images of that class, and the mean."""

    needs = ("classes", "features", "test_labels", "sample_labels")

    def compute(self, inputs):
        if inputs.split_classes("test") != inputs.generator.num_classes:
            raise ValueError(
                f"The generator has {inputs.generator.num_classes} classes and "
                f"{inputs.dataset}'s {inputs.test_split} split "
                f"{inputs.split_classes('test')}. Received: model={str(inputs.model)!r}"
            )
        real, fake = inputs.features
        return intra_fid(
            real, inputs.test_labels, fake, inputs.sample_labels, inputs.generator.num_classes
        )


@register("reconstruction")
class Reconstruction(Metric):
    """The pixel MSE of G(E(x)) on `test`, its chance level, and (MNIST) label agreement."""

    needs = ("encoder", "test", "test_labels")

    def compute(self, inputs):
        reconstructions = inputs.generator.reconstruct(inputs.test)
        results = reconstruction_error(inputs.test, reconstructions, seed=inputs.seed)
        if inputs.dataset == "mnist":
            results.update(
                label_agreement(inputs.mnist_classifier, reconstructions, inputs.test_labels)
            )
        return results


@register("code_accuracy")
class CodeAccuracy(Metric):
    """InfoGAN: how well its first categorical code classifies `test` without labels.

    Q's category of each test image, matched one-to-one to the classes by
    the best map (`keras_gan.latent_codes.best_mapping_accuracy`; the InfoGAN
    paper's 5% error on MNIST). Keys: `code_accuracy`, `code_mapping` (the
    class of each category), `code_counts` (`code_counts[c][k]`: test images
    of class k that Q puts in category c; where a category mixes classes).
    """

    needs = ("codes", "test", "test_labels")

    def compute(self, inputs):
        infogan = inputs.codes
        if not infogan.codes.categorical:
            raise ValueError(
                f"code_accuracy reads a categorical code; this InfoGAN has none. "
                f"Received: codes={infogan.codes!r}"
            )
        assigned = infogan.codes.categories_of(infogan.predict_codes(inputs.test))
        categories = infogan.codes.categorical[0]
        k = max(categories, 1 + int(np.max(inputs.test_labels)))
        accuracy, mapping = best_mapping_accuracy(assigned, inputs.test_labels, k)
        counts = category_counts(assigned, inputs.test_labels, k)[:categories]
        return {
            "code_accuracy": accuracy,
            "code_mapping": mapping,
            "code_counts": counts.tolist(),
        }


@register("nn_accuracy")
class NearestNeighbourAccuracy(Metric):
    """1-NN classification of E(x) of `test` among E(x) of `reference` (BiGAN's Table 1)."""

    needs = ("encoder", "test", "test_labels", "reference", "reference_labels")

    def compute(self, inputs):
        encode = inputs.generator.encode
        return {
            "nn_accuracy": nearest_neighbour_accuracy(
                encode(inputs.reference),
                inputs.reference_labels,
                encode(inputs.test),
                inputs.test_labels,
            )
        }


@register("fid_inception")
class FIDInception(Metric):
    """The standard FID: the FID Inception network's pool features, samples against `reference`."""

    needs = ("inception_samples", "reference_moments")

    def compute(self, inputs):
        fid = frechet_distance_of_moments(*inputs.reference_moments, *inputs.inception_samples)
        return {"fid_inception": fid}


@register("fid_inception_round_trip")
class FIDInceptionRoundTrip(Metric):
    """What contrast normalisation and its restoration cost real images: `test` through both."""

    needs = ("test", "reference", "reference_moments")

    def check(self, inputs):
        if not inputs.gcn:
            raise ValueError(
                "fid_inception_round_trip measures the contrast normalisation of a model trained "
                f"with --gcn; this one was trained on pixels. Received: model={str(inputs.model)!r}"
                f", gcn={inputs.gcn}"
            )

    def compute(self, inputs):
        normalised = global_contrast_normalize(inputs.test, scale=inputs.gcn)
        round_trip = gcn_to_pixels(normalised, inputs.reference, scale=inputs.gcn, seed=inputs.seed)
        moments, _ = inputs.inception_moments(round_trip)
        return {
            "fid_inception_round_trip": frechet_distance_of_moments(
                *inputs.reference_moments, *moments
            )
        }


@register("inception_score")
class InceptionScore(Metric):
    """Salimans et al.'s Inception Score over 10 parts: `inception_score`, `inception_score_std`."""

    needs = ("inception_logits",)

    def compute(self, inputs):
        score, std = inception_score(inputs.inception_logits)
        return {"inception_score": score, "inception_score_std": std}
