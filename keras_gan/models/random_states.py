"""The random-number states of a model, keyed by the layer that owns them.

Keras' `.keras` format saves a model's weights but not the states of its
`keras.random.SeedGenerator`s (the GAN's noise stream, every Dropout's masks).
A GAN saves them itself so that a reloaded model continues exactly; keying
each by its owner's path (not by position) makes a model with another set
of random layers fail to load instead of taking the wrong state.
"""

KEY_PREFIX = "random_state:"


def random_states(model, children=None):
    """Returns `{key: state variable}` for every SeedGenerator state in `model`.

    A key is the owner's path, dot-separated (a `/` would make a group of the
    `.keras` file's HDF5 store), and the state's index within its owner:
    `random_state:discriminator.dropout_1.0`.

    Args:
        model: a Keras layer or model.
        children: optional `{name: layer}` naming `model`'s direct sublayers
            (e.g. by attribute); layer names are used below them, and for
            every layer when omitted.

    Raises:
        ValueError: if two states would get the same key (two sibling layers
            with one name).
    """
    weights = {id(w) for w in model.weights}
    states = {id(v): v for v in model.variables if id(v) not in weights}
    found = {}
    _collect(model, "", states, found, children)
    return found


def save_states(states, store):
    """Writes `{key: state}` (from `random_states`) into a `save_own_variables` store."""
    for key, state in states.items():
        store[key] = state


def load_states(states, store):
    """Assigns the saved random-number states of a `load_own_variables` store to
    `states` (from `random_states`); returns the store's other entries, the weights.

    Raises:
        ValueError: if the file's states and the model's differ, naming both.
    """
    keys = list(store.keys())
    saved = {k for k in keys if k.startswith(KEY_PREFIX)}
    if saved != set(states):
        raise ValueError(
            "The saved random-number states do not belong to this model's layers: the file "
            "was written by a model with other random layers (or an older keras_gan). "
            f"In the file but not in the model: {sorted(saved - set(states))}; in the model "
            f"but not in the file: {sorted(set(states) - saved)}"
        )
    for key, state in states.items():
        state.assign(store[key])
    return {k: store[k] for k in keys if k not in saved}


def _collect(layer, path, states, found, children=None):
    """Adds the states `layer` and its sublayers own to `found`; returns their ids."""
    claimed = set()
    if children is None:
        children = {c.name: c for c in layer._flatten_layers(include_self=False, recursive=False)}
    for name, child in children.items():
        claimed |= _collect(child, f"{path}{name}.", states, found)
    own = [v for v in layer.variables if id(v) in states and id(v) not in claimed]
    for i, state in enumerate(own):
        key = f"{KEY_PREFIX}{path}{i}"
        if key in found:
            raise ValueError(
                f"Two random states of the model would be saved as {key!r}: give the layers "
                f"under {path or 'the model'} distinct names."
            )
        found[key] = state
        claimed.add(id(state))
    return claimed
