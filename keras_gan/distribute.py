"""`tf.distribute` strategies by name, for `scripts/train.py --strategy`.

Model code does not change with the strategy: build and compile the GAN inside
`strategy.scope()` and call `fit` with the global batch size.
"""

import json
import os
import socket

import tensorflow as tf

STRATEGY_NAMES = ("default", "one_device", "mirrored", "multi_worker", "tpu")

# One MirroredStrategy per device set and process: a second one restarts the
# collective instance keys, and on CPUs its all-reduces then collide with the
# first one's ("Shape mismatch in the collective instance 100").
_MIRRORED = {}


def get_strategy(name="default", num_cpu_devices=0, tpu=""):
    """Returns the `tf.distribute.Strategy` called `name`.

    Args:
        name: `"default"` (no distribution), `"one_device"` (the first GPU,
            else the CPU), `"mirrored"` (all local GPUs, or `num_cpu_devices`
            logical CPUs), `"multi_worker"` (`MultiWorkerMirroredStrategy`,
            cluster from the `TF_CONFIG` environment variable), `"tpu"`
            (`TPUStrategy` on the TPU named by `tpu`).
        num_cpu_devices: with `"mirrored"`, split the CPU into this many
            logical devices and mirror over them (for testing without GPUs).
            Must be set before TensorFlow first touches a device.
        tpu: TPU name or `grpc://` address; `""` finds the TPU of a Cloud TPU
            VM, or of `TPU_NAME`.

    Returns:
        A strategy. `"mirrored"` returns the same object for the same devices
        within a process, so that several runs in one process can share it.

    Raises:
        ValueError: for an unknown name, a missing or malformed `TF_CONFIG`,
            logical devices that can no longer be set up, or no reachable TPU.
    """
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "one_device":
        gpus = tf.config.list_logical_devices("GPU")
        return tf.distribute.OneDeviceStrategy(gpus[0].name if gpus else "/cpu:0")
    if name == "mirrored":
        devices = tuple(_logical_cpus(num_cpu_devices)) if num_cpu_devices else None
        if devices not in _MIRRORED:
            _MIRRORED[devices] = tf.distribute.MirroredStrategy(devices and list(devices))
        return _MIRRORED[devices]
    if name == "multi_worker":
        _check_tf_config()
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        return _tpu_strategy(tpu)
    raise ValueError(
        f"Unknown strategy: expected one of {list(STRATEGY_NAMES)}. Received: strategy={name!r}"
    )


def is_chief(strategy):
    """Whether this process writes files: always, except on non-chief workers."""
    resolver = getattr(strategy.extended, "_cluster_resolver", None)
    if resolver is None or not resolver.cluster_spec().as_dict():
        return True
    task_type, task_id = resolver.task_type, resolver.task_id
    if task_type == "chief":
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return not has_chief and task_type == "worker" and task_id == 0


def distributed_batches(strategy, make_pipeline, batch_size, **options):
    """Batches of a pipeline maker, each input pipeline reading only its share.

    Args:
        strategy: the run's strategy.
        make_pipeline: `make_pipeline(batch_size, input_context=None,
            **options)` returning `(dataset, steps_per_epoch)`, such as a
            `keras_gan.data.Stream`'s; with an `input_context` it gives only
            that pipeline's replicas' shares of each global batch.
        batch_size: the global batch.
        **options: more arguments of `make_pipeline`.

    Returns:
        `(dataset, steps_per_epoch)`: with one replica the pipeline itself,
        else `strategy.distribute_datasets_from_function` over it, so each
        worker reads (and decodes) only its replicas' images.
    """
    dataset, steps_per_epoch = make_pipeline(batch_size, **options)
    if strategy.num_replicas_in_sync == 1:
        return dataset, steps_per_epoch

    def shares(context):
        return make_pipeline(batch_size, input_context=context, **options)[0]

    return strategy.distribute_datasets_from_function(shares), steps_per_epoch


def replica_share(draw, batch_size):
    """This replica's rows of one random draw for the global batch.

    Every random draw of a training step (noise, labels, augmentations,
    penalty interpolates, StyleGAN2's per-pixel noise) goes through this:
    each replica makes the same draw for the global batch (the same seed or
    generator state) and keeps its own slice, so replicas never share draws
    and a run is the same on 1 or N replicas.

    Args:
        draw: `draw(rows)` returns `rows` random rows (`rows` may be a
            scalar tensor).
        batch_size: this replica's batch (the global batch outside a
            replica context).

    Returns:
        `draw(batch_size)` with one replica or in a cross-replica context,
        else rows `[i * batch_size, (i + 1) * batch_size)` of
        `draw(batch_size * replicas)` on replica i.
    """
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    context = tf.distribute.get_replica_context()
    if replicas == 1 or context is None:
        return draw(batch_size)
    start = context.replica_id_in_sync_group * batch_size
    return draw(batch_size * replicas)[start : start + batch_size]


class StartsOnePass:
    """A `keras.Model` mixin: under a strategy, `fit` and `evaluate` start one pass over the data.

    Under a distribution strategy, Keras' TensorFlow trainer (3.15,
    `_maybe_symbolic_build`) opens an iterator over the data at the start of
    every `fit` and `evaluate`, takes one batch from it to build layers that
    are not built yet, drops it, and opens a second one for the steps. The
    models here are built when they are made, so the first pass serves
    nothing: it starts the user's input pipeline (a generator, file reads) an
    extra time, and dropping a distributed iterator is when TensorFlow 2.21's
    `MultiDeviceIterator` can crash (docs/accelerators.md). With this mixin
    first in the bases, that build is skipped when everything is built, and
    Keras' own runs as before otherwise.
    """

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        if not _unbuilt(self):
            return
        super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)


def _unbuilt(model):
    """Whether Keras' symbolic build has anything left to build in `model`."""
    if not all(layer.built for layer in model._flatten_layers()):
        return True
    parts = (model._compile_metrics, model._compile_loss, model.optimizer)
    return any(part is not None and not part.built for part in parts)


def _logical_cpus(count):
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * count
        )
    except RuntimeError:
        # Devices are fixed once TensorFlow is initialised; fine if they match.
        pass
    devices = tf.config.list_logical_devices("CPU")
    if len(devices) != count:
        raise ValueError(
            f"TensorFlow was already initialised with {len(devices)} CPU device(s), so "
            f"{count} logical CPU devices cannot be set up in this process. "
            f"Received: num_cpu_devices={count}"
        )
    return [device.name for device in devices]


def _check_tf_config():
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        raise ValueError(
            "strategy='multi_worker' reads the cluster from the TF_CONFIG environment "
            "variable, which is not set. Received: TF_CONFIG unset"
        )
    try:
        config = json.loads(raw)
        config["cluster"]["worker"]
        config["task"]["type"], config["task"]["index"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            "TF_CONFIG must be JSON with 'cluster' (listing 'worker' addresses) and "
            f"'task' ('type', 'index'). Received: TF_CONFIG={raw!r}"
        ) from error


def _tpu_strategy(tpu):
    if tpu.startswith("grpc://"):
        # TensorFlow waits forever for an address that does not answer; ask first.
        host, _, port = tpu.removeprefix("grpc://").rpartition(":")
        try:
            socket.create_connection((host, int(port)), timeout=10).close()
        except (OSError, ValueError) as error:
            raise ValueError(f"No TPU answers at {tpu} ({error}). Received: tpu={tpu!r}") from error
    try:
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu=tpu or None)
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
    except (ValueError, RuntimeError, OSError, tf.errors.OpError) as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        raise ValueError(
            f"No TPU could be reached ({detail}). On a Cloud TPU VM leave --tpu empty; "
            f"elsewhere name the TPU or its grpc:// address. Received: tpu={tpu!r}"
        ) from error
    return tf.distribute.TPUStrategy(resolver)
