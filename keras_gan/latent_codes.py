"""Structured latent codes (InfoGAN, Chen et al. 2016): noise beside codes a Q head must recover.

`InfoGANCodes` is a latent distribution like `"uniform"` or `"normal"`: a `GAN`
(here `keras_gan.models.InfoGAN`) draws z from it for training, `generate` and
the export, by the same stateless ops. z is laid out as
`[noise | one-hot categorical codes | continuous codes]`.
"""

import math

import keras
import numpy as np
import tensorflow as tf

from keras_gan import latent
from keras_gan.validation import positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class InfoGANCodes:
    """Noise, categorical codes and continuous codes, and the information loss on them.

    Args:
        noise_dim: size of the incompressible noise (62 in the paper's MNIST run).
        categorical: the number of categories of each categorical code, e.g.
            `(10,)`: one code of 10 categories, drawn uniformly, one-hot in z.
        continuous: how many continuous codes, each uniform on [-1, 1].
        noise: `"uniform"` or `"normal"`, the noise's distribution
            (`keras_gan.latent.sample`).
        noise_limit: with `noise="uniform"`, draw the noise on
            [-noise_limit, noise_limit] instead of the unit-variance
            [-sqrt(3), sqrt(3)]; 1.0 is the paper's code (openai/InfoGAN's
            `Uniform`), whose noise has a third of the variance beside the
            one-hot code. None (the default): unit variance.
        continuous_weight: the weight of the continuous codes' term in the
            information loss, relative to the categorical ones (the paper
            uses a smaller weight for continuous codes on some data sets).

    The information loss is the negative of the variational lower bound
    L_I(G, Q) on the mutual information I(c; G(z, c)), up to the constant
    H(c): the cross-entropy of each categorical code against Q's logits plus
    `continuous_weight` times the negative log-likelihood of the continuous
    codes under a unit-variance Gaussian centred at Q's output (the fixed
    standard deviation of the paper's code), 0.5 * (c - mu)^2 per code.

    Reference:
        Chen et al., "InfoGAN: Interpretable Representation Learning by
        Information Maximizing Generative Adversarial Nets", NIPS 2016,
        arXiv:1606.03657.
    """

    def __init__(
        self,
        noise_dim=62,
        categorical=(10,),
        continuous=2,
        noise="uniform",
        continuous_weight=1.0,
        noise_limit=None,
    ):
        self.noise_dim = positive_int("noise_dim", noise_dim)
        self.categorical = tuple(positive_int("categorical", c) for c in categorical)
        if any(c < 2 for c in self.categorical):
            raise ValueError(
                f"Each categorical code needs at least 2 categories. Received: "
                f"categorical={list(categorical)}"
            )
        self.continuous = int(continuous)
        if self.continuous < 0 or self.continuous != continuous:
            raise ValueError(
                f"`continuous` must be an integer >= 0. Received: continuous={continuous!r}"
            )
        if not self.categorical and not self.continuous:
            raise ValueError("InfoGANCodes needs at least one categorical or continuous code.")
        self.noise = latent.check_distribution(noise)
        self.continuous_weight = float(continuous_weight)
        if not self.continuous_weight >= 0:
            raise ValueError(
                f"`continuous_weight` must be >= 0. Received: continuous_weight={continuous_weight}"
            )
        self.noise_limit = None if noise_limit is None else float(noise_limit)
        if self.noise_limit is not None and not (
            self.noise == "uniform" and math.isfinite(self.noise_limit) and self.noise_limit > 0
        ):
            raise ValueError(
                "`noise_limit` bounds uniform noise: it must be a finite number > 0, with "
                f'noise="uniform". Received: noise_limit={noise_limit!r}, noise={noise!r}'
            )

    @property
    def code_dim(self):
        """The size of Q's output: one logit per category, one mean per continuous code."""
        return sum(self.categorical) + self.continuous

    @property
    def latent_dim(self):
        return self.noise_dim + self.code_dim

    def sample(self, batch_size, seed):
        """z for `batch_size` samples from a shape-(2,) seed, by stateless ops."""
        if self.noise_limit is None:
            parts = [latent.sample(self.noise, batch_size, self.noise_dim, seed)]
        else:
            shape = tf.stack([tf.cast(batch_size, tf.int32), self.noise_dim])
            limit = self.noise_limit
            parts = [tf.random.stateless_uniform(shape, seed, minval=-limit, maxval=limit)]
        for number, categories in enumerate(self.categorical):
            logits = tf.zeros(tf.stack([tf.cast(batch_size, tf.int32), categories]))
            ids = tf.random.stateless_categorical(logits, 1, _fold(seed, 1 + number))
            parts.append(tf.one_hot(ids[:, 0], categories))
        if self.continuous:
            shape = tf.stack([tf.cast(batch_size, tf.int32), self.continuous])
            parts.append(tf.random.stateless_uniform(shape, _fold(seed, 0), -1.0, 1.0))
        return tf.concat(parts, axis=-1)

    def compose(self, noise, categorical=(), continuous=None):
        """z from given parts, as float32 NumPy: for pictures that vary one code.

        Args:
            noise: `(n, noise_dim)`.
            categorical: one int array `(n,)` of category ids per categorical code.
            continuous: `(n, continuous)` values, or None for zeros.
        """
        noise = np.asarray(noise, "float32")
        count = len(noise)
        if noise.shape != (count, self.noise_dim) or len(categorical) != len(self.categorical):
            raise ValueError(
                f"compose takes noise of shape (n, {self.noise_dim}) and {len(self.categorical)} "
                f"categorical id arrays. Received: noise of shape {noise.shape}, "
                f"{len(categorical)} id arrays"
            )
        parts = [noise]
        for ids, categories in zip(categorical, self.categorical, strict=True):
            ids = np.asarray(ids)
            if ids.shape != (count,) or ids.min() < 0 or ids.max() >= categories:
                raise ValueError(
                    f"Category ids must be {count} integers in [0, {categories}). Received: {ids}"
                )
            parts.append(np.eye(categories, dtype="float32")[ids])
        if self.continuous:
            values = (
                np.zeros((count, self.continuous), "float32") if continuous is None else continuous
            )
            parts.append(np.asarray(values, "float32").reshape(count, self.continuous))
        return np.concatenate(parts, axis=-1)

    def information_loss(self, z, q):
        """-L_I up to H(c), averaged over the batch: the codes of `z` against Q's output `q`."""
        z, q = tf.cast(z, tf.float32), tf.cast(q, tf.float32)
        loss = 0.0
        start, q_start = self.noise_dim, 0
        for categories in self.categorical:
            codes = z[:, start : start + categories]
            logits = q[:, q_start : q_start + categories]
            loss += tf.reduce_mean(
                tf.nn.softmax_cross_entropy_with_logits(labels=codes, logits=logits)
            )
            start, q_start = start + categories, q_start + categories
        if self.continuous:
            error = z[:, start:] - q[:, q_start:]
            loss += self.continuous_weight * tf.reduce_mean(
                tf.reduce_sum(0.5 * tf.square(error), axis=-1)
            )
        return loss

    def categories_of(self, q, code=0):
        """The category Q assigns to each sample, `(n,)` int: argmax of categorical code `code`."""
        start = sum(self.categorical[:code])
        return np.argmax(np.asarray(q)[:, start : start + self.categorical[code]], axis=-1)

    def get_config(self):
        return {
            "noise_dim": self.noise_dim,
            "categorical": list(self.categorical),
            "continuous": self.continuous,
            "noise": self.noise,
            "continuous_weight": self.continuous_weight,
            "noise_limit": self.noise_limit,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"InfoGANCodes({arguments})"


def _fold(seed, number):
    return tf.random.experimental.stateless_fold_in(tf.cast(seed, tf.int64), number)


def category_counts(assigned, labels, k):
    """`(k, k)` int64: `counts[c][j]`, the samples of class j assigned category c."""
    counts = np.zeros((k, k), "int64")
    np.add.at(counts, (np.asarray(assigned, "int64"), np.asarray(labels, "int64")), 1)
    return counts


def best_mapping_accuracy(assigned, labels, num_classes=None):
    """Accuracy of the best one-to-one map from assigned categories to true classes.

    The unsupervised-classification score of the InfoGAN paper (its MNIST
    categorical code: 5% error): each category is matched to one class, the
    matching that classifies the most samples right (found exactly, by dynamic
    programming over subsets of classes; categories and classes up to 16).

    Args:
        assigned: `(n,)` category ids in [0, k).
        labels: `(n,)` class ids in [0, k).
        num_classes: k; default one more than the largest id.

    Returns:
        `(accuracy, mapping)`: a float in [0, 1], and `mapping[c]` the class
        matched to category c.
    """
    assigned, labels = np.asarray(assigned, "int64"), np.asarray(labels, "int64")
    if assigned.shape != labels.shape or assigned.ndim != 1 or len(assigned) == 0:
        raise ValueError(
            "assigned and labels must be 1-D arrays of the same length. Received: shapes "
            f"{assigned.shape} and {labels.shape}"
        )
    k = int(num_classes or max(assigned.max(), labels.max()) + 1)
    if k > 16:
        raise ValueError(f"best_mapping_accuracy matches up to 16 classes. Received: {k}")
    counts = category_counts(assigned, labels, k)
    # best[mask]: the most samples right when categories 0..popcount(mask)-1 are matched
    # to the classes in mask.
    best = np.full(1 << k, -1, "int64")
    choice = np.zeros(1 << k, "int64")
    best[0] = 0
    for mask in range(1 << k):
        if best[mask] < 0:
            continue
        category = bin(mask).count("1")
        if category == k:
            continue
        for cls in range(k):
            if mask & (1 << cls):
                continue
            nxt = mask | (1 << cls)
            value = best[mask] + counts[category, cls]
            if value > best[nxt]:
                best[nxt], choice[nxt] = value, cls
    mapping, mask = [0] * k, (1 << k) - 1
    for category in range(k - 1, -1, -1):
        mapping[category] = int(choice[mask])
        mask &= ~(1 << mapping[category])
    return float(best[(1 << k) - 1]) / len(labels), mapping
