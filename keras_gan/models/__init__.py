"""Generators, discriminators, and the `GAN` model that trains them."""

from keras_gan.models.bigan import BiGAN
from keras_gan.models.biggan import BigGANGenerator
from keras_gan.models.dcgan_discriminator import DCGANDiscriminator
from keras_gan.models.dcgan_encoder import DCGANEncoder
from keras_gan.models.dcgan_generator import DCGANGenerator
from keras_gan.models.gan import GAN
from keras_gan.models.generator_average import RampedAverage
from keras_gan.models.infogan import InfoGAN
from keras_gan.models.infogan import InfoGANDiscriminator
from keras_gan.models.infogan import InfoGANGenerator
from keras_gan.models.language_model import MaximumLikelihood
from keras_gan.models.latent_regression import LatentRegression
from keras_gan.models.maxout_discriminator import MaxoutDiscriminator
from keras_gan.models.mlp_encoder import MLPEncoder
from keras_gan.models.mlp_generator import MLPGenerator
from keras_gan.models.paper_cifar10 import paper_cifar10_gan
from keras_gan.models.paper_cifar10 import paper_cifar10_networks
from keras_gan.models.paper_mnist import paper_mnist_gan
from keras_gan.models.resnet import ResNetDiscriminator
from keras_gan.models.resnet import ResNetGenerator
from keras_gan.models.seqgan import SeqGAN
from keras_gan.models.stylegan2 import MappingNetwork
from keras_gan.models.stylegan2 import StyleGAN2Discriminator
from keras_gan.models.stylegan2 import StyleGAN2Generator
from keras_gan.models.text_autoencoder import CodeTextGenerator
from keras_gan.models.text_autoencoder import TextAutoencoder
from keras_gan.models.text_discriminator import TextDiscriminator
from keras_gan.models.text_gan import text_gan
from keras_gan.models.text_generator import TextGenerator

__all__ = [
    "BiGAN",
    "CodeTextGenerator",
    "BigGANGenerator",
    "DCGANDiscriminator",
    "DCGANEncoder",
    "DCGANGenerator",
    "GAN",
    "InfoGAN",
    "InfoGANDiscriminator",
    "InfoGANGenerator",
    "LatentRegression",
    "MLPEncoder",
    "MappingNetwork",
    "MaximumLikelihood",
    "MLPGenerator",
    "MaxoutDiscriminator",
    "RampedAverage",
    "ResNetDiscriminator",
    "ResNetGenerator",
    "SeqGAN",
    "StyleGAN2Discriminator",
    "StyleGAN2Generator",
    "TextAutoencoder",
    "TextDiscriminator",
    "TextGenerator",
    "paper_cifar10_gan",
    "paper_cifar10_networks",
    "paper_mnist_gan",
    "text_gan",
]
