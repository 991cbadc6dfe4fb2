"""The two benchmarked training steps written by hand over plain tf.Variables.

These are the floor of framework overhead: what a user would write without
Keras, one `tf.function` per step, the same arithmetic as `GAN.fit` runs for
`configs/paper_mnist.cfg` and `configs/dcgan_mnist.cfg` (same layer shapes,
losses, dropout, batch statistics, optimizer updates), and nothing else.
Weights are initialised roughly as Keras does; the values do not matter for
speed.

Each class also counts its step's floating-point operations analytically
(`step_flops`): 2 FLOPs per multiply-add of every dense, convolution and
transposed-convolution layer, for the forward pass, the weight gradients
and the input gradients the step needs. Elementwise work (activations,
dropout, batch normalisation, the optimizer update) is left out; it is a
few percent of these models' FLOPs.
"""

import math

import numpy as np
import tensorflow as tf

SQRT3 = math.sqrt(3.0)


def _glorot(rng, shape, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return tf.Variable(rng.uniform(-limit, limit, shape).astype(np.float32))


def _zeros(shape):
    return tf.Variable(tf.zeros(shape))


def _pass_flops(macs, batch, weight_grads, input_grads_to_input):
    """FLOPs of one forward pass over `batch` samples plus the gradients taken through it.

    `macs` are a network's multiply-adds per sample, layer by layer. The
    backward pass costs one multiply-add per forward one for the weight
    gradients (if wanted) and one for the input gradients of every layer
    whose input needs a gradient: all but the first, or all of them when the
    gradient flows on to the network's input.
    """
    forward = sum(macs)
    backward = 0
    if weight_grads is not None:
        backward += sum(macs) if weight_grads else 0
        backward += sum(macs) if input_grads_to_input else sum(macs[1:])
    return 2 * batch * (forward + backward)


def _simultaneous_step_flops(g_macs, d_macs, batch):
    """FLOPs of the paper's update: one forward pass, both networks' gradients."""
    return (
        _pass_flops(g_macs, batch, weight_grads=None, input_grads_to_input=False)
        # D's weight gradients on real and generated halves:
        + _pass_flops(d_macs, 2 * batch, weight_grads=True, input_grads_to_input=False)
        # G's loss: back through D (inputs only, forward already counted)
        # and through G (weights, hidden inputs).
        + 2 * batch * sum(d_macs)
        + 2 * batch * (sum(g_macs) + sum(g_macs[1:]))
    )


def _alternating_step_flops(g_macs, d_macs, batch):
    """FLOPs of one discriminator update then one generator update (Algorithm 1, k=1)."""
    d_update = _pass_flops(g_macs, batch, weight_grads=None, input_grads_to_input=False) + (
        _pass_flops(d_macs, 2 * batch, weight_grads=True, input_grads_to_input=False)
    )
    g_update = (
        2 * batch * sum(g_macs)  # G forward
        + 2 * batch * 2 * sum(d_macs)  # D forward and its input gradients
        + 2 * batch * (sum(g_macs) + sum(g_macs[1:]))  # G's weight and hidden input gradients
    )
    return d_update + g_update


class PaperMnistStep:
    """`paper_mnist_gan`'s update: simultaneous, maxout D with dropout, scheduled SGD.

    Args:
        latent_dim, g_units, d_units, d_pieces, data_dim, input_dropout,
            hidden_dropout: the networks, as in `configs/paper_mnist.cfg`.
        steps_per_epoch: places the momentum ramp (500 in the paper).
        jit_compile: XLA-compile the step.
    """

    def __init__(
        self,
        latent_dim=100,
        g_units=(1200, 1200),
        d_units=(240, 240),
        d_pieces=5,
        data_dim=784,
        input_dropout=0.2,
        hidden_dropout=0.5,
        steps_per_epoch=500,
        jit_compile=True,
    ):
        rng = np.random.default_rng(0)
        self.latent_dim = latent_dim
        self.d_pieces = d_pieces
        self.input_dropout = input_dropout
        self.hidden_dropout = hidden_dropout
        self.steps_per_epoch = steps_per_epoch
        g_sizes = [latent_dim, *g_units, data_dim]
        self.g_layers = [
            (_glorot(rng, (n_in, n_out), n_in, n_out), _zeros((n_out,)))
            for n_in, n_out in zip(g_sizes[:-1], g_sizes[1:], strict=True)
        ]
        d_in = [data_dim, *d_units]
        self.d_layers = [
            (
                _glorot(rng, (n_in, units * d_pieces), n_in, units * d_pieces),
                _zeros((units * d_pieces,)),
            )
            for n_in, units in zip(d_in[:-1], d_units, strict=True)
        ]
        self.d_layers.append((_glorot(rng, (d_units[-1], 1), d_units[-1], 1), _zeros((1,))))
        self.g_variables = [v for layer in self.g_layers for v in layer]
        self.d_variables = [v for layer in self.d_layers for v in layer]
        self.velocities = [_zeros(v.shape) for v in self.g_variables + self.d_variables]
        self.iterations = tf.Variable(0, dtype=tf.int64)
        self.g_macs = [int(np.prod(kernel.shape)) for kernel, _ in self.g_layers]
        self.d_macs = [int(np.prod(kernel.shape)) for kernel, _ in self.d_layers]
        self.step = tf.function(self._step, jit_compile=jit_compile)

    def step_flops(self, batch):
        return _simultaneous_step_flops(self.g_macs, self.d_macs, batch)

    def generator(self, z):
        x = z
        for i, (kernel, bias) in enumerate(self.g_layers):
            x = tf.matmul(x, kernel) + bias
            x = tf.nn.relu(x) if i < len(self.g_layers) - 1 else tf.sigmoid(x)
        return x

    def discriminator_logits(self, x, seed):
        x = tf.nn.experimental.stateless_dropout(x, self.input_dropout, seed=seed)
        for i, (kernel, bias) in enumerate(self.d_layers[:-1]):
            pieces = tf.matmul(x, kernel) + bias
            x = tf.reduce_max(
                tf.reshape(pieces, (-1, pieces.shape[-1] // self.d_pieces, self.d_pieces)), -1
            )
            layer_seed = tf.random.experimental.stateless_fold_in(seed, i + 1)
            x = tf.nn.experimental.stateless_dropout(x, self.hidden_dropout, seed=layer_seed)
        kernel, bias = self.d_layers[-1]
        return tf.reshape(tf.matmul(x, kernel) + bias, (-1,))

    def _step(self, real):
        real = tf.reshape(real, (tf.shape(real)[0], -1))
        seed = tf.stack([self.iterations, tf.constant(0, tf.int64)])
        fold = tf.random.experimental.stateless_fold_in
        z = tf.random.stateless_uniform(
            (tf.shape(real)[0], self.latent_dim), fold(seed, 0), minval=-SQRT3, maxval=SQRT3
        )
        with tf.GradientTape(persistent=True) as tape:
            fake = self.generator(z)
            real_logits = self.discriminator_logits(real, fold(seed, 1))
            fake_logits = self.discriminator_logits(fake, fold(seed, 2))
            d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(
                tf.nn.softplus(fake_logits)
            )
            g_loss = tf.reduce_mean(tf.nn.softplus(-fake_logits))
            d_objective = 0.5 * d_loss
        d_grads = tape.gradient(d_objective, self.d_variables)
        g_grads = tape.gradient(g_loss, self.g_variables)
        del tape
        step = tf.cast(self.iterations, tf.float32)
        learning_rate = tf.maximum(0.1 * tf.exp(-math.log(1.000004) * step), 1e-6)
        ramp = (step - self.steps_per_epoch) / (249 * self.steps_per_epoch)
        momentum = 0.5 + 0.2 * tf.clip_by_value(ramp, 0.0, 1.0)
        for variable, velocity, grad in zip(
            self.g_variables + self.d_variables, self.velocities, g_grads + d_grads, strict=True
        ):
            velocity.assign(momentum * velocity - learning_rate * grad)
            variable.assign_add(velocity)
        self.iterations.assign_add(1)
        return d_loss, g_loss


class DCGANStep:
    """`configs/dcgan_mnist.cfg`'s update: BatchNorm generator, strided-conv D, Adam.

    One discriminator update on the real batch and fresh normal noise, then
    one generator update on fresh noise, for 28x28x1 images.

    Args:
        latent_dim: noise size (100).
        filters: the discriminator's first (and the generator's last hidden)
            filter count (64).
        jit_compile: XLA-compile the step.
    """

    def __init__(self, latent_dim=100, filters=64, jit_compile=True):
        rng = np.random.default_rng(0)
        self.latent_dim = latent_dim
        top = 2 * filters
        k = 5
        self.top = top
        self.filters = filters
        # Generator: dense to 7x7xtop (no bias) + BN, 5x5 stride-2 transposed
        # conv to 14x14xfilters (no bias) + BN, transposed conv to 28x28x1 + bias.
        self.g_project = _glorot(rng, (latent_dim, 7 * 7 * top), latent_dim, 7 * 7 * top)
        self.g_up = _glorot(rng, (k, k, filters, top), k * k * top, k * k * filters)
        self.g_out = _glorot(rng, (k, k, 1, filters), k * k * filters, k * k)
        self.g_out_bias = _zeros((1,))
        self.g_norms = [(tf.Variable(tf.ones((n,))), _zeros((n,))) for n in (7 * 7 * top, filters)]
        self.g_moving = [(_zeros((n,)), tf.Variable(tf.ones((n,)))) for n in (7 * 7 * top, filters)]
        # Discriminator: two 5x5 stride-2 convs (filters, top) with LeakyReLU(0.2), dense logit.
        self.d_conv1 = _glorot(rng, (k, k, 1, filters), k * k, k * k * filters)
        self.d_conv2 = _glorot(rng, (k, k, filters, top), k * k * filters, k * k * top)
        self.d_biases = [_zeros((filters,)), _zeros((top,))]
        self.d_logit = _glorot(rng, (7 * 7 * top, 1), 7 * 7 * top, 1)
        self.d_logit_bias = _zeros((1,))
        self.g_variables = [
            self.g_project,
            *self.g_norms[0],
            self.g_up,
            *self.g_norms[1],
            self.g_out,
            self.g_out_bias,
        ]
        self.d_variables = [
            self.d_conv1,
            self.d_conv2,
            *self.d_biases,
            self.d_logit,
            self.d_logit_bias,
        ]
        self.g_adam = _Adam(self.g_variables)
        self.d_adam = _Adam(self.d_variables)
        self.iterations = tf.Variable(0, dtype=tf.int64)
        # Multiply-adds per sample, layer by layer.
        self.g_macs = [
            latent_dim * 7 * 7 * top,
            7 * 7 * top * k * k * filters,  # transposed conv: per input position
            14 * 14 * filters * k * k * 1,
        ]
        self.d_macs = [
            14 * 14 * filters * k * k * 1,  # conv: per output position
            7 * 7 * top * k * k * filters,
            7 * 7 * top,
        ]
        self.step = tf.function(self._step, jit_compile=jit_compile)

    def step_flops(self, batch):
        return _alternating_step_flops(self.g_macs, self.d_macs, batch)

    def _norm(self, x, index, axes):
        gamma, beta = self.g_norms[index]
        moving_mean, moving_variance = self.g_moving[index]
        mean, variance = tf.nn.moments(x, axes)
        moving_mean.assign(0.99 * moving_mean + 0.01 * mean)
        moving_variance.assign(0.99 * moving_variance + 0.01 * variance)
        return tf.nn.batch_normalization(x, mean, variance, beta, gamma, 1e-3)

    def generator(self, z):
        batch = tf.shape(z)[0]
        x = tf.nn.relu(self._norm(tf.matmul(z, self.g_project), 0, [0]))
        x = tf.reshape(x, (batch, 7, 7, self.top))
        x = tf.nn.conv2d_transpose(x, self.g_up, (batch, 14, 14, self.filters), 2, "SAME")
        x = tf.nn.relu(self._norm(x, 1, [0, 1, 2]))
        x = tf.nn.conv2d_transpose(x, self.g_out, (batch, 28, 28, 1), 2, "SAME")
        return tf.sigmoid(x + self.g_out_bias)

    def discriminator_logits(self, x):
        x = tf.nn.leaky_relu(tf.nn.conv2d(x, self.d_conv1, 2, "SAME") + self.d_biases[0], 0.2)
        x = tf.nn.leaky_relu(tf.nn.conv2d(x, self.d_conv2, 2, "SAME") + self.d_biases[1], 0.2)
        x = tf.reshape(x, (tf.shape(x)[0], -1))
        return tf.reshape(tf.matmul(x, self.d_logit) + self.d_logit_bias, (-1,))

    def _step(self, real):
        batch = tf.shape(real)[0]
        seed = tf.stack([self.iterations, tf.constant(0, tf.int64)])
        fold = tf.random.experimental.stateless_fold_in
        z = tf.random.stateless_normal((batch, self.latent_dim), fold(seed, 0))
        with tf.GradientTape() as tape:
            fake = self.generator(z)
            real_logits = self.discriminator_logits(real)
            fake_logits = self.discriminator_logits(fake)
            d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(
                tf.nn.softplus(fake_logits)
            )
        self.d_adam.apply(tape.gradient(d_loss, self.d_variables))
        z = tf.random.stateless_normal((batch, self.latent_dim), fold(seed, 1))
        with tf.GradientTape() as tape:
            g_loss = tf.reduce_mean(tf.nn.softplus(-self.discriminator_logits(self.generator(z))))
        self.g_adam.apply(tape.gradient(g_loss, self.g_variables))
        self.iterations.assign_add(1)
        return d_loss, g_loss


class _Adam:
    """Adam(2e-4, beta_1=0.5) as Keras computes it, over a list of variables."""

    def __init__(self, variables, learning_rate=2e-4, beta_1=0.5, beta_2=0.999, epsilon=1e-7):
        self.variables = variables
        self.m = [_zeros(v.shape) for v in variables]
        self.v = [_zeros(v.shape) for v in variables]
        self.t = tf.Variable(0.0)
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def apply(self, grads):
        self.t.assign_add(1.0)
        alpha = self.learning_rate * tf.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        for variable, m, v, grad in zip(self.variables, self.m, self.v, grads, strict=True):
            m.assign_add((grad - m) * (1 - self.beta_1))
            v.assign_add((tf.square(grad) - v) * (1 - self.beta_2))
            variable.assign_sub(alpha * m / (tf.sqrt(v) + self.epsilon))


STEPS = {"paper": PaperMnistStep, "dcgan": DCGANStep}
