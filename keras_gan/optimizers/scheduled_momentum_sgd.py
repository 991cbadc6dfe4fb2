"""SGD whose momentum may follow a schedule, as the 2014 paper's training did."""

import keras
from keras import ops

from keras_gan.optimizers.schedules import FlooredExponentialDecay
from keras_gan.optimizers.schedules import LinearRamp


@keras.saving.register_keras_serializable(package="keras_gan")
class ScheduledMomentumSGD(keras.optimizers.SGD):
    """`keras.optimizers.SGD` whose `momentum` may be a schedule of the step.

    Keras' SGD takes a constant momentum; the paper raised it from 0.5 to 0.7
    during training. Pass a `LearningRateSchedule`-like object (for example
    `LinearRamp`) as `momentum` and it is evaluated at the optimizer's
    iteration count on every update. With a float it is plain SGD.

    Args:
        learning_rate: float or schedule, as for `keras.optimizers.SGD`.
        momentum: float in [0, 1] or a schedule returning values in [0, 1].
        **kwargs: every other `keras.optimizers.SGD` argument.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, **kwargs):
        schedule = None
        if isinstance(momentum, dict):
            momentum = keras.saving.deserialize_keras_object(momentum)
        if isinstance(momentum, keras.optimizers.schedules.LearningRateSchedule):
            schedule, momentum = momentum, 1.0  # non-zero so SGD builds velocity slots
        super().__init__(learning_rate=learning_rate, momentum=float(momentum), **kwargs)
        self.momentum_schedule = schedule

    def update_step(self, gradient, variable, learning_rate):
        if self.momentum_schedule is None:
            return super().update_step(gradient, variable, learning_rate)
        learning_rate = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        momentum = ops.cast(self.momentum_schedule(self.iterations), variable.dtype)
        velocity = self.momentums[self._get_variable_index(variable)]
        self.assign(velocity, momentum * velocity - learning_rate * gradient)
        if self.nesterov:
            self.assign_add(variable, momentum * velocity - learning_rate * gradient)
        else:
            self.assign_add(variable, velocity)

    def get_config(self):
        config = super().get_config()
        if self.momentum_schedule is not None:
            config["momentum"] = keras.saving.serialize_keras_object(self.momentum_schedule)
        return config


def paper_mnist_sgd(steps_per_epoch=500, learning_rate=0.1):
    """The published MNIST optimizer (goodfeli/adversarial `mnist.yaml`).

    SGD with learning rate 0.1 divided by 1.000004 every update (floor 1e-6),
    momentum 0.5 rising linearly to 0.7 between epochs 1 and 250. Call it once
    per network: each network needs its own optimizer.

    Args:
        steps_per_epoch: updates per epoch, to place the momentum ramp
            (500 = the paper's 50,000 training images in batches of 100).
        learning_rate: the learning rate of the first update (the paper: 0.1).
    """
    return ScheduledMomentumSGD(
        learning_rate=FlooredExponentialDecay(learning_rate, decay_factor=1.000004, minimum=1e-6),
        momentum=LinearRamp(0.5, 0.7, start_step=steps_per_epoch, end_step=250 * steps_per_epoch),
    )
