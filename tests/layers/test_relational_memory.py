"""The relational memory cell computes RelGAN's step, starts from its memory, runs in
`keras.layers.RNN`, trains, saves, and refuses bad sizes."""

import keras
import numpy as np
import pytest

from keras_gan.layers import RelationalMemoryCell
from tests.test_case import assert_config_round_trip


def reference_step(cell, x, memory):
    """One step of RelGAN's `RelationalMemory._build` (utils/models/relational_memory.py,
    weilinie/RelGAN), written out in NumPy from the cell's weights."""
    w = {v.path.split("/")[-1]: v.numpy().astype("float64") for v in cell.weights}
    slots, heads, head, key = cell.memory_slots, cell.num_heads, cell.head_size, cell.key_size
    width = heads * head

    def layer_norm(t, gamma, beta):  # tf.contrib.layers.layer_norm: over axes 1.. per sample
        mean = t.mean(axis=(1, 2), keepdims=True)
        var = ((t - mean) ** 2).mean(axis=(1, 2), keepdims=True)
        return (t - mean) / np.sqrt(var + 1e-12) * gamma + beta

    batch = x.shape[0]
    memory = memory.reshape(batch, slots, width)
    inputs = x @ w["input_kernel"] + w["input_bias"]
    rows = np.concatenate([memory, inputs[:, None]], axis=1)
    qkv_size = 2 * key + head
    qkv = layer_norm(rows @ w["block0_qkv_kernel"], w["block0_qkv_gamma"], w["block0_qkv_beta"])
    qkv = qkv.reshape(batch, slots + 1, heads, qkv_size).transpose(0, 2, 1, 3)
    q, k, v = qkv[..., :key], qkv[..., key : 2 * key], qkv[..., 2 * key :]
    q = q * qkv_size**-0.5
    logits = q @ k.transpose(0, 1, 3, 2)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    attended = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, slots + 1, width)
    rows = layer_norm(rows + attended, w["block0_attention_gamma"], w["block0_attention_beta"])
    hidden = np.maximum(rows @ w["block0_mlp0_kernel"] + w["block0_mlp0_bias"], 0)
    hidden = hidden @ w["block0_mlp1_kernel"] + w["block0_mlp1_bias"]
    rows = layer_norm(rows + hidden, w["block0_mlp_gamma"], w["block0_mlp_beta"])
    candidate = rows[:, :slots]
    gates = np.tanh(memory) @ w["gate_memory_kernel"] + (inputs @ w["gate_input_kernel"])[:, None]
    sigmoid = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    input_gate = sigmoid(gates[..., :width] + cell.input_bias)
    forget_gate = sigmoid(gates[..., width:] + cell.forget_bias)
    return (input_gate * np.tanh(candidate) + forget_gate * memory).reshape(batch, -1)


def randomised_cell(seed=0, **kwargs):
    """A built cell whose biases, norms and scales are random too, so each takes part."""
    keras.utils.set_random_seed(seed)
    cell = RelationalMemoryCell(**kwargs)
    cell.build((None, 5))
    rng = np.random.default_rng(seed)
    for variable in cell.weights:
        if "kernel" not in variable.path:
            variable.assign(
                rng.normal(1.0 if "gamma" in variable.path else 0.0, 0.3, variable.shape)
            )
    return cell


@pytest.mark.parametrize(
    "sizes",
    [
        dict(memory_slots=1, head_size=4, num_heads=2),
        dict(memory_slots=3, head_size=3, num_heads=2, key_size=5),
    ],
)
def test_a_step_is_relgans_step(sizes):
    cell = randomised_cell(**sizes)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 5)).astype("float32")
    memory = rng.normal(size=(4, cell.state_size)).astype("float32")
    output, (state,) = cell(x, [memory])
    expected = reference_step(cell, x.astype("float64"), memory.astype("float64"))
    np.testing.assert_allclose(output, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(output, state)


def test_the_initial_memory_is_the_padded_identity():
    cell = RelationalMemoryCell(memory_slots=3, head_size=2, num_heads=2)
    (state,) = cell.get_initial_state(batch_size=2)
    expected = np.concatenate([np.eye(3), np.zeros((3, 1))], axis=1).reshape(-1)
    np.testing.assert_array_equal(state, np.stack([expected, expected]))
    # More slots than features: the identity is cut to the memory's width.
    (state,) = RelationalMemoryCell(memory_slots=3, head_size=1, num_heads=2).get_initial_state(1)
    np.testing.assert_array_equal(state[0], np.eye(3, 2).reshape(-1))


def test_a_large_forget_bias_keeps_the_memory():
    cell = randomised_cell(
        memory_slots=2, head_size=3, num_heads=1, forget_bias=30.0, input_bias=-30.0
    )
    memory = np.random.default_rng(2).normal(size=(3, cell.state_size)).astype("float32")
    output, _ = cell(np.ones((3, 5), "float32"), [memory])
    np.testing.assert_allclose(output, memory, atol=1e-6)


def test_in_keras_rnn_it_learns_a_sequence_task_and_saves(tmp_path):
    """Recall the first of 6 inputs at the end: the memory must carry it through."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 6, 3)).astype("float32")
    y = (x[:, 0, 0] > 0).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((6, 3)),
            keras.layers.RNN(RelationalMemoryCell(memory_slots=2, head_size=4, num_heads=2)),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=40, batch_size=32, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] > 0.95
    path = tmp_path / "rnn.keras"
    model.save(path)
    np.testing.assert_allclose(
        keras.saving.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6
    )
    assert_config_round_trip(model.layers[0].cell)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(memory_slots=0), "memory_slots=0"),
        (dict(head_size=2.5), "head_size=2.5"),
        (dict(num_heads="two"), "num_heads='two'"),
        (dict(key_size=0), "key_size=0"),
    ],
)
def test_bad_sizes_are_refused_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RelationalMemoryCell(**kwargs)
