"""The two benchmarked training steps in PyTorch: what a user might pick instead.

Same layer shapes, losses, dropout, batch statistics and optimizer updates as
`reference_steps.py` (and so as `GAN.fit` on the two configs). Imported only
when `torch` is installed; keras_gan does not depend on it.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

SQRT3 = math.sqrt(3.0)


class _Maxout(nn.Module):
    def __init__(self, n_in, units, pieces):
        super().__init__()
        self.linear = nn.Linear(n_in, units * pieces)
        self.units = units
        self.pieces = pieces

    def forward(self, x):
        return self.linear(x).view(-1, self.units, self.pieces).amax(-1)


class PaperMnistStep:
    """The paper's simultaneous update with torch.optim.SGD (momentum set per step)."""

    def __init__(self, latent_dim=100, steps_per_epoch=500, compile=False):
        torch.manual_seed(0)
        self.latent_dim = latent_dim
        self.steps_per_epoch = steps_per_epoch
        self.generator = nn.Sequential(
            nn.Linear(latent_dim, 1200),
            nn.ReLU(),
            nn.Linear(1200, 1200),
            nn.ReLU(),
            nn.Linear(1200, 784),
            nn.Sigmoid(),
        )
        self.discriminator = nn.Sequential(
            nn.Dropout(0.2),
            _Maxout(784, 240, 5),
            nn.Dropout(0.5),
            _Maxout(240, 240, 5),
            nn.Dropout(0.5),
            nn.Linear(240, 1),
        )
        self.g_optimizer = torch.optim.SGD(self.generator.parameters(), lr=0.1, momentum=0.5)
        self.d_optimizer = torch.optim.SGD(self.discriminator.parameters(), lr=0.1, momentum=0.5)
        self.iterations = 0
        if compile:
            # The paper's update takes D's gradients with retain_graph=True (G's
            # come from the same forward pass), which compiled backward
            # functions refuse while they donate buffers.
            from torch._functorch import config as functorch_config

            functorch_config.donated_buffer = False
        self.forward = torch.compile(self._forward) if compile else self._forward

    def _forward(self, real, z):
        fake = self.generator(z)
        real_logits = self.discriminator(real.reshape(real.shape[0], -1)).reshape(-1)
        fake_logits = self.discriminator(fake).reshape(-1)
        d_loss = F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
        g_loss = F.softplus(-fake_logits).mean()
        return d_loss, g_loss

    def step(self, real):
        step = self.iterations
        learning_rate = max(0.1 * math.exp(-math.log(1.000004) * step), 1e-6)
        ramp = min(max((step - self.steps_per_epoch) / (249 * self.steps_per_epoch), 0.0), 1.0)
        for optimizer in (self.g_optimizer, self.d_optimizer):
            for group in optimizer.param_groups:
                group["lr"] = learning_rate
                group["momentum"] = 0.5 + 0.2 * ramp
        z = (torch.rand(real.shape[0], self.latent_dim) * 2 - 1) * SQRT3
        d_loss, g_loss = self.forward(real, z)
        # Both gradients from the one forward pass, before either update.
        d_grads = torch.autograd.grad(
            0.5 * d_loss, list(self.discriminator.parameters()), retain_graph=True
        )
        g_grads = torch.autograd.grad(g_loss, list(self.generator.parameters()))
        for module, grads in ((self.discriminator, d_grads), (self.generator, g_grads)):
            for parameter, grad in zip(module.parameters(), grads, strict=True):
                parameter.grad = grad
        self.d_optimizer.step()
        self.g_optimizer.step()
        self.iterations += 1
        return d_loss, g_loss


class _DCGANGenerator(nn.Module):
    def __init__(self, latent_dim, filters):
        super().__init__()
        self.top = 2 * filters
        self.project = nn.Linear(latent_dim, 7 * 7 * self.top, bias=False)
        self.project_norm = nn.BatchNorm1d(7 * 7 * self.top, eps=1e-3, momentum=0.01)
        # padding=2, output_padding=1: "same" padding of a 5x5 stride-2 transposed conv.
        self.upsample = nn.ConvTranspose2d(self.top, filters, 5, 2, 2, 1, bias=False)
        self.upsample_norm = nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01)
        self.output = nn.ConvTranspose2d(filters, 1, 5, 2, 2, 1)

    def forward(self, z):
        x = F.relu(self.project_norm(self.project(z))).view(-1, self.top, 7, 7)
        x = F.relu(self.upsample_norm(self.upsample(x)))
        return torch.sigmoid(self.output(x))


class DCGANStep:
    """The DCGAN config's alternating update with torch.optim.Adam (NCHW layout)."""

    def __init__(self, latent_dim=100, filters=64, compile=False):
        torch.manual_seed(0)
        self.latent_dim = latent_dim
        self.generator = _DCGANGenerator(latent_dim, filters)
        self.discriminator = nn.Sequential(
            nn.Conv2d(1, filters, 5, 2, 2),
            nn.LeakyReLU(0.2),
            nn.Conv2d(filters, 2 * filters, 5, 2, 2),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
            nn.Linear(7 * 7 * 2 * filters, 1),
        )
        adam = {"lr": 2e-4, "betas": (0.5, 0.999), "eps": 1e-7}
        self.g_optimizer = torch.optim.Adam(self.generator.parameters(), **adam)
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(), **adam)
        self.d_loss = torch.compile(self._d_loss) if compile else self._d_loss
        self.g_loss = torch.compile(self._g_loss) if compile else self._g_loss

    def _d_loss(self, real, z):
        real_logits = self.discriminator(real).reshape(-1)
        fake_logits = self.discriminator(self.generator(z)).reshape(-1)
        return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()

    def _g_loss(self, z):
        return F.softplus(-self.discriminator(self.generator(z)).reshape(-1)).mean()

    def step(self, real):
        batch = real.shape[0]
        real = real.permute(0, 3, 1, 2)  # the benchmark feeds NHWC like TensorFlow
        self.d_optimizer.zero_grad(set_to_none=True)
        d_loss = self.d_loss(real, torch.randn(batch, self.latent_dim))
        d_loss.backward()
        self.d_optimizer.step()
        self.g_optimizer.zero_grad(set_to_none=True)
        g_loss = self.g_loss(torch.randn(batch, self.latent_dim))
        # G's loss also fills D's .grad; D's zero_grad clears it next step.
        g_loss.backward()
        self.g_optimizer.step()
        return d_loss, g_loss


class _Cifar10Generator(nn.Module):
    """configs/cifar10.cfg's DCGAN generator: 128 -> 4x4x256 -> 8x8x128 -> 16x16x64 -> 32x32x3."""

    def __init__(self, latent_dim, filters):
        super().__init__()
        self.top = 4 * filters
        self.project = nn.Linear(latent_dim, 4 * 4 * self.top, bias=False)
        self.project_norm = nn.BatchNorm1d(4 * 4 * self.top, eps=1e-3, momentum=0.01)
        self.upsamples = nn.ModuleList(
            [
                nn.ConvTranspose2d(self.top, 2 * filters, 5, 2, 2, 1, bias=False),
                nn.ConvTranspose2d(2 * filters, filters, 5, 2, 2, 1, bias=False),
            ]
        )
        self.norms = nn.ModuleList(
            [nn.BatchNorm2d(c, eps=1e-3, momentum=0.01) for c in (2 * filters, filters)]
        )
        self.output = nn.ConvTranspose2d(filters, 3, 5, 2, 2, 1)

    def forward(self, z):
        x = F.relu(self.project_norm(self.project(z))).view(-1, self.top, 4, 4)
        for upsample, norm in zip(self.upsamples, self.norms, strict=True):
            x = F.relu(norm(upsample(x)))
        return torch.sigmoid(self.output(x))


class Cifar10Step:
    """configs/cifar10.cfg's update in plain PyTorch: hinge loss, spectral norm, averaged G.

    D: three 5x5 stride-2 convolutions with LeakyReLU(0.2) and a linear logit,
    each under `torch.nn.utils.parametrizations.spectral_norm` (one power
    iteration per training call, as keras_gan's). One D update (G's batch made
    without gradients), one G update, then the average of G's weights (decay
    0.999) and one forward pass of the average in training mode on the G
    step's noise, for its batch-norm statistics (keras_gan since 0.9).
    `bfloat16=True` runs the forward passes under `torch.autocast("cpu")`.
    `seed` seeds PyTorch's global generator (the initial weights and every
    later draw of z and of the power iteration's start).
    """

    def __init__(self, latent_dim=128, filters=64, bfloat16=False, compile=False, seed=0):
        from torch.nn.utils.parametrizations import spectral_norm

        torch.manual_seed(seed)
        self.latent_dim = latent_dim
        self.bfloat16 = bfloat16
        self.generator = _Cifar10Generator(latent_dim, filters)
        self.average = _Cifar10Generator(latent_dim, filters)
        self.average.load_state_dict(self.generator.state_dict())
        for parameter in self.average.parameters():
            parameter.requires_grad_(False)
        self.discriminator = nn.Sequential(
            spectral_norm(nn.Conv2d(3, filters, 5, 2, 2)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(filters, 2 * filters, 5, 2, 2)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(2 * filters, 4 * filters, 5, 2, 2)),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
            spectral_norm(nn.Linear(4 * 4 * 4 * filters, 1)),
        )
        adam = {"lr": 2e-4, "betas": (0.5, 0.999), "eps": 1e-7}
        self.g_optimizer = torch.optim.Adam(self.generator.parameters(), **adam)
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(), **adam)

    def _autocast(self):
        return torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bfloat16)

    def step(self, real):
        batch = real.shape[0]
        real = real.permute(0, 3, 1, 2)  # the benchmark feeds NHWC like TensorFlow
        self.d_optimizer.zero_grad(set_to_none=True)
        with self._autocast():
            with torch.no_grad():
                fake = self.generator(torch.randn(batch, self.latent_dim))
            real_logits = self.discriminator(real).float()
            fake_logits = self.discriminator(fake).float()
            d_loss = F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()
        d_loss.backward()
        self.d_optimizer.step()
        self.g_optimizer.zero_grad(set_to_none=True)
        z = torch.randn(batch, self.latent_dim)
        with self._autocast():
            g_loss = -self.discriminator(self.generator(z)).float().mean()
        g_loss.backward()
        self.g_optimizer.step()
        with torch.no_grad():
            for mean, value in zip(
                self.average.parameters(), self.generator.parameters(), strict=True
            ):
                mean.lerp_(value, 0.001)
            with self._autocast():
                self.average(z)  # training mode: its own batch-norm statistics
        return d_loss, g_loss


STEPS = {"paper": PaperMnistStep, "dcgan": DCGANStep, "cifar10": Cifar10Step}
