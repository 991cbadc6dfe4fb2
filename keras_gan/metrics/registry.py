"""`Metric`: one family of evaluation numbers, declaring the inputs it reads.

An evaluation (`keras_gan.metrics.evaluate.evaluate`) takes metric names or
`Metric` instances. Each metric names the inputs it reads (`needs`, attributes
of `keras_gan.metrics.plan.EvaluationInputs`: the generated `samples`, the
`test` images and their `test_labels`, the `reference` images, features of a
network, an encoder, ...); the plan checks before anything loads that the
model and data can give them, then loads each input once, on first use, and
hands the same arrays to every metric that asked for them.
"""

from keras_gan import named_classes

_REGISTRY = {}


class Metric:
    """Base class of the evaluation metrics.

    Subclasses set `needs` (names from `keras_gan.metrics.plan.INPUTS`) and
    implement `compute(inputs) -> dict` of result keys to numbers (or lists,
    or dicts), reading only the inputs they declared. `check(inputs)` may
    refuse the data set or settings (raise `ValueError` naming what was
    received); it runs first, before the generator or any data loads, so it
    reads settings only (`inputs.dataset`, `inputs.gcn`, ...). The plan's own
    checks follow and refuse what the declared inputs cannot give (a split
    of a synthetic set, an encoder or classes the generator has not).

    Example, a metric of your own (no change to the library):
        >>> @keras_gan.metrics.register("mean_gap")
        ... class MeanGap(keras_gan.metrics.Metric):
        ...     needs = ("samples", "test")
        ...     def compute(self, inputs):
        ...         gap = inputs.samples.mean() - inputs.test.mean()
        ...         return {"mean_gap": float(abs(gap))}
        >>> evaluate(model, "mnist", metrics=["fid", "mean_gap"])
    """

    name = None
    needs = ()

    def check(self, inputs):
        """Raises ValueError if this metric cannot score `inputs`' model and data."""

    def compute(self, inputs):
        raise NotImplementedError(f"{type(self).__name__} must implement compute")

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


def register(name):
    """Class decorator: makes a `Metric` subclass available by `name` in `evaluate`.

    `scripts/evaluate.py --metrics=name` finds it once the module defining it
    is imported (`--metric_modules=my_package.my_metrics`).
    """

    def decorate(cls):
        return named_classes.add(_REGISTRY, name, cls, Metric, "metric")

    return decorate


def names():
    """The registered metric names, in registration order (the built-in ones first)."""
    import keras_gan.metrics.families  # noqa: F401  (registers the built-in metrics)

    return tuple(_REGISTRY)


def resolve(metrics):
    """`Metric` instances for `metrics` (names or instances), in the order given.

    Raises:
        ValueError: for a name no metric is registered under, or an object
            that is not a `Metric`.
    """
    available = names()
    unknown = [m for m in metrics if isinstance(m, str) and m not in _REGISTRY]
    if unknown:
        raise ValueError(
            f"Unknown metrics {unknown}; available: {', '.join(available)}. "
            f"Received: metrics={','.join(str(m) for m in metrics)}"
        )
    resolved = []
    for metric in metrics:
        if isinstance(metric, str):
            metric = _REGISTRY[metric]()
        if not isinstance(metric, Metric):
            raise ValueError(
                f"metrics must be names or keras_gan.metrics.Metric instances. Received: {metric!r}"
            )
        key = metric.name or type(metric).__name__
        if all(key != (other.name or type(other).__name__) for other in resolved):
            resolved.append(metric)
    return resolved
