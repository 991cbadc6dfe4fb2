"""Better z at sampling time: samplers of a trained generator, some guided by its discriminator.

`GAN.generate(n, seed=..., sampler="truncation")` or an instance such as
`keras_gan.sampling.RejectionSampling(calibration=keras_gan.sampling.calibrate(gan, held_out))`.
"""

from keras_gan.sampling.base import LatentSampler
from keras_gan.sampling.base import check_applies
from keras_gan.sampling.base import draw
from keras_gan.sampling.base import get
from keras_gan.sampling.base import names
from keras_gan.sampling.base import register
from keras_gan.sampling.calibration import calibrate
from keras_gan.sampling.langevin import LangevinSampling
from keras_gan.sampling.metropolis_hastings import MetropolisHastings
from keras_gan.sampling.optimal_transport import OptimalTransport
from keras_gan.sampling.rejection import RejectionSampling
from keras_gan.sampling.truncation import Truncation
from keras_gan.sampling.truncation import WTruncation

__all__ = [
    "LangevinSampling",
    "LatentSampler",
    "MetropolisHastings",
    "OptimalTransport",
    "RejectionSampling",
    "Truncation",
    "WTruncation",
    "calibrate",
    "check_applies",
    "draw",
    "get",
    "names",
    "register",
]
