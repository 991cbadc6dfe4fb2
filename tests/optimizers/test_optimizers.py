import keras
import numpy as np
import pytest

from keras_gan.optimizers import FlooredExponentialDecay
from keras_gan.optimizers import LinearRamp
from keras_gan.optimizers import ScheduledMomentumSGD
from keras_gan.optimizers import paper_mnist_sgd


def test_linear_ramp():
    ramp = LinearRamp(0.5, 0.7, start_step=500, end_step=1500)
    values = [float(ramp(step)) for step in (0, 500, 1000, 1500, 10**6)]
    np.testing.assert_allclose(values, [0.5, 0.5, 0.6, 0.7, 0.7], rtol=1e-6)
    with pytest.raises(ValueError, match="Received: start_step=5, end_step=5"):
        LinearRamp(0.5, 0.7, 5, 5)


def test_floored_exponential_decay_is_pylearn2s():
    schedule = FlooredExponentialDecay(0.1, decay_factor=1.000004, minimum=1e-6)
    assert float(schedule(0)) == pytest.approx(0.1)
    assert float(schedule(100000)) == pytest.approx(0.1 / 1.000004**100000, rel=1e-5)
    assert float(schedule(10**7)) == pytest.approx(1e-6)


def run_steps(optimizer, gradients):
    variable = keras.Variable(np.zeros(2, "float32"))
    for gradient in gradients:
        optimizer.apply([np.asarray(gradient, "float32")], [variable])
    return np.asarray(variable)


def test_constant_momentum_is_keras_sgd():
    gradients = [[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]]
    np.testing.assert_allclose(
        run_steps(ScheduledMomentumSGD(0.1, momentum=0.5), gradients),
        run_steps(keras.optimizers.SGD(0.1, momentum=0.5), gradients),
        rtol=1e-6,
    )


def test_scheduled_momentum_follows_the_schedule():
    # Momentum 0 for the first update, 1 from the second on: by hand,
    # v1 = -lr g1, v2 = v1 - lr g2, v3 = v2 - lr g3, w = v1 + v2 + v3.
    optimizer = ScheduledMomentumSGD(0.1, momentum=LinearRamp(0.0, 1.0, start_step=0, end_step=1))
    g = np.array([[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]])
    v1 = -0.1 * g[0]
    v2 = v1 - 0.1 * g[1]
    v3 = v2 - 0.1 * g[2]
    np.testing.assert_allclose(run_steps(optimizer, g), v1 + v2 + v3, rtol=1e-6)


def test_paper_optimizer_serializes():
    optimizer = paper_mnist_sgd(steps_per_epoch=500)
    clone = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert isinstance(clone, ScheduledMomentumSGD)
    assert clone.momentum_schedule.get_config() == optimizer.momentum_schedule.get_config()
    assert clone.get_config()["learning_rate"] == optimizer.get_config()["learning_rate"]
