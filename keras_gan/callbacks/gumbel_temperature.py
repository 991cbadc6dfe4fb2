"""The Gumbel-softmax temperature schedule of a text GAN's generator."""

import math

import keras


class GumbelTemperature(keras.callbacks.Callback):
    """Raises G's `inverse_temperature` from 1 to `maximum` over `steps` generator updates.

    RelGAN's schedules (Nie et al. 2019, Section 3.3), n the generator update,
    N = `steps`, beta = inverse temperature:
    `"exp"`: beta_n = maximum ** (n / N) (the paper's best), `"linear"`:
    1 + (maximum - 1) n / N, `"constant"`: maximum from the start. After N
    updates beta stays at `maximum`. Larger beta makes the relaxed one-hot
    closer to the sample D would see at test time (less bias) and its
    gradient noisier; RelGAN reports `maximum` 100 and 1000 on COCO.

    The value is set from the generator optimizer's update count before every
    batch, so a resumed run continues the schedule where it stopped.

    Args:
        maximum: the final inverse temperature, >= 1.
        steps: generator updates to reach it, >= 1.
        schedule: `"exp"`, `"linear"` or `"constant"`.
    """

    SCHEDULES = ("exp", "linear", "constant")

    def __init__(self, maximum, steps, schedule="exp"):
        super().__init__()
        if not float(maximum) >= 1:
            raise ValueError(f"`maximum` must be >= 1. Received: maximum={maximum}")
        if int(steps) < 1:
            raise ValueError(f"`steps` must be >= 1. Received: steps={steps}")
        if schedule not in self.SCHEDULES:
            raise ValueError(
                f"`schedule` must be one of {list(self.SCHEDULES)}. Received: schedule={schedule!r}"
            )
        self.maximum = float(maximum)
        self.steps = int(steps)
        self.schedule = schedule

    def value(self, step):
        """The inverse temperature after `step` generator updates."""
        progress = min(max(step, 0), self.steps) / self.steps
        if self.schedule == "exp":
            return self.maximum**progress
        if self.schedule == "linear":
            return 1.0 + (self.maximum - 1.0) * progress
        return self.maximum

    def on_train_batch_begin(self, batch, logs=None):
        generator = self.model.generator
        step = int(self.model.g_optimizer.iterations.numpy())
        value = self.value(step)
        if not math.isclose(float(generator.inverse_temperature.numpy()), value):
            generator.inverse_temperature.assign(value)
