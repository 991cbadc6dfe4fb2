"""The relational memory core (Santoro et al. 2018) as a Keras RNN cell: RelGAN's generator."""

import math

import keras
from keras import ops

from keras_gan.validation import positive_int

LAYER_NORM_EPSILON = 1e-12  # tf.contrib.layers.layer_norm's, which RelGAN's code calls


@keras.saving.register_keras_serializable(package="keras_gan")
class RelationalMemoryCell(keras.layers.Layer):
    """A recurrent cell whose state is a memory of `memory_slots` rows that attend to
    each other and to the step's input; a drop-in for `keras.layers.LSTMCell` in
    `keras.layers.RNN` and in `keras_gan.models.TextGenerator`.

    Each step, as RelGAN's code computes it (`utils/models/relational_memory.py`):

    1. The input x is projected to a row i of the memory's width
       (`head_size * num_heads`).
    2. The memory M and i, stacked as `memory_slots + 1` rows, go through
       `num_blocks` blocks of multi-head dot-product attention over the rows, each
       followed by a residual connection and layer norm, then an MLP of
       `attention_mlp_layers` layers (ReLU between them), a residual connection
       and layer norm. Layer norm here normalises each sample over all its rows
       and features together (`tf.contrib.layers.layer_norm`'s default, which
       RelGAN calls), with a scale and shift per feature. The queries are scaled
       by (2 key_size + head_size) ** -0.5, as in the reference.
    3. The first `memory_slots` rows are the candidate M'. Gates from i and
       tanh(M) (per unit: LSTM-like input and forget gates, biases
       `input_bias` and `forget_bias`) give the new memory
       sigmoid(input) * tanh(M') + sigmoid(forget) * M.

    The output and the state are the new memory, flattened to
    `memory_slots * head_size * num_heads` features. The initial memory is the
    identity matrix, padded with zeros (each slot starts distinct). Kernels are
    drawn from a normal truncated at two standard deviations of 1/sqrt(fan_in),
    biases and layer-norm shifts start at 0, scales at 1, as in RelGAN's code.

    Args:
        memory_slots: rows of the memory (RelGAN: 1).
        head_size: size of each attention head's values (RelGAN: 256).
        num_heads: attention heads (RelGAN: 2).
        num_blocks: attention blocks per step.
        attention_mlp_layers: layers of the MLP after the attention.
        key_size: size of queries and keys; None: `head_size`.
        forget_bias, input_bias: added to the gates' pre-activations.

    Reference:
        Santoro et al., "Relational recurrent neural networks", NeurIPS 2018,
        arXiv:1806.01822; Nie et al., "RelGAN: Relational Generative Adversarial
        Networks for Text Generation", ICLR 2019 (github.com/weilinie/RelGAN).
    """

    def __init__(
        self,
        memory_slots=1,
        head_size=256,
        num_heads=2,
        num_blocks=1,
        attention_mlp_layers=2,
        key_size=None,
        forget_bias=1.0,
        input_bias=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.memory_slots = positive_int("memory_slots", memory_slots)
        self.head_size = positive_int("head_size", head_size)
        self.num_heads = positive_int("num_heads", num_heads)
        self.num_blocks = positive_int("num_blocks", num_blocks)
        self.attention_mlp_layers = positive_int("attention_mlp_layers", attention_mlp_layers)
        self.key_size = positive_int("key_size", key_size) if key_size is not None else head_size
        self.forget_bias = float(forget_bias)
        self.input_bias = float(input_bias)
        self.memory_size = self.head_size * self.num_heads
        self.state_size = self.memory_slots * self.memory_size
        self.output_size = self.state_size

    def _kernel(self, name, fan_in, fan_out):
        return self.add_weight(
            shape=(fan_in, fan_out),
            initializer=keras.initializers.TruncatedNormal(stddev=1.0 / math.sqrt(fan_in)),
            name=name,
        )

    def _vector(self, name, size, initializer="zeros"):
        return self.add_weight(shape=(size,), initializer=initializer, name=name)

    def build(self, input_shape):
        width = self.memory_size
        qkv = self.num_heads * (2 * self.key_size + self.head_size)
        self.input_kernel = self._kernel("input_kernel", int(input_shape[-1]), width)
        self.input_bias_weight = self._vector("input_bias", width)
        self.blocks = []
        for b in range(self.num_blocks):
            block = {
                "qkv_kernel": self._kernel(f"block{b}_qkv_kernel", width, qkv),
                "qkv_norm": (
                    self._vector(f"block{b}_qkv_gamma", qkv, "ones"),
                    self._vector(f"block{b}_qkv_beta", qkv),
                ),
                "attention_norm": (
                    self._vector(f"block{b}_attention_gamma", width, "ones"),
                    self._vector(f"block{b}_attention_beta", width),
                ),
                "mlp": [
                    (
                        self._kernel(f"block{b}_mlp{i}_kernel", width, width),
                        self._vector(f"block{b}_mlp{i}_bias", width),
                    )
                    for i in range(self.attention_mlp_layers)
                ],
                "mlp_norm": (
                    self._vector(f"block{b}_mlp_gamma", width, "ones"),
                    self._vector(f"block{b}_mlp_beta", width),
                ),
            }
            self.blocks.append(block)
        self.gate_input_kernel = self._kernel("gate_input_kernel", width, 2 * width)
        self.gate_memory_kernel = self._kernel("gate_memory_kernel", width, 2 * width)
        self.built = True

    def get_initial_state(self, batch_size=None):
        """The identity memory, zero-padded (or cut) to the memory's width, flattened."""
        slots = ops.eye(self.memory_slots, self.memory_size, dtype=self.compute_dtype)
        return [ops.tile(ops.reshape(slots, (1, self.state_size)), (batch_size, 1))]

    def _attend(self, rows, block):
        """Multi-head attention over the rows of `rows` `(batch, n, width)`."""
        block_qkv = 2 * self.key_size + self.head_size
        qkv = _layer_norm(ops.matmul(rows, block["qkv_kernel"]), *block["qkv_norm"])
        n = ops.shape(qkv)[1]
        qkv = ops.transpose(ops.reshape(qkv, (-1, n, self.num_heads, block_qkv)), (0, 2, 1, 3))
        q = qkv[..., : self.key_size] * block_qkv**-0.5
        k = qkv[..., self.key_size : 2 * self.key_size]
        v = qkv[..., 2 * self.key_size :]
        weights = ops.softmax(ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))), axis=-1)
        attended = ops.transpose(ops.matmul(weights, v), (0, 2, 1, 3))
        return ops.reshape(attended, (-1, n, self.memory_size))

    def call(self, inputs, states, training=False):
        memory = ops.reshape(states[0], (-1, self.memory_slots, self.memory_size))
        row = ops.matmul(inputs, self.input_kernel) + self.input_bias_weight
        rows = ops.concatenate([memory, row[:, None, :]], axis=1)
        for block in self.blocks:
            rows = _layer_norm(rows + self._attend(rows, block), *block["attention_norm"])
            hidden = rows
            for i, (kernel, bias) in enumerate(block["mlp"]):
                hidden = ops.matmul(hidden, kernel) + bias
                if i < len(block["mlp"]) - 1:
                    hidden = ops.relu(hidden)
            rows = _layer_norm(rows + hidden, *block["mlp_norm"])
        candidate = rows[:, : self.memory_slots]
        gates = (
            ops.matmul(ops.tanh(memory), self.gate_memory_kernel)
            + ops.matmul(row, self.gate_input_kernel)[:, None, :]
        )
        input_gate = ops.sigmoid(gates[..., : self.memory_size] + self.input_bias)
        forget_gate = ops.sigmoid(gates[..., self.memory_size :] + self.forget_bias)
        memory = input_gate * ops.tanh(candidate) + forget_gate * memory
        output = ops.reshape(memory, (-1, self.state_size))
        return output, [output]

    def get_config(self):
        config = super().get_config()
        config.update(
            memory_slots=self.memory_slots,
            head_size=self.head_size,
            num_heads=self.num_heads,
            num_blocks=self.num_blocks,
            attention_mlp_layers=self.attention_mlp_layers,
            key_size=self.key_size,
            forget_bias=self.forget_bias,
            input_bias=self.input_bias,
        )
        return config


def _layer_norm(x, gamma, beta):
    """Each sample of `(batch, rows, features)` normalised over rows and features together,
    then scaled and shifted per feature."""
    mean = ops.mean(x, axis=(1, 2), keepdims=True)
    variance = ops.mean(ops.square(x - mean), axis=(1, 2), keepdims=True)
    return (x - mean) * ops.rsqrt(variance + LAYER_NORM_EPSILON) * gamma + beta
