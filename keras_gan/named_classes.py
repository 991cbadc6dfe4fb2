"""Classes registered by name (losses, metrics, samplers): one rule for all three registries."""


def add(registry, name, cls, base, kind):
    """Registers `cls` (a subclass of `base`) in `registry` under `name`, and sets `cls.name`.

    Raises:
        ValueError: if `cls` is not a `base` subclass, or another class already
            holds `name` (`kind` names the family in the message: "loss", ...).
    """
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise ValueError(f"Only {base.__name__} subclasses can be registered. Received: {cls!r}")
    if name in registry and registry[name] is not cls:
        raise ValueError(
            f"A {kind} named {name!r} is already registered ({registry[name].__name__}). "
            f"Received: {cls.__name__}"
        )
    cls.name = name
    registry[name] = cls
    return cls
