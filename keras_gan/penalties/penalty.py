"""`Penalty`: a regulariser of the discriminator, added to its loss at one place."""

import keras

from keras_gan.configurable import Configurable
from keras_gan.validation import positive_int


class Penalty(Configurable):
    """Base class of the discriminator's penalties (gradient penalties, ...).

    A penalty is called as `penalty(critic, real, fake, seed)` inside the
    discriminator's tape, where `critic(samples)` returns D's float32 logits
    (through the same augmentation as the loss sees), and returns the weighted
    scalar penalty of this replica's minibatch (a mean over it, like the
    losses). `seed` is a stateless `(2,)` seed for any randomness it needs.
    Under `mixed_float16` the critic has a `gradient_scale` attribute, the
    loss scale of D's optimizer: a penalty that takes gradients through the
    critic scales them by it against float16 underflow (as
    `input_gradient_norms_squared` does); otherwise it is absent.

    Lazy regularisation: with `every=N` the GAN applies the penalty only on
    every N-th discriminator update, multiplied by N, so its average strength
    is unchanged (Karras et al. 2020, Section 4). The count is D's optimizer's
    iteration count, which `.keras` files save, so a resumed run applies it on
    the same updates. StyleGAN2's code also multiplies Adam's learning rate
    by N / (N + 1) and raises its betas to that power: there the penalty is
    a separate optimizer step every N minibatches (N + 1 steps per N
    minibatches), which those factors compensate. Here it joins the loss of
    an update that happens anyway, so the optimizer takes no extra steps and
    its settings need no correction; a config copied from StyleGAN2 should
    use its nominal learning rate and betas.

    Args:
        every: apply on every `every`-th discriminator update (>= 1).
    """

    def __init__(self, every=1):
        self.every = positive_int("every", every)

    def __call__(self, critic, real, fake, seed):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def get_config(self):
        return {"every": self.every}


def get(identifier):
    """A `Penalty` from an instance or a `keras.saving.serialize_keras_object` config."""
    return instance_of(identifier, Penalty, "penalty", "GradientPenalty, R1, R2")


def instance_of(identifier, base, kind, examples):
    """`identifier` if it is a `base`, or the `base` its serialized config makes; else a
    ValueError naming the kind of penalty expected."""
    if isinstance(identifier, base):
        return identifier
    if isinstance(identifier, dict):
        penalty = keras.saving.deserialize_keras_object(identifier)
        if isinstance(penalty, base):
            return penalty
    raise ValueError(
        f"Each {kind} must be a keras_gan.penalties.{base.__name__} ({examples}). "
        f"Received: {identifier!r}"
    )
