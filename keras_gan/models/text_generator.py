"""A recurrent generator of token sequences: maximum likelihood by teacher forcing,
sampling at a temperature, and Gumbel-softmax relaxed samples for the GAN game."""

import math

import keras
import tensorflow as tf
from keras import ops

GUMBEL_EPSILON = 1e-7  # keeps -log(-log(u)) finite at the ends of u's range


@keras.saving.register_keras_serializable(package="keras_gan")
class TextGenerator(keras.Model):
    """A recurrent language model over `vocab_size` token ids, `length` tokens per
    sequence: an LSTM, or any Keras RNN cell (RelGAN's relational memory:
    `keras_gan.layers.RelationalMemoryCell`).

    Every sequence starts from the padding id 0 as input; each step embeds the
    previous token, runs the cell and projects its output to `vocab_size`
    logits. Three ways to use it:

    - `logits(ids)`: teacher forcing, `(batch, length, vocab_size)` logits of
      every next token, for maximum likelihood (`MaximumLikelihood`) and NLL.
    - `sample(num_samples, seed, temperature)`: token ids, each drawn from
      softmax(logits / temperature).
    - `generator(z)`, the GAN's G: z holds the Gumbel noise of every step,
      `(batch, length * vocab_size)` uniform on [-sqrt(3), sqrt(3)] (keras_gan's
      `"uniform"` latent distribution, mapped to (0, 1)). Step t takes the
      token argmax(logits + g_t) (Gumbel-max: an exact draw from softmax(logits))
      as the next input and outputs the relaxed one-hot
      softmax(inverse_temperature * (logits + g_t)), through which D's gradient
      reaches G (Kusner & Hernandez-Lobato 2016; RelGAN, Nie et al. 2019).
      The output is `(batch, length, vocab_size)`; its argmax is the sample.
      `inverse_temperature` is a non-trainable weight a schedule raises
      (`keras_gan.callbacks.GumbelTemperature`).

    Args:
        vocab_size: number of token ids (padding and unknown included).
        length: tokens per sequence.
        embedding_dim: size of the token embedding (32 in Texygen and RelGAN).
        units: LSTM units (32 in Texygen's MLE and SeqGAN); used only when
            `cell` is None.
        cell: a Keras RNN cell (a layer with `state_size` and
            `call(inputs, states)`, as `keras.layers.RNN` takes), or None for
            `keras.layers.LSTMCell(units)`. Its initial state is its
            `get_initial_state` if it has one, zeros otherwise.
        initializer: None (Keras' defaults), or a Keras initializer (an instance,
            name or config) for every weight of the embedding, the output layer
            and, when `cell` is None, the LSTM (kernels, biases, no forget-gate
            bias of 1), each drawing its own values. SeqGAN's code draws every
            weight from N(0, 0.1): `keras.initializers.RandomNormal(stddev=0.1)`.
            A given `cell` keeps its own initialisers. Pass an unseeded one
            (`keras.utils.set_random_seed` seeds it): a seeded initializer draws
            the same values for weights of the same shape.
        context_dim: 0, or the size of a context vector joined to every step's
            input embedding: a decoder of codes (`TextAutoencoder`), whose
            `logits` and `sample` then take `context`, `(batch, context_dim)`.

    Reference:
        Kusner & Hernandez-Lobato, "GANS for Sequences of Discrete Elements with
        the Gumbel-softmax Distribution", arXiv:1611.04051; Nie et al., "RelGAN:
        Relational Generative Adversarial Networks for Text Generation", ICLR 2019.
    """

    def __init__(
        self,
        vocab_size,
        length,
        embedding_dim=32,
        units=32,
        cell=None,
        initializer=None,
        context_dim=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, value in (
            ("vocab_size", vocab_size),
            ("length", length),
            ("embedding_dim", embedding_dim),
            ("units", units),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"`{name}` must be a positive int. Received: {name}={value!r}")
        if vocab_size < 2:
            raise ValueError(f"`vocab_size` must be >= 2. Received: vocab_size={vocab_size}")
        if not isinstance(context_dim, int) or isinstance(context_dim, bool) or context_dim < 0:
            raise ValueError(
                f"`context_dim` must be an int >= 0. Received: context_dim={context_dim!r}"
            )
        self.context_dim = context_dim
        self.vocab_size = vocab_size
        self.length = length
        self.embedding_dim = embedding_dim
        self.units = units
        self.latent_dim = length * vocab_size
        self.initializer = None if initializer is None else keras.initializers.get(initializer)
        self.embedding = keras.layers.Embedding(
            vocab_size,
            embedding_dim,
            embeddings_initializer=self._init("uniform"),
            name="embedding",
        )
        if isinstance(cell, dict):
            cell = keras.saving.deserialize_keras_object(cell)
        if cell is not None and not (
            isinstance(cell, keras.layers.Layer) and hasattr(cell, "state_size")
        ):
            raise ValueError(
                "`cell` must be a Keras RNN cell (a layer with `state_size`) or None. "
                f"Received: cell={cell!r}"
            )
        if cell is None:
            cell = keras.layers.LSTMCell(
                units,
                kernel_initializer=self._init("glorot_uniform"),
                recurrent_initializer=self._init("orthogonal"),
                bias_initializer=self._init("zeros"),
                unit_forget_bias=self.initializer is None,
                name="lstm",
            )
        self.cell = cell
        self.rnn = keras.layers.RNN(self.cell, return_sequences=True, name="rnn")
        self.projection = keras.layers.Dense(
            vocab_size,
            kernel_initializer=self._init("glorot_uniform"),
            bias_initializer=self._init("zeros"),
            name="logits",
        )
        self.inverse_temperature = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(1.0),
            trainable=False,
            name="inverse_temperature",
        )

    def _init(self, default):
        """A fresh copy of `initializer` (its own draws), or the Keras layer's `default`."""
        if self.initializer is None:
            return default
        return self.initializer.__class__.from_config(self.initializer.get_config())

    def build(self, input_shape=None):
        ids = ops.zeros((1, self.length), "int32")
        context = ops.zeros((1, self.context_dim)) if self.context_dim else None
        self.logits(ids, context=context)
        self.built = True

    def logits(self, ids, training=False, context=None):
        """Teacher forcing: logits of token t given tokens before t, for every t.

        Args:
            ids: `(batch, length)` int token ids.
            context: `(batch, context_dim)` floats joined to every step's input;
                only (and always) for a generator with `context_dim`.

        Returns:
            `(batch, length, vocab_size)` float logits.
        """
        ids = ops.cast(ids, "int32")
        start = ops.zeros_like(ids[:, :1])
        inputs = self.embedding(ops.concatenate([start, ids[:, :-1]], axis=1))
        context = self._check_context(context)
        if context is not None:
            steps = ops.repeat(ops.expand_dims(context, 1), self.length, axis=1)
            inputs = ops.concatenate([inputs, ops.cast(steps, inputs.dtype)], axis=-1)
        return self.projection(self.rnn(inputs, training=training))

    def _check_context(self, context):
        """`context` as a tensor, or raises when given to a generator without
        `context_dim` or missing from one with it."""
        if (context is None) != (self.context_dim == 0):
            raise ValueError(
                f"This TextGenerator has context_dim={self.context_dim}, so it needs "
                f"{'a' if self.context_dim else 'no'} `context`. Received: "
                f"context={'None' if context is None else 'a tensor'}"
            )
        return None if context is None else ops.convert_to_tensor(context)

    def _decode(self, batch_size, pick, training=False, context=None):
        """Runs the recurrence for `length` steps; `pick(t, logits)` returns the
        next input token and the step's output. Returns the stacked outputs."""
        context = self._check_context(context)
        state = self.rnn.get_initial_state(batch_size)
        token = ops.zeros((batch_size,), "int32")
        outputs = []
        for t in range(self.length):
            inputs = self.embedding(token)
            if context is not None:
                inputs = ops.concatenate([inputs, ops.cast(context, inputs.dtype)], axis=-1)
            hidden, state = self.cell(inputs, state, training=training)
            token, output = pick(t, self.projection(hidden))
            outputs.append(output)
        return ops.stack(outputs, axis=1)

    def call(self, z, training=False):
        """Relaxed one-hot samples `(batch, length, vocab_size)` from Gumbel noise z."""
        z = ops.convert_to_tensor(z)
        batch_size = ops.shape(z)[0]
        uniform = ops.clip((z / math.sqrt(3.0) + 1.0) / 2.0, GUMBEL_EPSILON, 1.0 - GUMBEL_EPSILON)
        gumbel = -ops.log(-ops.log(uniform))
        gumbel = ops.reshape(gumbel, (batch_size, self.length, self.vocab_size))

        def pick(t, logits):
            perturbed = logits + ops.cast(gumbel[:, t], logits.dtype)
            token = ops.cast(ops.argmax(perturbed, axis=-1), "int32")
            relaxed = ops.softmax(
                ops.cast(self.inverse_temperature, logits.dtype) * perturbed, axis=-1
            )
            return ops.stop_gradient(token), relaxed

        return self._decode(batch_size, pick, training=training)

    def sample(self, num_samples, seed=0, temperature=1.0, context=None):
        """`(num_samples, length)` int32 token ids, each step drawn from
        softmax(logits / temperature) with stateless random ops (the same seed
        gives the same ids in any process).

        Args:
            num_samples: int or scalar int tensor.
            seed: an int or a shape-`(2,)` integer seed tensor.
            temperature: > 0; 1 samples the model's own distribution, lower is
                greedier, higher more uniform.
            context: `(num_samples, context_dim)`, as in `logits`.
        """
        if isinstance(temperature, int | float) and not temperature > 0:
            raise ValueError(f"`temperature` must be > 0. Received: temperature={temperature}")
        if isinstance(seed, int):
            seed = tf.constant([seed, 0], tf.int64)
        seed = tf.cast(seed, tf.int64)
        temperature = tf.cast(temperature, "float32")

        def pick(t, logits):
            token = _draw(logits, seed, t, temperature)
            return token, token

        return self._decode(num_samples, pick, context=context)

    def complete(self, ids, given, seed, temperature=1.0):
        """Monte-Carlo completions: the first `given` tokens of each row of `ids` kept,
        the rest drawn from the generator conditioned on them (SeqGAN's rollouts).

        Args:
            ids: `(batch, length)` int token ids.
            given: int or scalar int tensor in [0, length].
            seed: a shape-`(2,)` integer seed tensor.
            temperature: as in `sample`.

        Returns:
            `(batch, length)` int32 ids.
        """
        ids = ops.cast(ids, "int32")
        seed = tf.cast(seed, tf.int64)
        temperature = tf.cast(temperature, "float32")

        def pick(t, logits):
            token = ops.where(t < given, ids[:, t], _draw(logits, seed, t, temperature))
            return token, token

        return self._decode(ops.shape(ids)[0], pick)

    def get_config(self):
        config = super().get_config()
        config.update(
            vocab_size=self.vocab_size,
            length=self.length,
            embedding_dim=self.embedding_dim,
            units=self.units,
        )
        if self.context_dim:
            config["context_dim"] = self.context_dim
        if not isinstance(self.cell, keras.layers.LSTMCell):
            config["cell"] = keras.saving.serialize_keras_object(self.cell)
        if self.initializer is not None:
            config["initializer"] = keras.initializers.serialize(self.initializer)
        return config


def _draw(logits, seed, step, temperature):
    """Step `step`'s tokens from softmax(logits / temperature), stateless from `seed`."""
    step_seed = tf.random.experimental.stateless_fold_in(seed, step)
    return tf.random.stateless_categorical(
        tf.cast(logits, "float32") / temperature, 1, step_seed, dtype=tf.int32
    )[:, 0]
