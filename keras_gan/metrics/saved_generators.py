"""A saved generator as a function of (num_samples, seed, labels): `load_sampler`.

Whatever form the generator was saved in (a run directory, a checkpoint, a
`.keras` file, an exported SavedModel or a TensorFlow Serving model base), an
evaluation draws its samples, codes and reconstructions through one `Sampler`.
"""

import pathlib

import keras
import numpy as np
import tensorflow as tf

from keras_gan.export.generator_export import CLASS_NAMES_FILE
from keras_gan.models.labels import balanced_labels
from keras_gan.models.labels import check_label_array

SAVED_MODEL_CHUNK = 500  # samples per `generate` request, below any export's limit


class Sampler:
    """Draws samples from a saved generator: `sampler(num_samples, seed, labels=None)`.

    Attributes:
        num_classes: None for an unconditional generator, else its classes;
            then `labels` (default: the classes in order, equally often, as
            `GAN.generate`) says which class each sample is of.
        encode: None, or (with an encoder) `encode(images) -> E(x)`.
        reconstruct: None, or `reconstruct(images) -> G(E(x))`.
        step: the training step the generator was saved at (its generator
            optimizer's iterations), or None for an exported SavedModel.
        gan: the loaded `GAN`, or None for an exported SavedModel.
    """

    def __init__(
        self, generate, num_classes=None, encode=None, reconstruct=None, step=None, gan=None
    ):
        self._generate = generate
        self.gan = gan
        self.num_classes = num_classes
        self.encode = encode
        self.reconstruct = reconstruct
        self.step = step

    def __call__(self, num_samples, seed, labels=None):
        if self.num_classes is None:
            return self._generate(num_samples, seed)
        if labels is None:
            labels = balanced_labels(num_samples, self.num_classes)
        return self._generate(num_samples, seed, check_label_array(labels, self.num_classes))


def load_sampler(path, sample_from_average=None, encoder=None, sampler=None):
    """A `Sampler`, `(num_samples, seed, labels=None) -> samples`, for the generator at `path`.

    Args:
        path: an exported SavedModel version folder (used through its
            `generate` signature, exactly what a model server answers), a
            TensorFlow Serving model base (a folder of numbered versions: the
            newest is used, as the model server would), a run directory, a
            checkpoint folder, or a `.keras` file.
        sample_from_average: for a saved GAN with a generator average
            (`generator_ema`): `True` samples the average, `False` the
            trained generator, `None` whichever the GAN samples from (the
            average unless it was built with `sample_from_average=False`).
        encoder: None, or a `.keras` file of an encoder fitted to this
            generator (`scripts/train_encoder.py`). A `BiGAN`'s own encoder
            and an export's `encode` signature are used without it.
        sampler: None (plain G(z)), or a `keras_gan.sampling` sampler (name or
            instance) that draws the samples; saved GANs only (an export has
            only its plain `generate` signature).

    Raises:
        ValueError: if `path` holds no generator, or `sample_from_average`
            asks for a choice the saved model cannot make (a SavedModel holds
            the one generator chosen at export; a GAN without an average).
    """
    path = pathlib.Path(path)
    versions = serving_versions(path)
    if not (path / "saved_model.pb").is_file() and versions:
        # A model base, as TensorFlow Serving reads it: the newest version serves.
        path = path / str(versions[-1])
    if (path / "saved_model.pb").is_file():
        if sampler is not None:
            raise ValueError(
                "An exported SavedModel samples through its generate signature only; use a "
                "sampler on a run directory, checkpoint or .keras file. Received: "
                f"sampler={sampler!r} for {str(path)!r}"
            )
        if sample_from_average is not None:
            raise ValueError(
                "An exported SavedModel holds the one generator chosen at export; choose "
                "between the average and the trained generator on a run directory, checkpoint "
                f"or .keras file. Received: sample_from_average={sample_from_average} for "
                f"{str(path)!r}"
            )
        generate = tf.saved_model.load(str(path)).signatures["generate"]
        names_file = path / "assets.extra" / CLASS_NAMES_FILE
        num_classes = len(names_file.read_text().splitlines()) if names_file.is_file() else None

        def sample(num_samples, seed, labels=None):
            chunks, done = [], 0
            while done < num_samples:
                count = min(SAVED_MODEL_CHUNK, num_samples - done)
                inputs = {}
                if labels is not None:
                    inputs["labels"] = tf.constant(labels[done : done + count], tf.int32)
                # Chunk c of a request uses seed + c: reproducible, never reused.
                out = generate(
                    num_samples=tf.constant(count, tf.int32),
                    seed=tf.constant(seed + len(chunks), tf.int64),
                    **inputs,
                )
                chunks.append(out["samples"].numpy())
                done += count
            return np.concatenate(chunks)

        signatures = tf.saved_model.load(str(path)).signatures
        if encoder is not None:
            raise ValueError(
                "An exported SavedModel serves the encoder it was exported with (its `encode` "
                f"signature). Received: encoder={str(encoder)!r} for {str(path)!r}"
            )
        if "encode" not in signatures:
            return Sampler(sample, num_classes)
        encode_signature, reconstruct_signature = signatures["encode"], signatures["reconstruct"]
        return Sampler(
            sample,
            num_classes,
            encode=lambda images: _in_chunks(encode_signature, images, "latent"),
            reconstruct=lambda images: _in_chunks(reconstruct_signature, images, "samples"),
        )
    from keras_gan import inference
    from keras_gan.export.sources import load_encoder
    from keras_gan.export.sources import load_trained_gan

    gan = load_trained_gan(path)
    network = load_encoder(encoder, gan) if encoder is not None else getattr(gan, "encoder", None)
    codec = {}
    if network is not None:
        codec = {
            "encode": lambda images: inference.encode(network, images),
            "reconstruct": lambda images: inference.reconstruct(gan.sampler, network, images),
        }
    if sample_from_average is not None:
        if sample_from_average and gan.averaged_generator is None:
            raise ValueError(
                "The GAN has no generator average to sample from (it was trained without "
                f"`generator_ema` / --ema). Received: sample_from_average=True for {str(path)!r}"
            )
        gan.sample_from_average = bool(sample_from_average)
    if gan.g_optimizer is not None:
        codec["step"] = int(keras.ops.convert_to_numpy(gan.g_optimizer.iterations))
    if sampler is not None:
        from keras_gan import sampling

        sampler = sampling.get(sampler)
        sampling.check_applies(sampler, gan)
    if gan.num_classes is None:
        return Sampler(
            lambda num_samples, seed: gan.generate(num_samples, seed=seed, sampler=sampler),
            gan=gan,
            **codec,
        )
    return Sampler(
        lambda num_samples, seed, labels: gan.generate(
            num_samples, seed=seed, labels=labels, sampler=sampler
        ),
        gan.num_classes,
        gan=gan,
        **codec,
    )


def _in_chunks(signature, images, output):
    """A signature's `output` for `images`, SAVED_MODEL_CHUNK images per request."""
    images = np.asarray(images, "float32")
    return np.concatenate(
        [
            signature(images=tf.constant(images[i : i + SAVED_MODEL_CHUNK]))[output].numpy()
            for i in range(0, len(images), SAVED_MODEL_CHUNK)
        ]
    )


def serving_versions(path):
    """The numbered SavedModel versions under a model base folder, sorted (may be [])."""
    if not path.is_dir():
        return []
    return sorted(
        int(p.name) for p in path.iterdir() if p.name.isdigit() and (p / "saved_model.pb").is_file()
    )
