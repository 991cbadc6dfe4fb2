"""`GANLoss`: a generator/discriminator loss pair as one serialisable object."""

import keras

from keras_gan import named_classes
from keras_gan.configurable import Configurable

_REGISTRY = {}


def register(name):
    """Class decorator: makes a `GANLoss` subclass available as `compile(loss=name)`.

    It also registers the class with Keras' serialisation, so a saved GAN
    that uses it loads again (wherever the module defining it is imported).

    Example:
        >>> @keras_gan.losses.register("my_loss")
        ... class MyLoss(keras_gan.losses.GANLoss):
        ...     def generator_loss(self, fake_logits): ...
        ...     def discriminator_loss(self, real_logits, fake_logits): ...
        >>> gan.compile(loss="my_loss")
    """

    def decorate(cls):
        named_classes.add(_REGISTRY, name, cls, GANLoss, "loss")
        package = "keras_gan" if cls.__module__.startswith("keras_gan.") else "Custom"
        return keras.saving.register_keras_serializable(package=package)(cls)

    return decorate


class GANLoss(Configurable):
    """Base class of the adversarial losses: both sides of one game, from logits.

    Subclasses implement `generator_loss(fake_logits)` and
    `discriminator_loss(real_logits, fake_logits)`, each returning the scalar
    mean over the batch of the per-sample losses, computed from D's raw
    outputs (logits; D(x) = sigmoid(logit) in the 2014 games, a score in
    others). A loss whose generator side also needs D on data (relativistic
    games) sets `needs_real_logits = True` and takes
    `generator_loss(fake_logits, real_logits)`.
    Constructor arguments (if any) are the configuration: `get_config`
    returns them. `GAN.compile(loss=...)` takes an instance or a registered
    name, and `.keras` files save it by its config.
    """

    name = None
    needs_real_logits = False

    def generator_loss(self, fake_logits):
        raise NotImplementedError(f"{type(self).__name__} must implement generator_loss")

    def discriminator_loss(self, real_logits, fake_logits):
        raise NotImplementedError(f"{type(self).__name__} must implement discriminator_loss")

    def inverse_loss(self, real_logits, fake_logits):
        """The loss of a generator and an encoder trained together (BiGAN, ALI).

        They make D wrong on both sides: their samples `(G(z), z)` judged
        data, and the data `(x, E(x))` judged samples. The default is
        `generator_loss(fake_logits) + generator_loss(-real_logits)`: in the
        games on `sigmoid(logit)`, a hinge or a Wasserstein score, negating a
        logit swaps data and samples (1 - sigmoid(l) = sigmoid(-l)), so the
        encoder's term is the generator's loss of the other side. A game
        where that does not hold overrides this.
        """
        if self.needs_real_logits:
            raise NotImplementedError(
                f"{type(self).__name__} reads D on data in its generator loss and must "
                "implement inverse_loss"
            )
        return self.generator_loss(fake_logits) + self.generator_loss(-real_logits)


def get(identifier):
    """Returns the `GANLoss` that `identifier` names.

    Args:
        identifier: a `GANLoss` instance (returned as is), a registered name
            (`names()`), or a config dict from `keras.saving.serialize_keras_object`.

    Raises:
        ValueError: for an unknown name or anything else.
    """
    if isinstance(identifier, GANLoss):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _REGISTRY:
            raise ValueError(
                f"Unknown `loss`: expected one of {names()} or a GANLoss instance. "
                f"Received: loss={identifier!r}"
            )
        return _REGISTRY[identifier]()
    if isinstance(identifier, dict):
        loss = keras.saving.deserialize_keras_object(identifier)
        if isinstance(loss, GANLoss):
            return loss
    raise ValueError(
        f"`loss` must be a GANLoss instance or one of {names()}. Received: loss={identifier!r}"
    )


def names():
    """The names `get` accepts."""
    return sorted(_REGISTRY)
