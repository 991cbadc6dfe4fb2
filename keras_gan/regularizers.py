"""Weight regularisers of the published GAN recipes, as Keras regularisers."""

import math

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class BigGANOrthogonalRegularizer(keras.regularizers.Regularizer):
    """BigGAN's orthogonal regularisation: (strength / 2) * ||W W^T * (1 - I)||_F^2.

    W is the kernel as a matrix with one row per output unit (a convolution's
    filters flattened). Only the off-diagonal products are penalised: filters
    are pushed apart without fixing their norms (which spectral norm
    handles). Its gradient, 2 * strength * (W W^T * (1 - I)) W, is the update
    BigGAN-PyTorch adds (`utils.ortho`); the paper writes the penalty as
    strength * ||.||_F^2, twice this, for the same beta of 1e-4.

    Not `keras.regularizers.OrthogonalRegularizer`: that one normalises the
    rows and penalises the mean absolute cosine between them.

    Args:
        strength: beta (BigGAN: 1e-4).

    Reference:
        Brock, Donahue & Simonyan, "Large Scale GAN Training for High
        Fidelity Natural Image Synthesis", ICLR 2019, arXiv:1809.11096,
        section 3.1, equation 3.
    """

    def __init__(self, strength=1e-4):
        strength = float(strength)
        if not (math.isfinite(strength) and strength > 0):
            raise ValueError(f"`strength` must be a number > 0. Received: strength={strength}")
        self.strength = strength

    def __call__(self, kernel):
        rows = ops.transpose(ops.reshape(ops.cast(kernel, "float32"), (-1, kernel.shape[-1])))
        gram = ops.matmul(rows, ops.transpose(rows))
        off_diagonal = gram * (1.0 - ops.eye(kernel.shape[-1]))
        return 0.5 * self.strength * ops.sum(ops.square(off_diagonal))

    def get_config(self):
        return {"strength": self.strength}


def regularize_kernels(model, regularizer, exclude=()):
    """Sets `regularizer` on every Dense and Conv kernel of `model` (nested layers
    too) but those of the layers in `exclude`. Keras then adds its terms to
    `model.losses`, which the GAN's step adds to the loss of that network."""
    excluded = {id(layer) for layer in exclude}
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if id(layer) in excluded:
            continue
        kernel = getattr(layer, "kernel", None)
        # Conv2DTranspose is left out: its kernel's last axis is its inputs.
        if kernel is not None and isinstance(layer, (keras.layers.Dense, keras.layers.Conv2D)):
            kernel.regularizer = regularizer
