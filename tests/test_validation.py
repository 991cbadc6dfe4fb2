"""Bad constructor arguments name the argument and the value received."""

import pytest

from keras_gan.layers import Maxout
from keras_gan.models import DCGANDiscriminator
from keras_gan.models import DCGANGenerator
from keras_gan.models import MaxoutDiscriminator
from keras_gan.models import MLPGenerator


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: MLPGenerator(latent_dim=0),
            "`latent_dim` must be a positive integer. Received: latent_dim=0",
        ),
        (lambda: DCGANGenerator(latent_dim=2.5), "Received: latent_dim=2.5"),
        (lambda: Maxout(units="many", num_pieces=2), "Received: units='many'"),
        (lambda: Maxout(units=True, num_pieces=2), "Received: units=True"),
        (
            lambda: MaxoutDiscriminator(input_dropout=1.0),
            r"`input_dropout` must be in \[0, 1\). Received: input_dropout=1.0",
        ),
        (lambda: MaxoutDiscriminator(hidden_dropout=-0.1), "Received: hidden_dropout=-0.1"),
        (lambda: DCGANDiscriminator(dropout=1.5), "Received: dropout=1.5"),
        (lambda: DCGANDiscriminator(dropout="half"), r"\[0, 1\). Received: dropout='half'"),
        (lambda: MaxoutDiscriminator(hidden_dropout=float("nan")), "Received: hidden_dropout=nan"),
    ],
)
def test_bad_argument_is_named_with_its_value(make, message):
    with pytest.raises(ValueError, match=message):
        make()
