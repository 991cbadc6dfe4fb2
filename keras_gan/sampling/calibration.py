"""D's logit read as log(p_data / p_g): a logistic calibration on held-out data.

Rejection and Metropolis-Hastings sampling need D's odds of data against
samples to be the density ratio p_data / p_g. A trained D is often over- or
under-confident, so, as Azadi et al. (2019) and Turner et al. (2019) do, its
logits are recalibrated on images it was not trained on against fresh samples:
a one-feature logistic regression, calibrated logit = scale * logit + offset.
"""

import numpy as np

from keras_gan.sampling.base import discriminator_logits
from keras_gan.sampling.base import fold
from keras_gan.sampling.base import generator_outputs
from keras_gan.sampling.base import in_chunks
from keras_gan.sampling.base import seed_of


def calibrate(gan, images, seed=0, labels=None, iterations=100):
    """`(scale, offset)` of the logistic regression of held-out `images` against samples.

    Args:
        gan: a trained `keras_gan.GAN`.
        images: held-out data, in the generator's output range, not used in
            training (e.g. a validation split), at least 2 of them.
        seed: seed of the equally many samples they are set against.
        labels: a conditional GAN's labels of `images` (the samples take
            the same labels).
        iterations: Newton steps (the regression has two parameters).

    Returns:
        `(scale, offset)` floats, maximising the likelihood of telling
        `images` (1) from samples (0) by sigmoid(scale * logit + offset).
    """
    images = np.asarray(images, "float32")
    if len(images) < 2:
        raise ValueError(
            f"Calibration needs at least 2 held-out images. Received: {len(images)} images"
        )
    count = len(images)
    z = gan.sample_latent(count, seed=fold(seed_of(seed), 7919)).numpy()
    fakes = in_chunks(lambda zs, ys: generator_outputs(gan, zs, ys), z, labels)
    real = in_chunks(lambda xs, ys: discriminator_logits(gan, xs, ys), images, labels)
    fake = in_chunks(lambda xs, ys: discriminator_logits(gan, xs, ys), fakes, labels)
    return logistic_fit(np.concatenate([real, fake]), np.repeat([1.0, 0.0], count), iterations)


def logistic_fit(logits, targets, iterations=100):
    """Newton's method for `sigmoid(scale * logit + offset)` against 0/1 `targets`."""
    x = np.stack([np.asarray(logits, np.float64), np.ones(len(logits))], axis=1)
    y = np.asarray(targets, np.float64)
    weights = np.array([1.0, 0.0])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ weights, -60, 60)))
        gradient = x.T @ (y - p)
        hessian = (x * (p * (1 - p))[:, None]).T @ x + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        weights = weights + step
        if np.abs(step).max() < 1e-10:
            break
    return float(weights[0]), float(weights[1])
