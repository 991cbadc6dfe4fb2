"""Finds the trained GAN to export: a run directory, a checkpoint, or a `.keras` file."""

import pathlib

import keras

from keras_gan import run_layout
from keras_gan.run_layout import MODEL_FILE


def load_trained_gan(source):
    """Loads the GAN saved at `source`.

    Args:
        source: a run directory (its newest checkpoint is used), a folder
            of checkpoints (`checkpoints/`, or `best/` of a run with
            `--keep_best`: its newest is used), one checkpoint folder
            (`checkpoints/step-N`), or a `.keras` file.

    Returns:
        The loaded `GAN`.

    Raises:
        ValueError: if `source` holds no saved GAN or cannot be read.
    """
    path = pathlib.Path(source)
    if path.is_dir():
        latest = run_layout.latest_checkpoint(path) or run_layout.newest_whole(
            run_layout.step_folders(path)
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
        gan = keras.saving.load_model(path)
    except Exception as error:  # Keras raises several types for unreadable files
        raise ValueError(f"Cannot load a model from {str(path)!r}: {error}") from error
    from keras_gan.models.text_generator import TextGenerator

    if isinstance(getattr(gan, "generator", None), TextGenerator):
        raise ValueError(
            f"{str(path)!r} holds a text GAN ({type(gan).__name__}); its generator is exported "
            "with its vocabulary at the end of the run (RUN_DIR/export), or by "
            "keras_gan.export.export_text_generator(gan.generator, export_base, vocabulary). "
            f"Received: source={str(source)!r}"
        )
    if not all(hasattr(gan, name) for name in ("generator", "latent_dim", "data_shape")):
        raise ValueError(
            f"{str(path)!r} holds a {type(gan).__name__}, not a keras_gan GAN. "
            f"Received: source={str(source)!r}"
        )
    return gan


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
