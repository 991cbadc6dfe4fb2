"""Pieces of a training step that `GAN` and its sibling models share: the
loss of one replica, the sum of losses in float32, the penalties due at an
update, and the weight regularisers' terms."""

import tensorflow as tf
from keras import ops


def weight_penalties(network):
    """The weight regularisers' terms: Keras appends them to `network.losses`."""
    return [v.regularizer(v) for v in network.trainable_weights if v.regularizer is not None]


def replica_loss(loss):
    """This replica's share of a loss that is a mean over its local batch.

    Keras sums gradients across replicas, so dividing by the replica count
    gives the mean over the global batch (what Keras' own losses do).
    """
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    return loss / replicas if replicas > 1 else loss


def due_penalties(penalties, iterations, seed, call):
    """The sum of `call(penalty, seed)` over the penalties due at this update
    (`iterations` of its optimizer), lazy ones (`every` > 1) times `every`."""
    total = 0.0
    for number, penalty in enumerate(penalties):
        own_seed = tf.random.experimental.stateless_fold_in(seed, number)

        def value(penalty=penalty, own_seed=own_seed):
            return ops.cast(call(penalty, own_seed), "float32")

        if penalty.every == 1:
            total += value()
        else:
            due = ops.equal(iterations % penalty.every, 0)
            total += tf.cond(
                due, lambda value=value, every=penalty.every: every * value(), lambda: 0.0
            )
    return total


def float32_sum(values):
    """The float32 sum of scalar losses (float16 ones under mixed precision)."""
    return ops.sum(ops.stack([ops.cast(v, "float32") for v in values])) if values else 0.0
