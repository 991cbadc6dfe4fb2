"""Discriminator rejection sampling (Azadi et al. 2019)."""

import numpy as np

from keras_gan.sampling.base import LatentSampler
from keras_gan.sampling.base import check_positive
from keras_gan.sampling.base import fold
from keras_gan.sampling.base import register
from keras_gan.sampling.base import scored_samples
from keras_gan.sampling.base import seed_of

EPSILON = 1e-6


@register("rejection")
class RejectionSampling(LatentSampler):
    """Keeps each G(z) with a probability that D's density ratio gives it.

    With D's calibrated logit l(x) = log(p_data(x) / p_g(x)), accepting x with
    probability exp(l(x) - l_max) gives exact samples of p_data. As in DRS,
    l_max is the largest logit of a burn-in draw (and raised when a larger
    one appears), and the acceptance is sigmoid(F(x) - gamma),
    F = l - l_max - log(1 - exp(l - l_max - eps)): with gamma = 0 that is
    exp(l - l_max), the exact rule (the default); DRS sets gamma to a
    percentile of F over the burn-in (`gamma_percentile`, e.g. 95) to shift
    the acceptance, negative gamma accepting more samples than exact.

    Args:
        calibration: `(scale, offset)` of `keras_gan.sampling.calibrate`
            (D's logit -> log density ratio); `(1, 0)` uses D as it is.
        burn_in: samples drawn to estimate l_max and gamma.
        gamma_percentile: None (gamma = 0, exact) or in [0, 100).
        batch_size: samples drawn per round.
        max_rounds: rounds before giving up (an error names the rate).
    """

    uses_discriminator = True
    needs_calibration = True

    def __init__(
        self,
        calibration=(1.0, 0.0),
        burn_in=10000,
        gamma_percentile=None,
        batch_size=1000,
        max_rounds=1000,
    ):
        self.calibration = tuple(float(c) for c in calibration)
        self.burn_in = check_positive("burn_in", burn_in, integer=True)
        if gamma_percentile is not None and not 0 <= gamma_percentile < 100:
            raise ValueError(
                "`gamma_percentile` must be None or in [0, 100). Received: "
                f"gamma_percentile={gamma_percentile!r}"
            )
        self.gamma_percentile = None if gamma_percentile is None else float(gamma_percentile)
        self.batch_size = check_positive("batch_size", batch_size, integer=True)
        self.max_rounds = check_positive("max_rounds", max_rounds, integer=True)

    def get_config(self):
        return {
            "calibration": list(self.calibration),
            "burn_in": self.burn_in,
            "gamma_percentile": self.gamma_percentile,
            "batch_size": self.batch_size,
            "max_rounds": self.max_rounds,
        }

    def _draw(self, gan, count, seed, labels):
        return scored_samples(gan, gan.sample_latent(count, seed=seed), labels, self.calibration)

    def generate(self, gan, num_samples, seed, labels=None):
        seed = seed_of(seed)
        rng = np.random.default_rng([int(s) % 2**64 for s in np.asarray(seed)])
        draw_labels = None if labels is None else np.asarray(labels)
        pick = (lambda n: rng.choice(draw_labels, n)) if labels is not None else (lambda n: None)
        _, burn = self._draw(gan, self.burn_in, fold(seed, 0), pick(self.burn_in))
        l_max = burn.max()
        gamma = 0.0
        if self.gamma_percentile is not None:
            gamma = np.percentile(_f(burn, l_max), self.gamma_percentile)
        kept, kept_labels, drawn = [], [], self.burn_in
        wanted = _wanted_per_label(num_samples, labels)
        bar = self._progress(num_samples, "accepted sample")
        for round_ in range(1, self.max_rounds + 1):
            batch_labels = pick(self.batch_size)
            x, logits = self._draw(gan, self.batch_size, fold(seed, round_), batch_labels)
            drawn += self.batch_size
            l_max = max(l_max, logits.max())
            accept = rng.uniform(size=len(x)) < _sigmoid(_f(logits, l_max) - gamma)
            kept.append(x[accept])
            kept_labels.append(None if batch_labels is None else batch_labels[accept])
            samples = _take(kept, kept_labels, wanted, labels)
            if bar is not None:
                bar.update(min(num_samples, sum(len(k) for k in kept)))
            if samples is not None:
                self.acceptance_rate = sum(len(k) for k in kept) / (drawn - self.burn_in)
                calls = drawn / num_samples
                self.cost = {
                    "generator_calls_per_sample": calls,
                    "discriminator_calls_per_sample": calls,
                }
                return samples
        accepted = sum(len(k) for k in kept)
        raise ValueError(
            f"Rejection sampling kept {accepted} of {drawn - self.burn_in} samples in "
            f"{self.max_rounds} rounds, short of {num_samples}: set a lower gamma_percentile "
            f"or raise max_rounds. Received: {self!r}"
        )


def _f(logits, l_max):
    return logits - l_max - np.log1p(-np.exp(np.minimum(logits - l_max - EPSILON, -EPSILON)))


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60, 60)))


def _wanted_per_label(num_samples, labels):
    if labels is None:
        return num_samples
    values, counts = np.unique(np.asarray(labels), return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def _take(kept, kept_labels, wanted, labels):
    """The samples asked for, in the order of `labels`, once enough are kept; else None."""
    samples = np.concatenate(kept)
    if labels is None:
        return samples[:wanted] if len(samples) >= wanted else None
    drawn_labels = np.concatenate(kept_labels)
    by_label = {c: samples[drawn_labels == c] for c in wanted}
    if any(len(by_label[c]) < n for c, n in wanted.items()):
        return None
    out = np.empty((len(labels), *samples.shape[1:]), samples.dtype)
    for c in wanted:
        where = np.flatnonzero(np.asarray(labels) == c)
        out[where] = by_label[c][: len(where)]
    return out
