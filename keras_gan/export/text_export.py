"""A trained text generator as a SavedModel that TensorFlow Serving serves: token ids
and the sentences, the vocabulary inside the model."""

import pathlib

import keras
import tensorflow as tf

from keras_gan.export.generator_export import DEFAULT_MAX_SAMPLES
from keras_gan.export.generator_export import check_export_arguments
from keras_gan.export.generator_export import checked_sample_count
from keras_gan.export.generator_export import new_version
from keras_gan.export.generator_export import partial_version
from keras_gan.export.generator_export import seeded_inputs
from keras_gan.export.generator_export import write_prediction_logs


def export_text_generator(
    generator,
    export_base,
    vocabulary=None,
    model_name="generator",
    max_samples=DEFAULT_MAX_SAMPLES,
    warmup=True,
    version=None,
):
    """Exports a `TextGenerator` to `<export_base>/<model_name>/<version>/`.

    Signatures:
        `serving_default` and `generate`: `num_samples` int32 scalar, `seed`
            int64 scalar -> `token_ids` int32 `[num_samples, length]` and
            `text` string `[num_samples]`: each sequence's words up to its
            first padding id, joined by spaces (with no vocabulary, the ids
            as numbers). Equal to `generator.sample(num_samples, seed=[seed,
            0])` and `vocabulary.decode` of it.
        `generate_at_temperature`: the same and `temperature` float32 scalar,
            > 0: tokens drawn from softmax(logits / temperature).
    `num_samples` outside 1..`max_samples` or a temperature that is not a
    positive number is an InvalidArgument error. The version is written under
    a hidden name and renamed into place; an existing one is never touched.

    Args:
        generator: a `keras_gan.models.TextGenerator`.
        export_base: the model server's base path.
        vocabulary: the `keras_gan.text.Vocabulary` of the ids, or None.
        model_name: folder name of the model.
        max_samples: the largest `num_samples` a request may ask for.
        warmup: write `assets.extra/tf_serving_warmup_requests`.
        version: positive integer; default one more than the highest present.

    Returns:
        The path of the new version.
    """
    check_export_arguments(model_name, max_samples)
    if not hasattr(generator, "sample"):
        raise ValueError(f"`generator` must be a TextGenerator. Received: {generator!r}")
    model_dir = pathlib.Path(export_base) / model_name
    version = new_version(export_base, model_name, version)
    tokens = None if vocabulary is None else vocabulary.tokens()

    def checked(num_samples, temperature):
        check = tf.debugging.Assert(
            tf.logical_and(temperature > 0.0, tf.math.is_finite(temperature)),
            ["temperature must be a number > 0; received", temperature],
        )
        with tf.control_dependencies([check]):
            return checked_sample_count(num_samples, max_samples), tf.identity(temperature)

    def generated(num_samples, seed, temperature):
        num_samples, temperature = checked(num_samples, temperature)
        seed = tf.stack([seed, tf.constant(0, tf.int64)])
        ids = tf.cast(generator.sample(num_samples, seed=seed, temperature=temperature), tf.int32)
        words = tf.strings.as_string(ids) if tokens is None else tf.gather(tf.constant(tokens), ids)
        # A sequence ends at its first padding id (0).
        kept = tf.cast(tf.math.cumprod(tf.cast(ids != 0, tf.int32), axis=1), tf.bool)
        text = tf.strings.reduce_join(tf.ragged.boolean_mask(words, kept), axis=1, separator=" ")
        return {"token_ids": ids, "text": text}

    archive = keras.export.ExportArchive()
    archive.track(generator)
    count_spec = tf.TensorSpec([], tf.int32, name="num_samples")
    seed_spec = tf.TensorSpec([], tf.int64, name="seed")
    temperature_spec = tf.TensorSpec([], tf.float32, name="temperature")
    for name in ("serving_default", "generate"):
        archive.add_endpoint(
            name,
            lambda num_samples, seed: generated(num_samples, seed, tf.constant(1.0)),
            input_signature=[count_spec, seed_spec],
        )
    archive.add_endpoint(
        "generate_at_temperature",
        generated,
        input_signature=[count_spec, seed_spec, temperature_spec],
    )
    with partial_version(model_dir, version) as partial:
        archive.write_out(str(partial), verbose=False)
        if warmup:
            write_prediction_logs(
                partial,
                model_name,
                {
                    "serving_default": seeded_inputs(),
                    "generate": seeded_inputs(),
                    "generate_at_temperature": {
                        **seeded_inputs(),
                        "temperature": tf.make_tensor_proto(1.0, dtype=tf.float32),
                    },
                },
            )
    return model_dir / str(version)
