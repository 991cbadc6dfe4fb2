"""Parzen-window log-likelihood, as the 2014 paper measured its generators."""

import math

import numpy as np
import tensorflow as tf

from keras_gan.progress import progress_bar

# The paper's search: 10 log-spaced widths from 0.1 to 1 (parzen_ll.py: logspace(-1, 0, 10)).
DEFAULT_SIGMAS = tuple(np.logspace(-1.0, 0.0, 10))
# The paper's protocol puts the kernels on 10,000 generated samples.
PARZEN_SAMPLES = 10000


def parzen_log_likelihood(points, centres, sigma, batch_size=100, progress=False):
    """Log-density of each point under Gaussian kernels of width `sigma` on `centres`.

    log p(x) = logmeanexp_j(-||x - mu_j||^2 / (2 sigma^2)) - d log(sigma sqrt(2 pi)),
    computed in float64, `batch_size` points at a time, so only a
    `(batch_size, len(centres))` distance matrix is ever held.

    Args:
        points: `(N, ...)` array; flattened to `(N, d)`.
        centres: `(M, ...)` array of kernel centres (generated samples).
        sigma: kernel width (float), or a sequence of widths.
        batch_size: points per batch.
        progress: show a progress bar.

    Returns:
        `(N,)` log-likelihoods, or `(len(sigma), N)` for a sequence of widths.

    Reference:
        Goodfellow et al. 2014, Section 5; goodfeli/adversarial `parzen_ll.py`.
    """
    sigmas = np.atleast_1d(np.asarray(sigma, dtype="float64"))
    if np.any(sigmas <= 0) or not np.all(np.isfinite(sigmas)):
        raise ValueError(f"`sigma` must be positive. Received: sigma={sigma!r}")
    points = _flat(points, "points")
    centres = _flat(centres, "centres")
    if points.shape[1] != centres.shape[1]:
        raise ValueError(
            "`points` and `centres` must have the same size per sample. Received: "
            f"{points.shape[1]} and {centres.shape[1]} values"
        )
    centres_t = tf.constant(centres)
    centre_norms = tf.reduce_sum(centres_t**2, axis=1)
    sigmas_t = tf.constant(sigmas)
    dims = centres.shape[1]
    normaliser = dims * tf.math.log(sigmas_t * math.sqrt(2 * math.pi))
    log_count = math.log(len(centres))

    @tf.function
    def batch_ll(batch):
        squared = (
            tf.reduce_sum(batch**2, axis=1, keepdims=True)
            - 2.0 * tf.matmul(batch, centres_t, transpose_b=True)
            + centre_norms
        )
        squared = tf.maximum(squared, 0.0)  # rounding can make tiny distances negative
        exponents = -0.5 * squared[tf.newaxis] / (sigmas_t[:, None, None] ** 2)
        return tf.reduce_logsumexp(exponents, axis=2) - log_count - normaliser[:, None]

    bar = progress_bar(len(points), "point") if progress else None
    results = []
    for start in range(0, len(points), batch_size):
        batch = points[start : start + batch_size]
        results.append(batch_ll(tf.constant(batch)).numpy())
        if bar is not None:
            bar.add(len(batch))
    lls = np.concatenate(results, axis=1)
    return lls if np.ndim(sigma) else lls[0]


def validation_parzen(centres, validation, sigmas=DEFAULT_SIGMAS, batch_size=100):
    """The mean log-likelihood of `validation` at the best of `sigmas`.

    The number that chooses a checkpoint (`--keep_best=validation_parzen`,
    `--eval_every` with held-out data): `parzen_estimate`'s choice of width,
    without reading the test set.

    Args:
        centres: generated samples (the paper: `PARZEN_SAMPLES`).
        validation: held-out data, never trained on.
        sigmas: the widths to choose from.
        batch_size: points per batch.

    Returns:
        A float: max over `sigmas` of the mean validation log-likelihood.
    """
    sigmas = tuple(float(s) for s in sigmas)
    lls = parzen_log_likelihood(validation, centres, sigmas, batch_size)
    return float(lls.mean(axis=1).max())


def parzen_estimate(
    centres, test, validation, sigmas=DEFAULT_SIGMAS, batch_size=100, progress=False
):
    """The paper's protocol: pick sigma on `validation`, report the mean on `test`.

    Args:
        centres: generated samples (the paper: 10,000).
        test: the test set (MNIST: the 10,000 test images).
        validation: held-out data for choosing sigma (MNIST: the first 1,000
            of the 10,000 training images not trained on).
        sigmas: the widths to choose from.
        batch_size: points per batch.
        progress: show progress bars.

    Returns:
        A dict: `parzen_ll` (mean test log-likelihood), `parzen_se` (its
        standard error, std / sqrt(N)), `parzen_sigma`, and
        `validation_ll` (the mean validation log-likelihood for every sigma).
    """
    sigmas = tuple(float(s) for s in sigmas)
    validation_ll = parzen_log_likelihood(validation, centres, sigmas, batch_size, progress).mean(
        axis=1
    )
    sigma = sigmas[int(np.argmax(validation_ll))]
    lls = parzen_log_likelihood(test, centres, sigma, batch_size, progress)
    return {
        "parzen_ll": float(lls.mean()),
        "parzen_se": float(lls.std() / math.sqrt(len(lls))),
        "parzen_sigma": sigma,
        "validation_ll": dict(zip(sigmas, validation_ll.tolist(), strict=True)),
    }


def _flat(values, name):
    values = np.asarray(values, dtype="float64")
    if values.ndim < 2 or len(values) == 0:
        raise ValueError(f"`{name}` must be shaped (num_samples, ...). Received: {values.shape}")
    return values.reshape(len(values), -1)
