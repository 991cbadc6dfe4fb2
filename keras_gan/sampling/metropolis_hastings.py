"""The Metropolis-Hastings GAN (Turner et al. 2019): an independence sampler with D's odds."""

import numpy as np

from keras_gan.sampling.base import LatentSampler
from keras_gan.sampling.base import check_positive
from keras_gan.sampling.base import fold
from keras_gan.sampling.base import register
from keras_gan.sampling.base import scored_samples
from keras_gan.sampling.base import seed_of


@register("metropolis_hastings")
class MetropolisHastings(LatentSampler):
    """Each sample is the last state of a chain of `chain_length` proposals from G.

    G's samples are independent proposals; a proposal x' replaces the state x
    with probability min(1, exp(l(x') - l(x))), l being D's calibrated logit,
    log(p_data / p_g): the chain's stationary distribution is p_data when D is
    optimal. The chain starts from its first proposal (Turner et al. start
    from a real image, which needs data at sampling time; with this start the
    first proposals act as burn-in). Every sample costs `chain_length` G and
    D calls.

    Args:
        chain_length: proposals per sample, >= 1 (1 is plain sampling).
        calibration: `(scale, offset)` of `keras_gan.sampling.calibrate`.
    """

    uses_discriminator = True
    needs_calibration = True

    def __init__(self, chain_length=20, calibration=(1.0, 0.0)):
        self.chain_length = check_positive("chain_length", chain_length, integer=True)
        self.calibration = tuple(float(c) for c in calibration)

    def get_config(self):
        return {"chain_length": self.chain_length, "calibration": list(self.calibration)}

    def generate(self, gan, num_samples, seed, labels=None):
        seed = seed_of(seed)
        rng = np.random.default_rng([int(s) % 2**64 for s in np.asarray(seed)] + [1])
        state = state_logits = None
        accepted = 0
        bar = self._progress(self.chain_length, "proposal")
        for step in range(self.chain_length):
            if bar is not None:
                bar.update(step + 1)
            z = gan.sample_latent(num_samples, seed=seed if step == 0 else fold(seed, step))
            x, logits = scored_samples(gan, z, labels, self.calibration)
            if state is None:
                state, state_logits = x, logits
                continue
            ratio = np.exp(np.minimum(logits - state_logits, 0.0))
            move = rng.uniform(size=num_samples) < ratio
            accepted += int(move.sum())
            state = np.where(move.reshape((-1,) + (1,) * (x.ndim - 1)), x, state)
            state_logits = np.where(move, logits, state_logits)
        proposals = max(self.chain_length - 1, 1) * num_samples
        self.acceptance_rate = accepted / proposals
        self.cost = {
            "generator_calls_per_sample": float(self.chain_length),
            "discriminator_calls_per_sample": float(self.chain_length),
        }
        return state
