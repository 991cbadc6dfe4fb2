"""Mixed precision: building networks under a dtype policy, and changing it on a loaded GAN.

Keras reads its global dtype policy when a layer is created, and a saved
model records each layer's policy. So a policy is chosen by building the
networks under it (`policy_scope`), and a model loaded from a checkpoint
computes in the policy it was saved with until `use_policy` changes it. Under
all three policies the variables are float32, so weights and optimizer state
carry over between them unchanged.
"""

import contextlib

import keras

POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")
HALF_FLOATS = ("bfloat16", "float16")


@contextlib.contextmanager
def policy_scope(name):
    """Keras' global dtype policy is `name` inside the block, and what it was after it."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def use_policy(model, name):
    """Sets the dtype policy of `model` and every layer inside it to `name`.

    For a model loaded from a file: its layers keep the policy they were saved
    with. Compile the model afterwards: `GAN.compile` gives an optimizer a loss
    scale when its network computes in float16.
    """
    if name not in POLICIES:
        raise ValueError(f"The policy must be one of {', '.join(POLICIES)}. Received: {name!r}")
    for layer in model._flatten_layers(include_self=True, recursive=True):
        layer.dtype_policy = name


def to_numpy(tensor):
    """`tensor` as a NumPy array; bfloat16 and float16 values become float32.

    What a mixed-precision generator returns is computed in half precision;
    NumPy, pictures and metrics take float32.
    """
    if keras.backend.standardize_dtype(tensor.dtype) in HALF_FLOATS:
        tensor = keras.ops.cast(tensor, "float32")
    return keras.ops.convert_to_numpy(tensor)
