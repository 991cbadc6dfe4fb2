"""LearningRateScheduler and ReduceLROnPlateau on a GAN's two optimizers."""

import keras
import numpy as np
import pytest

from keras_gan.callbacks import LearningRateScheduler
from keras_gan.callbacks import ReduceLROnPlateau
from tests import test_case


def compiled_gan():
    gan = test_case.small_image_gan(seed=0)
    gan.compile(d_optimizer=keras.optimizers.SGD(0.1), g_optimizer=keras.optimizers.SGD(0.2))
    return gan


def rates(gan):
    return (
        float(np.asarray(gan.d_optimizer.learning_rate)),
        float(np.asarray(gan.g_optimizer.learning_rate)),
    )


@pytest.mark.parametrize(
    "optimizers, expected",
    [("both", (0.025, 0.05)), ("discriminator", (0.025, 0.2)), ("generator", (0.1, 0.05))],
)
def test_scheduler_sets_the_chosen_optimizers_every_epoch(optimizers, expected):
    gan = compiled_gan()
    seen = []

    def halve(epoch, rate):
        seen.append((epoch, rate))
        return rate / 2 if epoch > 0 else rate

    history = gan.fit(
        test_case.small_images(16),
        batch_size=8,
        epochs=3,
        verbose=0,
        callbacks=[LearningRateScheduler(halve, optimizers=optimizers)],
    )
    assert rates(gan) == pytest.approx(expected)
    assert [epoch for epoch, _ in seen][:3] in ([0, 0, 1], [0, 1, 2])
    logged = {
        "d": history.history.get("d_learning_rate"),
        "g": history.history.get("g_learning_rate"),
    }
    if optimizers != "generator":
        assert logged["d"][-1] == pytest.approx(expected[0])
    if optimizers != "discriminator":
        assert logged["g"][-1] == pytest.approx(expected[1])


def test_bad_choices_and_schedules_are_named():
    with pytest.raises(ValueError, match=r"`optimizers` must be one of.*Received: optimizers='d'"):
        LearningRateScheduler(lambda e, r: r, optimizers="d")
    with pytest.raises(ValueError, match=r"must return a number. Received: 'fast' for epoch 0"):
        compiled_gan().fit(
            test_case.small_images(16),
            batch_size=8,
            verbose=0,
            callbacks=[LearningRateScheduler(lambda e, r: "fast")],
        )


def test_reduce_on_plateau_after_patience_then_cooldown():
    gan = compiled_gan()
    callback = ReduceLROnPlateau("val_metric", factor=0.5, patience=2, cooldown=2, min_lr=0.03)
    callback.set_model(gan)
    callback.on_train_begin()
    # Improves, then stalls for 5 epochs.
    values = [1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    history = []
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {"val_metric": value})
        history.append(rates(gan))
    # Reduced after 2 stalled epochs (epoch 3); as in Keras, the cooldown's last epoch
    # already counts, so the next reduction comes 3 epochs later (epoch 6).
    assert history[2] == pytest.approx((0.1, 0.2))
    assert history[3] == pytest.approx((0.05, 0.1))
    assert history[4] == history[5] == pytest.approx((0.05, 0.1))
    assert history[6] == pytest.approx((0.03, 0.05))  # min_lr bounds the discriminator's
    # Epochs without the value (an evaluation every few epochs) do not count.
    callback.on_epoch_end(7, {"d_loss": 1.0})
    assert rates(gan) == pytest.approx((0.03, 0.05))


@pytest.mark.parametrize(
    "stock, instead",
    [
        (keras.callbacks.ReduceLROnPlateau(), "keras_gan.callbacks.ReduceLROnPlateau"),
        (keras.callbacks.LearningRateScheduler(lambda e, lr: lr), "keras_gan.callbacks.Learning"),
        (keras.callbacks.SwapEMAWeights(), r"GAN\(generator_ema=decay\)"),
    ],
)
def test_keras_callbacks_of_model_optimizer_are_refused_before_training(stock, instead):
    # They read model.optimizer, which a GAN does not have: an AttributeError on
    # None at the end of the first epoch, after its work, was all a user saw.
    gan = test_case.small_image_gan()
    gan.compile()
    before = test_case.weights_of(gan)
    message = rf"acts on model.optimizer.*d_optimizer.*g_optimizer.*Use {instead}"
    with pytest.raises(ValueError, match=message):
        gan.fit(test_case.small_images(16), batch_size=8, verbose=0, callbacks=[stock])
    with pytest.raises(ValueError, match=message):  # passed by position, as Keras allows
        gan.fit(test_case.small_images(16), None, 8, 1, 0, [stock])
    for a, b in zip(test_case.weights_of(gan), before, strict=True):
        np.testing.assert_array_equal(a, b)
