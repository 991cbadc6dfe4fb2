"""Weight initializers of the paper's networks."""

import keras


def uniform(init_range):
    """A new `RandomUniform(-init_range, init_range)` instance, for one layer.

    Call it once per layer. A Keras 3 initializer created without a seed fixes
    one when it is created, so an instance shared by several layers gives them
    all the same numbers: each layer's kernel would start as a copy of the
    first values of another's.
    """
    return keras.initializers.RandomUniform(-init_range, init_range)
