"""Finds the trained GAN to export: a run directory, a checkpoint, or a `.keras` file."""

import pathlib

import keras

from keras_gan import run_layout
from keras_gan.run_layout import MODEL_FILE


def load_saved_model(source):
    """Loads the model saved at `source`: `(model, path of its .keras file)`.

    Args:
        source: a run directory (its newest checkpoint; for a text run
            stopped before its game, its newest `pretrain/` checkpoint), a
            folder of checkpoints (`checkpoints/`, `pretrain/`, or `best/` of
            a run with `--keep_best`: its newest is used), one checkpoint
            folder (`checkpoints/step-N`), or a `.keras` file.

    Raises:
        ValueError: if `source` holds no saved model or cannot be read.
    """
    path = pathlib.Path(source)
    if path.is_dir():
        latest = (
            run_layout.latest_checkpoint(path)
            or run_layout.latest_checkpoint(path, run_layout.PRETRAIN)
            or run_layout.newest_whole(run_layout.step_folders(path))
        )
        if latest is not None:
            path = latest[0]
        elif (path / MODEL_FILE).is_file():
            path = path / MODEL_FILE
        else:
            raise ValueError(
                f"No checkpoint (checkpoints/step-N/{MODEL_FILE}) or {MODEL_FILE} in the folder. "
                f"Received: source={str(source)!r}"
            )
    elif path.suffix != ".keras" or not path.is_file():
        raise ValueError(
            "The source must be a run directory, a checkpoint folder or an existing .keras "
            f"file. Received: source={str(source)!r}"
        )
    try:
        return keras.saving.load_model(path), path
    except Exception as error:  # Keras raises several types for unreadable files
        raise ValueError(f"Cannot load a model from {str(path)!r}: {error}") from error


def is_text_model(model, path=None):
    """Whether `model` is a text run's: a GAN, SeqGAN or MaximumLikelihood of a
    TextGenerator, ARAE's autoencoder, or (given the `path` it was loaded from) any
    model of a run on a text set, such as ARAE's GAN of codes."""
    from keras_gan.models.text_autoencoder import TextAutoencoder
    from keras_gan.models.text_generator import TextGenerator

    if isinstance(getattr(model, "generator", None), TextGenerator) or isinstance(
        model, TextAutoencoder
    ):
        return True
    config = run_layout.recorded_config(path) if path is not None else None
    return (config or {}).get("dataset") in ("text", "text_oracle")


def load_trained_gan(source):
    """Loads the GAN saved at `source` (as `load_saved_model` finds it).

    Returns:
        The loaded `GAN`.

    Raises:
        ValueError: if `source` holds no saved GAN, a text run's model, or
            cannot be read.
    """
    return checked_gan(*load_saved_model(source), source)


def checked_gan(model, path, source):
    """`model` (loaded from `path`, found from `source`) if it is an image GAN."""
    if is_text_model(model, path):
        raise ValueError(
            f"{str(path)!r} holds a text model ({type(model).__name__}); its generator is "
            "exported with its vocabulary by scripts/export.py or "
            "keras_gan.export.load_text_generator and export_text_generator. "
            f"Received: source={str(source)!r}"
        )
    if not all(hasattr(model, name) for name in ("generator", "latent_dim", "data_shape")):
        raise ValueError(
            f"{str(path)!r} holds a {type(model).__name__}, not a keras_gan GAN. "
            f"Received: source={str(source)!r}"
        )
    return model


def load_text_generator(source):
    """The text generator saved at `source` (as `load_saved_model` finds it) and the
    vocabulary of its ids.

    Returns:
        `(generator, vocabulary)`: a `TextGenerator` and the
        `keras_gan.text.Vocabulary` of the run's `vocabulary.txt`, or None for
        a run without words (`--dataset=text_oracle`) or a `.keras` file saved
        outside a run.

    Raises:
        ValueError: if `source` holds no text model, or a `--dataset=text`
            run has lost its vocabulary.
    """
    return text_generator_and_vocabulary(*load_saved_model(source), source)


def text_generator_and_vocabulary(model, path, source):
    """`load_text_generator`'s answer for `model`, loaded from `path`, found from `source`."""
    if not is_text_model(model, path):
        raise ValueError(
            f"{str(path)!r} holds a {type(model).__name__}, not a text run's model. "
            f"Received: source={str(source)!r}"
        )
    run_dir = run_layout.run_directory_of(path)
    config = run_layout.recorded_config(path) or {}
    if config.get("model") == "arae" or not hasattr(model, "generator"):
        generator = _arae_text_generator(model, path, run_dir, source)
    else:
        generator = model.generator
    if run_dir is None or config.get("dataset") != "text":
        return generator, None
    from keras_gan.text import Vocabulary

    vocabulary_file = run_dir / run_layout.VOCABULARY_FILE
    if not vocabulary_file.is_file():
        raise ValueError(
            f"The run {str(run_dir)!r} has no {run_layout.VOCABULARY_FILE} (runs before keras_gan "
            "0.12 did not write one): rebuild it with keras_gan.text.Corpus.from_file(the "
            "run's --text_file).vocabulary and call export_text_generator. "
            f"Received: source={str(source)!r}"
        )
    return generator, Vocabulary.load(vocabulary_file)


def _arae_text_generator(gan, path, run_dir, source):
    """An ARAE run's text generator: the GAN of codes loaded from `path`, decoded by the
    autoencoder of the run's newest pretrain/ checkpoint."""
    from keras_gan.models.text_autoencoder import CodeTextGenerator
    from keras_gan.models.text_autoencoder import TextAutoencoder

    if isinstance(gan, TextAutoencoder):
        raise ValueError(
            f"{str(path)!r} holds ARAE's autoencoder, which makes text only from a GAN's codes: "
            "give the run directory or one of its checkpoints/step-N folders. "
            f"Received: source={str(source)!r}"
        )
    autoencoder = run_layout.latest_checkpoint(run_dir, run_layout.PRETRAIN) if run_dir else None
    if autoencoder is None:
        raise ValueError(
            f"{str(path)!r} holds an ARAE run's GAN of codes, but its run has no autoencoder "
            f"checkpoint in {run_layout.PRETRAIN}/ to decode them. Received: source={str(source)!r}"
        )
    return CodeTextGenerator.of_gan(gan, keras.saving.load_model(autoencoder[0]))


def load_encoder(path, gan):
    """Loads the encoder saved at `path` (a `.keras` file) and checks it fits `gan`.

    Raises:
        ValueError: if `path` holds no Keras model, or one that does not map
            `gan`'s samples to `(batch, latent_dim)` codes.
    """
    path = pathlib.Path(path)
    if path.suffix != ".keras" or not path.is_file():
        raise ValueError(
            f"The encoder must be an existing .keras file. Received: encoder={str(path)!r}"
        )
    try:
        encoder = keras.saving.load_model(path)
    except Exception as error:  # Keras raises several types for unreadable files
        raise ValueError(f"Cannot load an encoder from {str(path)!r}: {error}") from error
    probe = keras.ops.zeros((2, *gan.data_shape))
    try:
        shape = tuple(encoder(probe, training=False).shape)
    except Exception as error:
        raise ValueError(
            f"The encoder at {str(path)!r} cannot take the generator's samples of shape "
            f"{tuple(gan.data_shape)}: {error}"
        ) from error
    if shape != (2, gan.latent_dim):
        raise ValueError(
            f"The encoder at {str(path)!r} must give codes of shape (batch, {gan.latent_dim}) "
            f"(the generator's latent_dim). Received: {shape} for a batch of 2"
        )
    return encoder
