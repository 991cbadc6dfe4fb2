"""The 2014 paper's adversarial losses as plain functions of logits.

Every function takes the discriminator's logits `l`, where D(x) = sigmoid(l), and
returns a scalar mean over the batch. Working in logits keeps the losses finite
when D saturates: log(sigmoid(l)) = -softplus(-l) and log(1 - sigmoid(l)) =
-softplus(l), and softplus does not overflow.

Reference:
    Goodfellow et al., "Generative Adversarial Nets", NIPS 2014, arXiv:1406.2661,
    Eq. (1) and Section 3.
"""

from keras import ops


def discriminator_loss(real_logits, fake_logits):
    """-E[log D(x)] - E[log(1 - D(G(z)))]: D's side of the value function.

    This is the same for both games: D maximises V(D, G), i.e. minimises the
    binary cross-entropy of real-vs-fake.
    """
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))


def minimax_generator_loss(fake_logits):
    """E[log(1 - D(G(z)))]: G minimises the value function itself (Eq. 1).

    Its gradient vanishes when D confidently rejects the samples (early training).
    """
    return -ops.mean(ops.softplus(fake_logits))


def minimax_discriminator_loss(real_logits, fake_logits):
    """D's loss in the minimax game: see `discriminator_loss`."""
    return discriminator_loss(real_logits, fake_logits)


def non_saturating_generator_loss(fake_logits):
    """-E[log D(G(z))]: G maximises log D(G(z)), the paper's practical heuristic.

    Same fixed point as the minimax game but strong gradients early in training.
    """
    return ops.mean(ops.softplus(-fake_logits))


def non_saturating_discriminator_loss(real_logits, fake_logits):
    """D's loss in the non-saturating game: see `discriminator_loss`."""
    return discriminator_loss(real_logits, fake_logits)
