"""class_accuracy, class_balance and intra_fid: known answers, and generators evaluated."""

import numpy as np
import pytest

from keras_gan import GAN
from keras_gan.data import load_dataset
from keras_gan.export import export_generator
from keras_gan.metrics.class_metrics import class_accuracy
from keras_gan.metrics.class_metrics import class_balance
from keras_gan.metrics.class_metrics import intra_fid
from keras_gan.metrics.evaluate import evaluate
from keras_gan.metrics.mnist_classifier import trained_mnist_classifier
from keras_gan.models import MaxoutDiscriminator
from keras_gan.models import MLPGenerator


def test_real_digits_score_their_own_class_and_not_another(mnist_data_dir):
    test = load_dataset("mnist", split="test[:2000]", data_dir=mnist_data_dir, with_labels=True)
    classifier = trained_mnist_classifier()
    right = class_accuracy(classifier, test.samples, test.labels, 10)
    assert right["class_accuracy"] > 0.97  # the shipped classifier: about 99% on test images
    assert min(right["class_accuracy_per_class"]) > 0.9
    # Images "generated" for the wrong class: the next digit's label on each.
    wrong = class_accuracy(classifier, test.samples, (test.labels + 1) % 10, 10)
    assert wrong["class_accuracy"] < 0.05


def test_class_balance_is_near_zero_for_real_digits_and_large_for_one_digit(mnist_data_dir):
    test = load_dataset("mnist", split="test[:2000]", data_dir=mnist_data_dir, with_labels=True)
    reference = load_dataset(
        "mnist", split="test[2000:4000]", data_dir=mnist_data_dir, with_labels=True
    )
    classifier = trained_mnist_classifier()
    real = class_balance(classifier, test.samples, reference.labels, 10)
    assert real["class_balance_tv"] < 0.04  # two halves of the test set, 99% classified right
    assert sum(real["class_shares"]) == pytest.approx(1.0)
    ones = test.samples[test.labels == 1]
    only_ones = class_balance(classifier, ones, reference.labels, 10)
    # All one digit: everything but that digit's share of the reference is missing.
    share_of_ones = np.mean(reference.labels == 1)
    assert only_ones["class_balance_tv"] == pytest.approx(1 - share_of_ones, abs=0.02)
    assert only_ones["class_shares_reference"][1] == pytest.approx(share_of_ones)


def test_intra_fid_is_near_zero_for_matching_classes_and_large_for_swapped_ones():
    means = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    labels = np.repeat(np.arange(3), 2000)

    def features(seed):
        return np.random.default_rng(seed).normal(size=(6000, 2)) + means[labels]

    same = intra_fid(features(1), labels, features(2), labels, 3)
    assert same["intra_fid"] < 0.05 and len(same["intra_fid_per_class"]) == 3
    swapped = intra_fid(features(1), labels, features(2), (labels + 1) % 3, 3)
    assert swapped["intra_fid"] > 30  # |6-0|^2 + |6-0|^2 or 6^2 apart
    with pytest.raises(ValueError, match="2000 real and 0 generated of class 1"):
        intra_fid(features(1), labels, features(2)[:10], np.zeros(10, int), 3)


@pytest.fixture(scope="module")
def conditional_mnist_generator(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conditional")
    gan = GAN(
        MLPGenerator(latent_dim=4, data_shape=(28, 28, 1), hidden_units=(8,), num_classes=10),
        MaxoutDiscriminator(hidden_units=(4,), num_pieces=2, num_classes=10),
        seed=0,
        num_classes=10,
    )
    gan.compile()
    gan.save(folder / "gan.keras")
    return folder / "gan.keras", export_generator(gan, folder / "serving")


def test_a_conditional_generator_scores_the_same_from_its_keras_file_and_its_export(
    conditional_mnist_generator, mnist_data_dir
):
    keras_file, export = conditional_mnist_generator
    options = dict(
        metrics=("class_accuracy", "intra_fid", "fid"),
        data_dir=mnist_data_dir,
        num_samples=200,
        test_split="test[:500]",
        seed=1,
    )
    from_keras = evaluate(keras_file, "mnist", **options)
    from_export = evaluate(export, "mnist", **options)
    assert len(from_keras["class_accuracy_per_class"]) == 10
    assert len(from_keras["intra_fid_per_class"]) == 10
    for key in ("class_accuracy", "intra_fid", "fid"):
        assert from_export[key] == pytest.approx(from_keras[key], rel=1e-3, abs=1e-6), key
    # Untrained: far from every class, and near chance at being classified right.
    assert from_keras["intra_fid"] > from_keras["fid"] > 0
    assert from_keras["class_accuracy"] < 0.5


def test_class_balance_scores_an_unconditional_generator_and_refuses_other_data(
    tiny_mnist_generator, mnist_data_dir
):
    keras_file, _ = tiny_mnist_generator
    options = dict(data_dir=mnist_data_dir, num_samples=200, test_split="test[:500]")
    result = evaluate(keras_file, "mnist", metrics=("class_balance",), **options)
    assert len(result["class_shares"]) == 10
    assert 0 < result["class_balance_tv"] <= 1
    with pytest.raises(ValueError, match="class_balance uses the shipped MNIST classifier"):
        evaluate(keras_file, "ring", metrics=("class_balance",), num_samples=10)


def test_class_metrics_refuse_an_unconditional_generator(tiny_mnist_generator, mnist_data_dir):
    keras_file, _ = tiny_mnist_generator
    with pytest.raises(ValueError, match=r"\['class_accuracy'\] measure a conditional generator"):
        evaluate(keras_file, "mnist", metrics=("class_accuracy",), data_dir=mnist_data_dir)
