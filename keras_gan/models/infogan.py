"""InfoGAN (Chen et al. 2016): latent codes that a Q head sharing D's body must recover."""

import keras
import numpy as np
from keras import ops

from keras_gan.latent_codes import InfoGANCodes
from keras_gan.models.gan import GAN
from keras_gan.validation import is_finite_number


@keras.saving.register_keras_serializable(package="keras_gan")
class InfoGAN(GAN):
    """A GAN whose z holds codes, and whose discriminator also guesses them (its Q head).

    z is drawn from `codes` (`keras_gan.latent_codes.InfoGANCodes`): noise,
    one-hot categorical codes and continuous codes. The discriminator returns
    `(logits, q)`: one logit per sample and Q's guess of the codes, shape
    `(batch, codes.code_dim)` (`InfoGANDiscriminator`, or any model that does).
    The game is `GAN`'s, Algorithm 1, with the information term added to
    both players: D and Q minimise `d_loss + info_weight * L`, G minimises
    `g_loss + info_weight * L`, where L (`codes.information_loss`) on the
    fakes' codes is minus the variational lower bound on the mutual
    information I(c; G(z, c)), up to a constant. Q is trained with D, by
    `d_optimizer`, as in the paper's code. The logged `info_loss` is L
    averaged over the step's D and G updates.

    Args:
        generator: a Keras model from `(batch, codes.latent_dim)` z to samples.
        discriminator: a Keras model from samples to `(logits, q)`.
        codes: an `InfoGANCodes`.
        info_weight: lambda, the weight of the information term (1 in the
            paper's MNIST run).
        d_steps, seed, generator_ema, sample_from_average, augmentation: as in
            `GAN`.
        **kwargs: base `keras.Model` arguments.

    Example:
        >>> codes = InfoGANCodes(noise_dim=62, categorical=(10,), continuous=2)
        >>> infogan = InfoGAN(InfoGANGenerator(codes.latent_dim),
        ...                   InfoGANDiscriminator(codes.code_dim), codes, seed=0)
        >>> infogan.compile()
        >>> infogan.fit(images, batch_size=128, epochs=10)
        >>> categories = codes.categories_of(infogan.predict_codes(images))

    Reference:
        Chen et al., "InfoGAN: Interpretable Representation Learning by
        Information Maximizing Generative Adversarial Nets", NIPS 2016,
        arXiv:1606.03657.
    """

    def __init__(
        self,
        generator,
        discriminator,
        codes,
        info_weight=1.0,
        d_steps=1,
        seed=None,
        generator_ema=None,
        sample_from_average=True,
        augmentation=None,
        **kwargs,
    ):
        if not isinstance(codes, InfoGANCodes):
            raise ValueError(f"`codes` must be an InfoGANCodes. Received: codes={codes!r}")
        for name in ("num_classes", "auxiliary_classifier", "simultaneous_updates"):
            if kwargs.get(name):
                raise ValueError(
                    f"InfoGAN is unconditional and plays Algorithm 1's alternating steps; it "
                    f"takes no `{name}`. Received: {name}={kwargs[name]!r}"
                )
            kwargs.pop(name, None)
        for name in ("latent_dim", "latent_distribution", "label_distribution", "class_names"):
            kwargs.pop(name, None)  # set by `codes`, or meaningless without classes
        if not float(info_weight) >= 0:
            raise ValueError(f"`info_weight` must be >= 0. Received: info_weight={info_weight}")
        super().__init__(
            generator,
            discriminator,
            latent_dim=codes.latent_dim,
            latent_distribution=codes,
            d_steps=d_steps,
            seed=seed,
            generator_ema=generator_ema,
            sample_from_average=sample_from_average,
            augmentation=augmentation,
            **kwargs,
        )
        self.codes = codes
        self.info_weight = float(info_weight)
        self.info_loss_tracker = keras.metrics.Mean(name="info_loss")
        self._check_q_head()

    def _build_pair(self):
        # GAN's constructor builds G here; D, with its two heads, once `codes` is set.
        return tuple(self._build_generator().shape[1:])

    def _check_q_head(self):
        fake = self._build_generator()
        try:
            outputs = self.discriminator(fake, training=False)
        except Exception as error:
            raise ValueError(
                "The discriminator could not be called on the generator's output of shape "
                f"{(None, *self.data_shape)}: {error}"
            ) from error
        shapes = [tuple(t.shape) for t in outputs] if isinstance(outputs, list | tuple) else []
        expected_q = (2, self.codes.code_dim)
        if len(shapes) != 2 or shapes[0] not in ((2,), (2, 1)) or shapes[1] != expected_q:
            raise ValueError(
                "An InfoGAN discriminator returns (logits, q): one logit per sample and Q's "
                f"guess of the codes, shape (batch, {self.codes.code_dim}) (codes.code_dim). "
                f"Received: outputs of shapes {shapes or tuple(outputs.shape)} for a batch of 2"
            )
        if self.augmentation is not None:
            self.augmentation(fake, training=False)

    @property
    def metrics(self):
        return super().metrics + [self.info_loss_tracker]

    def compile(self, *args, **kwargs):
        """As `GAN.compile`, without `latent_optimization`: moving z would move its codes."""
        if kwargs.get("latent_optimization") is not None:
            raise ValueError(
                "InfoGAN takes no `latent_optimization`: a step in z would move the one-hot "
                "and continuous codes Q must recover. Received: latent_optimization="
                f"{kwargs['latent_optimization']!r}"
            )
        super().compile(*args, **kwargs)

    # The game is GAN's steps. The fakes' z is passed where a conditional GAN
    # passes labels (`_fake_condition`), never fed to D, and read by the Q head
    # (`_head_loss`), whose loss enters both players' objectives weighted by
    # `info_weight` (`_head_weight`).

    @property
    def _head_weight(self):
        return self.info_weight

    def _fake_condition(self, z, labels):
        return z

    def _discriminator_inputs(self, samples, z):
        return samples

    def _head_loss(self, outputs, z):
        logits, q = outputs
        if z is None:  # real samples have no codes to recover
            return logits, 0.0
        info_loss = self.codes.information_loss(z, q)
        self.info_loss_tracker.update_state(info_loss)
        return logits, info_loss

    def predict_codes(self, samples, batch_size=256):
        """Q's output for samples (real or generated), `(n, codes.code_dim)` float32 NumPy."""
        samples = np.asarray(samples, "float32")
        parts = []
        for start in range(0, len(samples), batch_size):
            _, q = self.discriminator(samples[start : start + batch_size], training=False)
            parts.append(ops.convert_to_numpy(ops.cast(q, "float32")))
        return np.concatenate(parts)

    def code_traversal(self, seed, continuous=None, columns=10, span=2.0):
        """Images that vary one code, as the InfoGAN paper's Figure 2 shows them.

        One row per category of the first categorical code. With
        `continuous=None` each column is another noise draw (the same down a
        column): the rows show what the category controls. With `continuous=j`
        each row keeps one noise draw and continuous code j runs from -span to
        span across the columns (the paper: -2 to 2, beyond the [-1, 1] it
        was trained on); the other continuous codes are 0.

        Returns:
            `(images, row_labels)`: `(rows * columns, *data_shape)` float32 in
            the generator's output range, row by row, and the category of
            each row.
        """
        codes = self.codes
        if not codes.categorical:
            raise ValueError(f"code_traversal needs a categorical code. Received: {codes!r}")
        if continuous is not None and not 0 <= continuous < codes.continuous:
            raise ValueError(
                f"`continuous` must be a continuous code's index in [0, {codes.continuous}). "
                f"Received: continuous={continuous}"
            )
        rows = codes.categorical[0]
        noise = self.sample_latent(rows * columns, seed=seed).numpy()[:, : codes.noise_dim]
        category = np.repeat(np.arange(rows), columns)
        if continuous is None:
            noise = np.tile(noise[:columns], (rows, 1))  # column c: the same noise in every row
            values = None
        else:
            noise = np.repeat(noise[:rows], columns, axis=0)  # row r: one noise draw
            values = np.zeros((rows * columns, codes.continuous), "float32")
            values[:, continuous] = np.tile(np.linspace(-span, span, columns), rows)
        others = [np.zeros(rows * columns, "int64") for _ in codes.categorical[1:]]
        z = codes.compose(noise, [category, *others], values)
        images = ops.convert_to_numpy(ops.cast(self.sampler(z, training=False), "float32"))
        return images, list(range(rows))

    def get_config(self):
        config = super().get_config()
        for key in (
            "latent_dim",
            "latent_distribution",
            "simultaneous_updates",
            "num_classes",
            "label_distribution",
            "class_names",
            "auxiliary_classifier",
        ):
            config.pop(key)
        config["codes"] = keras.saving.serialize_keras_object(self.codes)
        config["info_weight"] = self.info_weight
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["codes"] = keras.saving.deserialize_keras_object(config["codes"])
        return super().from_config(config)


@keras.saving.register_keras_serializable(package="keras_gan")
class InfoGANGenerator(keras.Model):
    """The InfoGAN paper's MNIST generator: FC 1024, FC 7x7x128, two 4x4 stride-2
    transposed convolutions (64, then the image's channels); BatchNorm + ReLU inside,
    sigmoid out (pixels in [0, 1]).

    Args:
        latent_dim: the size of z (`codes.latent_dim`, 74 in the paper).
        data_shape: `(28, 28, C)`; other sizes divisible by 4 work too.
        initializer_stddev: None: Keras' default initialisers. A number s: the
            paper's code's (openai/InfoGAN `custom_ops.py`), kernels from
            N(0, s) and batch-norm scales from N(1, s) (the code: 0.02).
        batch_norm_epsilon: the batch norms' epsilon (Keras 1e-3; the code 1e-5).
    """

    def __init__(
        self,
        latent_dim=74,
        data_shape=(28, 28, 1),
        initializer_stddev=None,
        batch_norm_epsilon=1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = int(latent_dim)
        self.data_shape = tuple(int(d) for d in data_shape)
        self.initializer_stddev = _check_stddev(initializer_stddev)
        self.batch_norm_epsilon = _check_epsilon(batch_norm_epsilon)
        init = _Initializers(self.initializer_stddev, self.batch_norm_epsilon)
        side = self.data_shape[0] // 4
        if side * 4 != self.data_shape[0] or self.data_shape[0] != self.data_shape[1]:
            raise ValueError(
                f"InfoGANGenerator makes square images whose side divides by 4. Received: "
                f"data_shape={self.data_shape}"
            )
        layers = keras.layers
        self.body = keras.Sequential(
            [
                layers.Dense(1024, use_bias=False, **init.kernel()),
                layers.BatchNormalization(**init.batch_norm()),
                layers.ReLU(),
                layers.Dense(side * side * 128, use_bias=False, **init.kernel()),
                layers.BatchNormalization(**init.batch_norm()),
                layers.ReLU(),
                layers.Reshape((side, side, 128)),
                layers.Conv2DTranspose(
                    64, 4, strides=2, padding="same", use_bias=False, **init.kernel()
                ),
                layers.BatchNormalization(**init.batch_norm()),
                layers.ReLU(),
                layers.Conv2DTranspose(
                    self.data_shape[-1],
                    4,
                    strides=2,
                    padding="same",
                    activation="sigmoid",
                    **init.kernel(),
                ),
            ],
            name="body",
        )

    def build(self, input_shape=None):
        self.body.build((None, self.latent_dim))

    def call(self, z, training=None):
        return self.body(z, training=training)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self.data_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "data_shape": self.data_shape,
                "initializer_stddev": self.initializer_stddev,
                "batch_norm_epsilon": self.batch_norm_epsilon,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan")
class InfoGANDiscriminator(keras.Model):
    """The InfoGAN paper's MNIST discriminator and Q head, sharing one body.

    Body: 4x4 stride-2 convolutions of 64 and 128 filters, FC 1024, leaky
    ReLU (0.1), BatchNorm after the second convolution and the FC layer. D:
    one logit. Q: FC 128, BatchNorm, leaky ReLU, then `code_dim` outputs
    (categorical logits, then the continuous codes' means). Returns
    `(logits, q)`.

    Args:
        code_dim: the size of Q's output (`codes.code_dim`, 12 in the paper).
        data_shape: the images' shape.
        negative_slope: the leaky ReLUs' slope: 0.1 as the paper's appendix
            says; the paper's code (`leaky_rectify`) uses 0.01.
        initializer_stddev: None: Keras' default initialisers. A number s: the
            paper's code's, kernels from N(0, s) (truncated at 2s for the
            convolutions) and batch-norm scales from N(1, s) (the code: 0.02).
        batch_norm_epsilon: the batch norms' epsilon (Keras 1e-3; the code 1e-5).
    """

    def __init__(
        self,
        code_dim=12,
        data_shape=(28, 28, 1),
        negative_slope=0.1,
        initializer_stddev=None,
        batch_norm_epsilon=1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.code_dim = int(code_dim)
        self.data_shape = tuple(int(d) for d in data_shape)
        if not (is_finite_number(negative_slope) and 0.0 <= negative_slope < 1.0):
            raise ValueError(
                f"`negative_slope` must be in [0, 1). Received: negative_slope={negative_slope!r}"
            )
        self.negative_slope = float(negative_slope)
        self.initializer_stddev = _check_stddev(initializer_stddev)
        self.batch_norm_epsilon = _check_epsilon(batch_norm_epsilon)
        init = _Initializers(self.initializer_stddev, self.batch_norm_epsilon)
        slope = self.negative_slope
        layers = keras.layers
        self.body = keras.Sequential(
            [
                layers.Conv2D(64, 4, strides=2, padding="same", **init.kernel(truncated=True)),
                layers.LeakyReLU(slope),
                layers.Conv2D(
                    128, 4, strides=2, padding="same", use_bias=False, **init.kernel(truncated=True)
                ),
                layers.BatchNormalization(**init.batch_norm()),
                layers.LeakyReLU(slope),
                layers.Flatten(),
                layers.Dense(1024, use_bias=False, **init.kernel()),
                layers.BatchNormalization(**init.batch_norm()),
                layers.LeakyReLU(slope),
            ],
            name="body",
        )
        self.d_head = layers.Dense(1, name="d_head", **init.kernel())
        self.q_head = keras.Sequential(
            [
                layers.Dense(128, use_bias=False, **init.kernel()),
                layers.BatchNormalization(**init.batch_norm()),
                layers.LeakyReLU(slope),
                layers.Dense(self.code_dim, **init.kernel()),
            ],
            name="q_head",
        )

    def build(self, input_shape=None):
        self.body.build((None, *self.data_shape))
        self.d_head.build((None, 1024))
        self.q_head.build((None, 1024))

    def call(self, samples, training=None):
        h = self.body(samples, training=training)
        return self.d_head(h), self.q_head(h, training=training)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "code_dim": self.code_dim,
                "data_shape": self.data_shape,
                "negative_slope": self.negative_slope,
                "initializer_stddev": self.initializer_stddev,
                "batch_norm_epsilon": self.batch_norm_epsilon,
            }
        )
        return config


def _check_stddev(stddev):
    if stddev is None:
        return None
    if not (is_finite_number(stddev) and stddev > 0):
        raise ValueError(
            "`initializer_stddev` must be None (Keras' initialisers) or a number > 0. "
            f"Received: initializer_stddev={stddev!r}"
        )
    return float(stddev)


def _check_epsilon(epsilon):
    if not (is_finite_number(epsilon) and epsilon > 0):
        raise ValueError(
            f"`batch_norm_epsilon` must be a number > 0. Received: batch_norm_epsilon={epsilon!r}"
        )
    return float(epsilon)


class _Initializers:
    """Layer arguments for Keras' default initialisers (stddev None) or the InfoGAN
    code's: kernels N(0, stddev), batch-norm scales N(1, stddev), zero biases."""

    def __init__(self, stddev, epsilon):
        self.stddev, self.epsilon = stddev, epsilon

    def kernel(self, truncated=False):
        if self.stddev is None:
            return {}
        kind = keras.initializers.TruncatedNormal if truncated else keras.initializers.RandomNormal
        return {"kernel_initializer": kind(stddev=self.stddev)}

    def batch_norm(self):
        if self.stddev is None:
            return {"epsilon": self.epsilon}
        return {
            "epsilon": self.epsilon,
            "gamma_initializer": keras.initializers.RandomNormal(1.0, self.stddev),
        }
