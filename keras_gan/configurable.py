"""`Configurable`: the config round trip and repr shared by losses and penalties."""


class Configurable:
    """Constructor arguments are the configuration: `get_config` returns them."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"
