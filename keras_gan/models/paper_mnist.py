"""The 2014 paper's MNIST experiment as one compiled GAN."""

from keras_gan.models.gan import GAN
from keras_gan.models.maxout_discriminator import MaxoutDiscriminator
from keras_gan.models.mlp_generator import MLPGenerator
from keras_gan.optimizers.scheduled_momentum_sgd import paper_mnist_sgd


def paper_mnist_gan(output_bias_marginals=None, steps_per_epoch=500, seed=None):
    """Builds and compiles the published MNIST GAN (goodfeli/adversarial `mnist.yaml`).

    MLP generator (100-d uniform noise on [-sqrt(3), sqrt(3)], 1200-1200 ReLU,
    784 sigmoid), maxout discriminator (240x5, 240x5, dropout 0.2/0.5),
    simultaneous updates of both networks from one minibatch as the published
    code did, the non-saturating generator loss, the discriminator loss halved
    (`d_obj = 0.5 * (...)` in `AdversaryCost2`), and for each network SGD with
    learning rate 0.1 / 1.000004^t (floor 1e-6) and momentum 0.5 -> 0.7 by
    epoch 250. Train with batches of 100 images in [0, 1].

    Args:
        output_bias_marginals: mean of each training pixel (784 values in
            [0, 1]) to initialise the generator's output bias, as the paper.
        steps_per_epoch: updates per epoch (500 for 50,000 images).
        seed: seed of the GAN's noise.

    Returns:
        A compiled `GAN`.
    """
    generator = MLPGenerator(output_bias_marginals=output_bias_marginals, name="generator")
    discriminator = MaxoutDiscriminator(name="discriminator")
    gan = GAN(
        generator,
        discriminator,
        latent_distribution="uniform",
        simultaneous_updates=True,
        seed=seed,
        name="paper_mnist_gan",
    )
    gan.compile(
        d_optimizer=paper_mnist_sgd(steps_per_epoch),
        g_optimizer=paper_mnist_sgd(steps_per_epoch),
        loss="non_saturating",
        d_loss_weight=0.5,
    )
    return gan
