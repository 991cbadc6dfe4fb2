"""Step schedules the paper's SGD needs that Keras does not ship."""

import math

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class LinearRamp(keras.optimizers.schedules.LearningRateSchedule):
    """`initial` until `start_step`, then linear to `final` at `end_step`, then `final`.

    Used for the paper's momentum (pylearn2 `MomentumAdjustor`: 0.5 rising to
    0.7 between epochs 1 and 250), but works for any scheduled hyperparameter.

    Args:
        initial: value before `start_step`.
        final: value from `end_step` on.
        start_step: optimizer step where the ramp begins.
        end_step: optimizer step where it reaches `final` (> start_step).
    """

    def __init__(self, initial, final, start_step, end_step):
        if end_step <= start_step:
            raise ValueError(
                "`end_step` must be greater than `start_step`. "
                f"Received: start_step={start_step}, end_step={end_step}"
            )
        self.initial = float(initial)
        self.final = float(final)
        self.start_step = int(start_step)
        self.end_step = int(end_step)

    def __call__(self, step):
        progress = (ops.cast(step, "float32") - self.start_step) / (self.end_step - self.start_step)
        progress = ops.clip(progress, 0.0, 1.0)
        return self.initial + (self.final - self.initial) * progress

    def get_config(self):
        return {
            "initial": self.initial,
            "final": self.final,
            "start_step": self.start_step,
            "end_step": self.end_step,
        }


@keras.saving.register_keras_serializable(package="keras_gan")
class FlooredExponentialDecay(keras.optimizers.schedules.LearningRateSchedule):
    """`max(initial / decay_factor**step, minimum)`: pylearn2's `ExponentialDecay`.

    Args:
        initial: value at step 0.
        decay_factor: the value is divided by this at every step (> 0).
        minimum: the floor.
    """

    def __init__(self, initial, decay_factor, minimum=0.0):
        if decay_factor <= 0:
            raise ValueError(f"`decay_factor` must be > 0. Received: decay_factor={decay_factor}")
        self.initial = float(initial)
        self.decay_factor = float(decay_factor)
        self.minimum = float(minimum)

    def __call__(self, step):
        # (1 / 1.000004) rounded to float32 and raised to the step drifts by
        # 6e-4 relative within 1e5 steps; the log, taken in float64, does not.
        rate = math.log(self.decay_factor)
        value = self.initial * ops.exp(-rate * ops.cast(step, "float32"))
        return ops.maximum(value, self.minimum)

    def get_config(self):
        return {
            "initial": self.initial,
            "decay_factor": self.decay_factor,
            "minimum": self.minimum,
        }
