"""What an evaluation loads, once: `EvaluationInputs`, read by every `Metric` that asks.

Each input is an attribute computed on first use and kept, so a split, the
generated samples, a network's features or the reference statistics are
loaded or computed once however many metrics read them. The plan (the union
of the metrics' `needs`) decides how: a split some metric needs the labels
of is loaded with its labels, and the others read its images.
"""

import functools
import os

import numpy as np

from keras_gan.data.contrast_normalization import gcn_to_pixels
from keras_gan.data.datasets import MODES
from keras_gan.data.datasets import load_dataset
from keras_gan.data.pipeline import to_array
from keras_gan.metrics.feature_distances import extract_features
from keras_gan.metrics.fid_statistics import compute_fid_statistics
from keras_gan.metrics.fid_statistics import file_sha256
from keras_gan.metrics.fid_statistics import load_fid_statistics
from keras_gan.metrics.saved_generators import load_sampler
from keras_gan.models.labels import balanced_labels

# The inputs a metric may declare in `needs`, and what each is.
INPUTS = {
    "samples": "the generated samples (pixels: a --gcn model's are restored), `(N, ...)`",
    "sample_labels": "the class of each sample (a conditional generator's, balanced), or None",
    "generator": "the loaded generator, a `keras_gan.metrics.saved_generators.Sampler`",
    "classes": "a conditional generator (its `generator.num_classes`)",
    "encoder": "a generator with an encoder (`generator.encode`, `generator.reconstruct`)",
    "codes": "an InfoGAN's codes and Q head (`codes.codes`, `codes.predict_codes`)",
    "test": "the images of `test_split`",
    "test_labels": "the classes of `test_split`'s images",
    "validation": "the images of `validation_split`",
    "reference": "the images of `reference_split`",
    "reference_labels": "the classes of `reference_split`'s images",
    "features": "`(test features, sample features)` of the feature extractor",
    "mnist_classifier": "the shipped MNIST classifier",
    "inception": "the FID Inception network",
    "inception_samples": "`(mu, sigma)` of the samples' features through the FID network",
    "inception_logits": "the FID network's class logits of the samples (weights with them)",
    "reference_moments": "`(mu, sigma)` of `reference_split` through the FID network",
}
# Inputs that are splits of a data set (a synthetic mixture has none).
SPLITS = ("test", "test_labels", "validation", "reference", "reference_labels")
INCEPTION_INPUTS = frozenset(
    {"inception", "inception_samples", "inception_logits", "reference_moments"}
)


class EvaluationInputs:
    """The model, data and settings of one evaluation, loaded as metrics ask.

    Attributes set at construction: `model`, `dataset`, `data_dir`,
    `manual_dir`, `num_samples`, `seed`, `validation_split`, `test_split`,
    `reference_split`, `gcn`, `progress`, `feature_extractor`,
    `inception_weights`, `reference_statistics`, `needs` (the set of input
    names some metric declared). The inputs themselves (`INPUTS`) are
    properties computed on first use.
    """

    def __init__(
        self,
        model,
        dataset,
        needs,
        *,
        data_dir=None,
        manual_dir=None,
        num_samples=10000,
        seed=0,
        validation_split="train[50000:51000]",
        test_split="test",
        reference_split="train",
        gcn=0.0,
        progress=False,
        feature_extractor=None,
        inception_weights=None,
        reference_statistics=None,
    ):
        unknown = sorted(set(needs) - set(INPUTS))
        if unknown:
            raise ValueError(f"Unknown inputs {unknown}; available: {', '.join(INPUTS)}")
        self.model = model
        self.dataset = dataset
        self.needs = frozenset(needs)
        self.data_dir = data_dir
        self.manual_dir = manual_dir
        self.num_samples = int(num_samples)
        self.seed = int(seed)
        self.validation_split = validation_split
        self.test_split = test_split
        self.reference_split = reference_split
        self.gcn = gcn
        self.progress = progress
        self.feature_extractor = feature_extractor
        self.inception_weights = inception_weights
        self.reference_statistics = reference_statistics
        self._generator = None
        self._splits = {}

    # The generator and its samples.

    def load_generator(self, sample_from_average=None, encoder=None, sampler=None):
        """Loads the generator at `model` (`keras_gan.metrics.saved_generators.load_sampler`)."""
        self._generator = load_sampler(self.model, sample_from_average, encoder, sampler)

    @property
    def generator(self):
        if self._generator is None:
            raise ValueError("The generator is read before load_generator() loaded it.")
        return self._generator

    @property
    def codes(self):
        """The saved InfoGAN: its `codes` and `predict_codes` (Q's guess of the codes)."""
        return self.generator.gan

    @functools.cached_property
    def sample_labels(self):
        if self.generator.num_classes is None:
            return None
        return balanced_labels(self.num_samples, self.generator.num_classes)

    @functools.cached_property
    def samples(self):
        if self.sample_labels is None:
            samples = self.generator(self.num_samples, self.seed)
        else:
            samples = self.generator(self.num_samples, self.seed, self.sample_labels)
        if self.gcn:
            # Brightness and contrast for the samples come from the reference images.
            samples = gcn_to_pixels(samples, self.reference, scale=self.gcn, seed=self.seed)
        return samples

    # Splits of the data set, each loaded once (with its labels if any metric reads them).

    @property
    def test(self):
        return self._split("test")[0]

    @property
    def test_labels(self):
        return self._split("test")[1]

    @property
    def validation(self):
        return self._split("validation")[0]

    @property
    def reference(self):
        return self._split("reference")[0]

    @property
    def reference_labels(self):
        return self._split("reference")[1]

    def _split(self, role):
        # Kept on the instance (not functools.cache, which would keep every evaluation's
        # data alive for the life of the process).
        if role not in self._splits:
            self._splits[role] = self._load_split(role)
        return self._splits[role]

    def _load_split(self, role):
        split = getattr(self, f"{role}_split")
        with_labels = f"{role}_labels" in self.needs
        options = dict(data_dir=self.data_dir, manual_dir=self.manual_dir, split=split)
        if with_labels:
            labelled = load_dataset(self.dataset, with_labels=True, **options)
            return labelled.samples, labelled.labels, labelled.num_classes
        return to_array(load_dataset(self.dataset, **options)), None, None

    def split_classes(self, role):
        """The number of classes of a split loaded with its labels."""
        return self._split(role)[2]

    # Networks and what they make of the data.

    @functools.cached_property
    def features(self):
        network = self.feature_extractor or _default_extractor(self.test.shape[1:])
        return extract_features(network, self.test), extract_features(network, self.samples)

    @functools.cached_property
    def mnist_classifier(self):
        from keras_gan.metrics.mnist_classifier import trained_mnist_classifier

        return trained_mnist_classifier()

    @functools.cached_property
    def inception(self):
        if not self.inception_weights:
            raise ValueError(
                f"{self._inception_metrics} need the FID Inception network's weights "
                "(inception_weights=, written by scripts/convert_fid_inception.py). "
                "Received: inception_weights=None"
            )
        from keras_gan.metrics.fid_inception import FIDInceptionFeatures

        return FIDInceptionFeatures(self.inception_weights, logits=self.wants_inception_logits)

    @property
    def wants_inception_logits(self):
        return "inception_logits" in self.needs

    def inception_moments(self, images):
        """`((mu, sigma), logits)` of `images` through the FID Inception network."""
        features, logits = self.inception.features_and_logits(images, progress=self.progress)
        return (features.mean(axis=0), np.cov(features, rowvar=False)), logits

    @property
    def inception_samples(self):
        return self._samples_through_inception[0]

    @property
    def inception_logits(self):
        return self._samples_through_inception[1]

    @functools.cached_property
    def _samples_through_inception(self):
        # One pass gives the features and the logits.
        return self.inception_moments(self.samples)

    @functools.cached_property
    def stored_reference_moments(self):
        """The reference statistics read from `reference_statistics`, or None."""
        if self.reference_statistics is None or not os.path.exists(self.reference_statistics):
            return None
        return load_fid_statistics(self.reference_statistics, self._statistics_description())

    @functools.cached_property
    def reference_moments(self):
        if self.stored_reference_moments is not None:
            return self.stored_reference_moments
        if self.reference_statistics is None:
            return self.inception_moments(self.reference)[0]
        return compute_fid_statistics(
            self.inception,
            self.reference,
            self.reference_statistics,
            self._statistics_description(),
            progress=self.progress,
        )

    def _statistics_description(self):
        return {
            "dataset": self.dataset,
            "split": self.reference_split,
            "weights_sha256": file_sha256(self.inception_weights),
        }

    # The checks of what the declared inputs need, before anything loads.

    def check_data(self, metrics):
        """Refuses splits of a mixture and an unusable FID network or statistics file."""
        self._inception_metrics = sorted(m.name for m in metrics if set(m.needs) & INCEPTION_INPUTS)
        uses_splits = [m.name for m in metrics if set(m.needs) & set(SPLITS)]
        if uses_splits and self.dataset in MODES:
            raise ValueError(
                f"{uses_splits} need a data set with splits. Received: dataset={self.dataset}"
            )
        if self.needs & INCEPTION_INPUTS:
            self.inception  # noqa: B018  (a missing or wrong weights file fails here)
        if self.reference_statistics is not None:
            if "reference_moments" not in self.needs:
                raise ValueError(
                    "reference_statistics are the reference side of fid_inception (and "
                    "fid_inception_round_trip), neither of which is among the metrics. "
                    f"Received: metrics={','.join(m.name or repr(m) for m in metrics)}"
                )
            self.stored_reference_moments  # noqa: B018  (a file of other data fails here)

    def check_generator(self, metrics):
        """Refuses metrics that need an encoder or classes the generator has not."""
        wanted = [m.name for m in metrics if "encoder" in m.needs]
        if wanted and self.generator.encode is None:
            raise ValueError(
                f"{wanted} measure an encoder; this generator has none (train a BiGAN, or fit "
                "one with scripts/train_encoder.py and pass it as encoder=). Received: "
                f"model={str(self.model)!r}"
            )
        wanted = [m.name for m in metrics if "codes" in m.needs]
        if wanted and not hasattr(getattr(self.generator, "gan", None), "predict_codes"):
            raise ValueError(
                f"{wanted} read an InfoGAN's Q head; this model has none (a saved "
                "--model=infogan run, not an export). Received: "
                f"model={str(self.model)!r}"
            )
        wanted = [m.name for m in metrics if "classes" in m.needs]
        if wanted and self.generator.num_classes is None:
            raise ValueError(
                f"{wanted} measure a conditional generator; this one is unconditional. "
                f"Received: model={str(self.model)!r}"
            )


def _default_extractor(sample_shape):
    if tuple(sample_shape) != (28, 28, 1):
        raise ValueError(
            "fid/kid/prd need a feature extractor for samples of shape "
            f"{tuple(sample_shape)}; the package ships one for 28x28x1 (MNIST-like) images only. "
            "Pass feature_extractor= a Keras model."
        )
    from keras_gan.metrics.mnist_classifier import mnist_feature_extractor

    return mnist_feature_extractor()
