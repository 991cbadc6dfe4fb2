"""`LatentSampler`: how samples are drawn from a trained generator, named like losses.

The plain way draws z from the latent distribution and returns G(z). A
sampler may draw z otherwise (truncation) or use what the discriminator
learned about where G's samples are poor (rejection, Metropolis-Hastings,
Langevin dynamics in z, optimal transport in z). `GAN.generate(n, seed,
sampler=...)` takes a registered name or an instance; every metric of
`scripts/evaluate.py --sampler` then scores it.
"""

import math
import numbers

import numpy as np
import tensorflow as tf
from keras import ops

from keras_gan import latent
from keras_gan import named_classes
from keras_gan.configurable import Configurable

_REGISTRY = {}
# Samples per generator or discriminator call.
CHUNK = 1000


def register(name):
    """Class decorator: makes a `LatentSampler` subclass available by `name`."""

    def decorate(cls):
        return named_classes.add(_REGISTRY, name, cls, LatentSampler, "sampler")

    return decorate


def get(sampler, **arguments):
    """A `LatentSampler` from a registered name (with constructor `arguments`) or an instance."""
    if isinstance(sampler, LatentSampler):
        if arguments:
            raise ValueError(
                f"Arguments are for a sampler given by name. Received: {sampler!r} and {arguments}"
            )
        return sampler
    import keras_gan.sampling  # noqa: F401  (registers the built-in samplers)

    if sampler not in _REGISTRY:
        raise ValueError(
            f"Unknown sampler {sampler!r}; available: {', '.join(_REGISTRY)}. "
            f"Received: sampler={sampler!r}"
        )
    try:
        return _REGISTRY[sampler](**arguments)
    except TypeError as error:
        raise ValueError(f"Bad arguments for sampler {sampler!r}: {error}") from error


def draw(sampler, gan, num_samples, seed, labels=None):
    """`sampler` (a name or an instance) applied to `gan`, after checking it applies."""
    sampler = get(sampler)
    check_applies(sampler, gan)
    return sampler.generate(gan, num_samples, seed, labels)


def check_applies(sampler, gan):
    """Refuses a discriminator-guided sampler for a `BiGAN`, whose D judges (x, z) pairs,
    and every sampler for structured codes (InfoGAN)."""
    from keras_gan.models.bigan import BiGAN

    if latent.is_structured(gan.latent_distribution):
        raise ValueError(
            "The samplers move or truncate z drawn from 'uniform' or 'normal'; this GAN's z "
            f"holds structured codes ({gan.latent_distribution!r}), which they would break. "
            f"Received: sampler={sampler!r}"
        )
    if sampler.uses_discriminator and isinstance(gan, BiGAN):
        raise ValueError(
            f"The {sampler.name!r} sampler reads D(x), and a BiGAN's discriminator judges "
            "(x, z) pairs; of the samplers only 'truncation' applies to a BiGAN. "
            f"Received: sampler={sampler!r}"
        )


def names():
    import keras_gan.sampling  # noqa: F401

    return tuple(_REGISTRY)


class LatentSampler(Configurable):
    """Base class: `sampler.generate(gan, num_samples, seed, labels)` -> float32 NumPy samples.

    Subclasses implement `generate`. Those that read the discriminator set
    `uses_discriminator = True`; those whose D must be calibrated on held-out
    data (its logit read as log p_data / p_g) set `needs_calibration = True`
    and take `calibration=(scale, offset)` (see `calibrate`). After a call,
    `cost` holds `generator_calls_per_sample` and
    `discriminator_calls_per_sample`.
    """

    name = None
    uses_discriminator = False
    needs_calibration = False
    # Set True to print progress lines (scripts/evaluate.py does), for the samplers
    # that take many generator and discriminator calls per sample.
    progress = False

    def _progress(self, total, unit_name):
        if not self.progress:
            return None
        from keras_gan.progress import progress_bar

        return progress_bar(total, unit_name)

    def generate(self, gan, num_samples, seed, labels=None):
        raise NotImplementedError(f"{type(self).__name__} must implement generate")


def seed_of(seed):
    """The shape-(2,) int64 seed tensor of an int seed (None: a fresh random one)."""
    if seed is None:
        seed = int(np.random.default_rng().integers(2**62))
    if tf.is_tensor(seed) and seed.shape.rank == 1:
        return tf.cast(seed, tf.int64)
    return latent.seed_tensor(int(seed))


def fold(seed, *draws):
    """A seed derived from `seed` for the numbered draw `draws` (stateless)."""
    for draw in draws:
        seed = tf.random.experimental.stateless_fold_in(seed, draw)
    return seed


def generator_outputs(gan, z, labels):
    """G(z) (the GAN's sampling generator, in inference mode), as a float32 tensor."""
    inputs = z if labels is None else [z, ops.convert_to_tensor(labels, "int32")]
    return ops.cast(gan.sampler(inputs, training=False), "float32")


def discriminator_logits(gan, x, labels):
    """D's logit of each sample, `(n,)` float32, in inference mode (no dropout)."""
    inputs = x if labels is None else [x, ops.convert_to_tensor(labels, "int32")]
    logits = gan.discriminator(inputs, training=False)
    if isinstance(logits, tuple | list):  # AC-GAN: (logits, class logits)
        logits = logits[0]
    return ops.reshape(ops.cast(logits, "float32"), (-1,))


def scored_samples(gan, z, labels, calibration):
    """`(G(z), calibrated D logits)` as NumPy, CHUNK samples per network call."""
    scale, offset = calibration
    samples, logits = [], []
    for start in range(0, len(z), CHUNK):
        part_labels = None if labels is None else labels[start : start + CHUNK]
        x = generator_outputs(gan, z[start : start + CHUNK], part_labels)
        logits.append(scale * discriminator_logits(gan, x, part_labels).numpy() + offset)
        samples.append(x.numpy())
    return np.concatenate(samples), np.concatenate(logits)


def in_chunks(function, *arrays):
    """`function(*chunks)` over CHUNK rows at a time, concatenated (arrays may be None)."""
    total = next(len(a) for a in arrays if a is not None)
    parts = []
    for start in range(0, total, CHUNK):
        parts.append(
            function(*(a if a is None else a[start : start + CHUNK] for a in arrays)).numpy()
        )
    return np.concatenate(parts)


def check_positive(name, value, integer=False, minimum=1):
    """`value` as an int >= `minimum` (`integer`) or a float > 0 (inf allowed).

    Anything else, a string or NaN included, raises a ValueError naming
    `name` and the value received.
    """
    valid = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if valid and integer:
        valid = math.isfinite(value) and value == int(value) and value >= minimum
    elif valid:
        valid = value > 0  # False for NaN
    if valid:
        return int(value) if integer else float(value)
    if integer:
        raise ValueError(f"`{name}` must be an integer >= {minimum}. Received: {name}={value!r}")
    raise ValueError(f"`{name}` must be > 0. Received: {name}={value!r}")
