"""A trained generator as a SavedModel that TensorFlow Serving loads and serves."""

import contextlib
import os
import pathlib
import re
import shutil

import keras
import tensorflow as tf

from keras_gan.latent import is_structured
from keras_gan.latent import sample as sample_latent
from keras_gan.latent import seed_tensor
from keras_gan.models.labels import check_batch_labels
from keras_gan.sampling.truncation import truncated_latent

WARMUP_FILE = "tf_serving_warmup_requests"
CLASS_NAMES_FILE = "class_names.txt"  # a conditional export's classes, line i = class id i
DEFAULT_MAX_SAMPLES = 1024
_MODEL_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def export_generator(
    gan,
    export_base,
    model_name="generator",
    version=None,
    max_samples=DEFAULT_MAX_SAMPLES,
    output_range=(0.0, 1.0),
    warmup=True,
    encoder=None,
    langevin=None,
):
    """Exports `gan`'s generator to `<export_base>/<model_name>/<version>/`.

    Signatures (the serving contract, also in docs/serving.md):
        `serving_default`: `latent` float32 `[batch, latent_dim]` ->
            `samples` float32 `[batch, *data_shape]`.
        `generate`: `num_samples` int32 scalar, `seed` int64 scalar ->
            `samples`. Stateless random ops: the same seed gives the same
            samples in every process and equals `gan.generate(n, seed=seed)`.
            `num_samples` outside 1..`max_samples` is an InvalidArgument error.
        `generate_png` (image generators only): the same inputs -> `png`,
            string `[num_samples]`, PNG-encoded uint8 images.
        `generate_truncated`: `num_samples`, `seed` and `truncation` float32
            scalar -> `samples`: z drawn from the latent distribution
            truncated to |z_i| <= truncation by resampling; equals
            `gan.generate(n, seed=seed, sampler=Truncation(truncation))`.
            `truncation` <= 0 (or NaN) is an InvalidArgument error.
        `generate_refined` (only with `langevin=`): `num_samples`, `seed`
            and `steps` int32 scalar -> `samples`: z moved by `steps`
            Langevin steps on the discriminator's energy (DDLS); equals
            `gan.generate(n, seed=seed, sampler=LangevinSampling(steps,
            ...))` with the export's step size and calibration. The
            discriminator is in the SavedModel only then. `steps` outside
            0..`langevin.steps` is an InvalidArgument error.
        `generate_w_truncated` (StyleGAN2's generator): `num_samples`, `seed`
            and `psi` float32 scalar -> `samples`: z as `generate` draws it,
            its w pulled to the running mean, w_avg + psi (w - w_avg)
            (`generator(z, truncation_psi=psi)`). A non-finite `psi` is an
            InvalidArgument error.
        `mix_styles` (StyleGAN2's generator): `latent` and `mix_latent`
            float32 `[batch, latent_dim]` and `cutoff` int32 scalar ->
            `samples`: the style layers before `cutoff` take `latent`'s w,
            the rest `mix_latent`'s (0: all from `mix_latent`; `num_ws`:
            none). A `cutoff` outside 0..num_ws or unequal batches is an
            InvalidArgument error.

    A conditional GAN's signatures take one more input, `labels` int32
    (`[batch]` for `serving_default`, `[num_samples]` for the others): the
    class of each sample. A label outside [0, num_classes) or a `labels`
    length other than the batch is an InvalidArgument error. The class names
    are written to `assets.extra/class_names.txt`, one per line, line i
    naming class id i.

    With an encoder (a `BiGAN`'s own, or `encoder=`), two more signatures:
        `encode`: `images` float32 `[batch, *data_shape]` in [0, 1] ->
            `latent` float32 `[batch, latent_dim]`, E(x).
        `reconstruct`: `images` as above -> `samples`, G(E(x)).
    Images of another shape, outside [0, 1], or more than `max_samples` of
    them are an InvalidArgument error.

    The version is written to a hidden temporary folder and renamed into
    place, so a model server never sees half a version, and an existing
    version is never overwritten.

    Args:
        gan: a `keras_gan.GAN` (its generator, latent size and latent
            distribution are exported).
        export_base: the model server's base path.
        model_name: folder name of the model under `export_base`.
        version: positive integer; default one more than the highest present.
        max_samples: the largest `num_samples` a request may ask for.
        output_range: `(low, high)` of the generator's image output, mapped
            to [0, 1] in the served `samples`.
        warmup: write `assets.extra/tf_serving_warmup_requests`.
        encoder: an encoder fitted to this generator
            (`keras_gan.models.LatentRegression`); default: the GAN's own
            (`BiGAN.encoder`), if any.
        langevin: a `keras_gan.sampling.LangevinSampling` to serve as
            `generate_refined`: its `step_size` and `calibration` are fixed
            in the export, and its `steps` is the most a request may ask
            for. Not for a `BiGAN` (its D judges (x, z) pairs).

    Returns:
        The path of the new version.

    Raises:
        ValueError: for a bad name, version or limit, or an existing version.
    """
    check_export_arguments(model_name, max_samples)
    model_dir = pathlib.Path(export_base) / model_name
    version = new_version(export_base, model_name, version)
    final = model_dir / str(version)

    if encoder is None:
        encoder = getattr(gan, "encoder", None)
    if encoder is not None and gan.num_classes is not None:
        raise ValueError(
            "An encoder is exported with an unconditional generator; this one is conditional "
            f"(num_classes={gan.num_classes})."
        )
    if langevin is not None:
        from keras_gan import sampling

        if not isinstance(langevin, sampling.LangevinSampling):
            raise ValueError(
                "`langevin` must be a keras_gan.sampling.LangevinSampling. "
                f"Received: langevin={langevin!r}"
            )
        if langevin.steps < 1:
            raise ValueError(
                "`langevin.steps` is the most steps a request may ask for, so at least 1. "
                f"Received: langevin={langevin!r}"
            )
        sampling.check_applies(langevin, gan)
    archive = _archive(gan, max_samples, output_range, encoder, langevin)
    with partial_version(model_dir, version) as partial:
        archive.write_out(str(partial), verbose=False)
        if warmup:
            image = len(gan.data_shape) == 3
            write_warmup_requests(
                partial,
                model_name,
                gan.latent_dim,
                image=image,
                num_classes=gan.num_classes,
                data_shape=gan.data_shape if encoder is not None else None,
                refined=langevin is not None,
                truncated=not is_structured(gan.latent_distribution),
                styled=_styled(gan.sampler),
            )
        if gan.num_classes is not None:
            names = gan.class_names or [str(i) for i in range(gan.num_classes)]
            extra = partial / "assets.extra"
            extra.mkdir(exist_ok=True)
            (extra / CLASS_NAMES_FILE).write_text("".join(f"{name}\n" for name in names))
    return final


def check_export_arguments(model_name, max_samples):
    """Raises a ValueError naming a bad `model_name` or `max_samples`."""
    if not _MODEL_NAME.match(model_name):
        raise ValueError(
            "`model_name` must be letters, digits, '_', '-' or '.'. "
            f"Received: model_name={model_name!r}"
        )
    if isinstance(max_samples, bool) or not isinstance(max_samples, int) or max_samples < 1:
        raise ValueError(f"`max_samples` must be an integer >= 1. Received: {max_samples!r}")


def new_version(export_base, model_name, version=None):
    """The version number to write: `version`, or one more than the highest present.

    Raises:
        ValueError: if `version` is not a positive integer or exists already.
    """
    if version is None:
        version = max(existing_versions(pathlib.Path(export_base) / model_name), default=0) + 1
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"`version` must be a positive integer. Received: version={version!r}")
    if (pathlib.Path(export_base) / model_name / str(version)).exists():
        raise ValueError(
            f"Version {version} of {model_name!r} exists already and is never overwritten. "
            f"Received: version={version}, export_base={os.fspath(export_base)!r}"
        )
    return version


@contextlib.contextmanager
def partial_version(model_dir, version):
    """Yields a hidden folder to write version `version` into; renames it to
    `model_dir/version` when the block ends without an error, deletes it otherwise.

    The hidden, non-numeric name is ignored by TF Serving, so a half-written export
    is never served, and an existing version is never replaced.
    """
    model_dir = pathlib.Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    partial = model_dir / f".partial-{version}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        yield partial
        os.rename(partial, model_dir / str(version))
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def checked_sample_count(num_samples, max_samples):
    """`num_samples`, after graph checks that it is in 1..`max_samples` (an
    InvalidArgument error naming the limit otherwise)."""
    checks = [
        tf.debugging.assert_greater_equal(num_samples, 1, message="num_samples must be at least 1"),
        tf.debugging.assert_less_equal(
            num_samples,
            max_samples,
            message=f"num_samples must be at most {max_samples}, the limit set at export",
        ),
    ]
    # The checks must run before the allocation they guard, not merely in the graph.
    with tf.control_dependencies(checks):
        return tf.identity(num_samples)


def existing_versions(model_dir):
    """The integer version folders under `model_dir`, sorted."""
    if not pathlib.Path(model_dir).is_dir():
        return []
    return sorted(int(p.name) for p in pathlib.Path(model_dir).iterdir() if p.name.isdigit())


def _archive(gan, max_samples, output_range, encoder=None, langevin=None):
    # The averaged generator when the GAN keeps one and samples from it.
    generator = gan.sampler
    latent_dim = int(gan.latent_dim)
    distribution = gan.latent_distribution
    image = len(gan.data_shape) == 3
    low, high = (float(v) for v in output_range)

    num_classes = gan.num_classes

    def checked_input(latent, labels):
        if labels is None:
            return latent
        # The training step's check: one id in [0, num_classes) per sample.
        return [latent, check_batch_labels(labels, num_classes, tf.shape(latent)[0])]

    def in_range(samples):
        if image and (low, high) != (0.0, 1.0):
            samples = (samples - low) / (high - low)
        return tf.cast(samples, tf.float32)

    def samples_of(latent, labels=None, **call_arguments):
        return in_range(generator(checked_input(latent, labels), training=False, **call_arguments))

    def checked_count(num_samples):
        return checked_sample_count(num_samples, max_samples)

    def latent_of(num_samples, seed):
        return sample_latent(
            distribution, checked_count(num_samples), latent_dim, seed_tensor(seed)
        )

    def truncated_of(num_samples, seed, truncation):
        check = tf.debugging.Assert(
            truncation > 0.0, ["truncation must be > 0; received", truncation]
        )
        with tf.control_dependencies([check]):
            truncation = tf.identity(truncation)
        return truncated_latent(
            distribution, checked_count(num_samples), latent_dim, seed_tensor(seed), truncation
        )

    def refined_of(num_samples, seed, steps, labels=None):
        check = tf.debugging.Assert(
            tf.logical_and(steps >= 0, steps <= langevin.steps),
            [f"steps must be in 0..{langevin.steps}, the limit set at export; received", steps],
        )
        with tf.control_dependencies([check]):
            steps = tf.identity(steps)
        z = latent_of(num_samples, seed)
        if labels is not None:
            labels = check_batch_labels(labels, num_classes, tf.shape(z)[0])
        return _langevin_in_chunks(gan, langevin, z, seed_tensor(seed), labels, steps)

    archive = keras.export.ExportArchive()
    archive.track(generator)
    latent_spec = tf.TensorSpec([None, latent_dim], tf.float32, name="latent")
    count_spec = tf.TensorSpec([], tf.int32, name="num_samples")
    seed_spec = tf.TensorSpec([], tf.int64, name="seed")
    labels_spec = tf.TensorSpec([None], tf.int32, name="labels")

    def png_of(samples):
        pixels = tf.cast(tf.round(tf.clip_by_value(samples, 0.0, 1.0) * 255.0), tf.uint8)
        return {"png": tf.map_fn(tf.io.encode_png, pixels, fn_output_signature=tf.string)}

    if encoder is not None:
        archive.track(encoder)
    if langevin is not None:
        archive.track(gan.discriminator)
    truncation_spec = tf.TensorSpec([], tf.float32, name="truncation")
    steps_spec = tf.TensorSpec([], tf.int32, name="steps")

    # The first endpoint becomes `serving_default`.
    if num_classes is None:
        archive.add_endpoint(
            "serving_default",
            lambda latent: {"samples": samples_of(latent)},
            input_signature=[latent_spec],
        )
        archive.add_endpoint(
            "generate",
            lambda num_samples, seed: {"samples": samples_of(latent_of(num_samples, seed))},
            input_signature=[count_spec, seed_spec],
        )
        if image:
            archive.add_endpoint(
                "generate_png",
                lambda num_samples, seed: png_of(samples_of(latent_of(num_samples, seed))),
                input_signature=[count_spec, seed_spec],
            )
        if not is_structured(distribution):  # truncating one-hot codes means nothing
            archive.add_endpoint(
                "generate_truncated",
                lambda num_samples, seed, truncation: {
                    "samples": samples_of(truncated_of(num_samples, seed, truncation))
                },
                input_signature=[count_spec, seed_spec, truncation_spec],
            )
        if langevin is not None:
            archive.add_endpoint(
                "generate_refined",
                lambda num_samples, seed, steps: {
                    "samples": samples_of(refined_of(num_samples, seed, steps))
                },
                input_signature=[count_spec, seed_spec, steps_spec],
            )
        if encoder is not None:
            _add_encoder_endpoints(archive, encoder, gan.data_shape, max_samples, (low, high))
            # The reconstruction decodes like `serving_default`.
            archive.add_endpoint(
                "reconstruct",
                lambda images: {
                    "samples": samples_of(
                        _codes_of(encoder, images, gan.data_shape, max_samples, (low, high))
                    )
                },
                input_signature=[_images_spec()],
            )
        if _styled(generator):
            _add_style_endpoints(archive, generator, latent_of, checked_input, in_range, None)
        return archive

    archive.add_endpoint(
        "serving_default",
        lambda latent, labels: {"samples": samples_of(latent, labels)},
        input_signature=[latent_spec, labels_spec],
    )

    def generated(num_samples, seed, labels):
        return samples_of(latent_of(num_samples, seed), labels)

    archive.add_endpoint(
        "generate",
        lambda num_samples, seed, labels: {"samples": generated(num_samples, seed, labels)},
        input_signature=[count_spec, seed_spec, labels_spec],
    )
    if image:
        archive.add_endpoint(
            "generate_png",
            lambda num_samples, seed, labels: png_of(generated(num_samples, seed, labels)),
            input_signature=[count_spec, seed_spec, labels_spec],
        )
    if not is_structured(distribution):
        archive.add_endpoint(
            "generate_truncated",
            lambda num_samples, seed, truncation, labels: {
                "samples": samples_of(truncated_of(num_samples, seed, truncation), labels)
            },
            input_signature=[count_spec, seed_spec, truncation_spec, labels_spec],
        )
    if langevin is not None:
        archive.add_endpoint(
            "generate_refined",
            lambda num_samples, seed, steps, labels: {
                "samples": samples_of(refined_of(num_samples, seed, steps, labels), labels)
            },
            input_signature=[count_spec, seed_spec, steps_spec, labels_spec],
        )
    if _styled(generator):
        _add_style_endpoints(archive, generator, latent_of, checked_input, in_range, labels_spec)
    return archive


def _styled(generator):
    """Whether G maps z to per-layer styles it renders (StyleGAN2): then w's
    truncation and style mixing are served too."""
    return all(hasattr(generator, name) for name in ("map", "synthesize", "truncate", "mix"))


def _add_style_endpoints(archive, generator, latent_of, checked_input, in_range, labels_spec):
    """`generate_w_truncated` (psi) and `mix_styles` (cutoff), with `labels` when conditional."""
    latent_spec = tf.TensorSpec([None, generator.latent_dim], tf.float32, name="latent")
    mix_spec = tf.TensorSpec([None, generator.latent_dim], tf.float32, name="mix_latent")
    count_spec = tf.TensorSpec([], tf.int32, name="num_samples")
    seed_spec = tf.TensorSpec([], tf.int64, name="seed")
    psi_spec = tf.TensorSpec([], tf.float32, name="psi")
    cutoff_spec = tf.TensorSpec([], tf.int32, name="cutoff")
    layers = generator.num_ws

    def truncated(num_samples, seed, psi, labels=None):
        check = tf.debugging.Assert(
            tf.math.is_finite(psi), ["psi must be a finite number; received", psi]
        )
        with tf.control_dependencies([check]):
            psi = tf.identity(psi)
        inputs = checked_input(latent_of(num_samples, seed), labels)
        return {"samples": in_range(generator(inputs, training=False, truncation_psi=psi))}

    def mixed(latent, mix_latent, cutoff, labels=None):
        check = tf.debugging.Assert(
            tf.logical_and(
                tf.logical_and(cutoff >= 0, cutoff <= layers),
                tf.equal(tf.shape(latent)[0], tf.shape(mix_latent)[0]),
            ),
            [
                f"cutoff must be in 0..{layers} (the style layers) and latent and mix_latent "
                "must hold as many rows; received cutoff, rows, rows:",
                cutoff,
                tf.shape(latent)[0],
                tf.shape(mix_latent)[0],
            ],
        )
        with tf.control_dependencies([check]):
            cutoff = tf.identity(cutoff)
        ws = generator.map(checked_input(latent, labels), training=False)
        other = generator.map(checked_input(mix_latent, labels), training=False)
        mixed_ws = generator.mix(ws, other, cutoff)
        return {"samples": in_range(generator.synthesize(mixed_ws, training=False))}

    if labels_spec is None:
        archive.add_endpoint(
            "generate_w_truncated", truncated, input_signature=[count_spec, seed_spec, psi_spec]
        )
        archive.add_endpoint(
            "mix_styles", mixed, input_signature=[latent_spec, mix_spec, cutoff_spec]
        )
        return
    archive.add_endpoint(
        "generate_w_truncated",
        truncated,
        input_signature=[count_spec, seed_spec, psi_spec, labels_spec],
    )
    archive.add_endpoint(
        "mix_styles", mixed, input_signature=[latent_spec, mix_spec, cutoff_spec, labels_spec]
    )


def _langevin_in_chunks(gan, langevin, z, seed, labels, steps):
    """`LangevinSampling.latent` in the graph: the same chunks and the same seeds."""
    from keras_gan.sampling.base import CHUNK
    from keras_gan.sampling.base import fold
    from keras_gan.sampling.langevin import langevin_steps

    count = tf.shape(z)[0]
    chunks = (count + CHUNK - 1) // CHUNK

    def refine(i, done):
        start = i * CHUNK
        part_labels = None if labels is None else labels[start : start + CHUNK]
        part = langevin_steps(
            gan,
            z[start : start + CHUNK],
            fold(seed, start),
            part_labels,
            steps,
            langevin.step_size,
            langevin.calibration,
        )
        return i + 1, done.write(i, part)

    done = tf.TensorArray(
        tf.float32, size=chunks, infer_shape=False, element_shape=[None, z.shape[-1]]
    )
    _, done = tf.while_loop(lambda i, done: i < chunks, refine, (tf.constant(0), done))
    return done.concat()


def _images_spec():
    # Any shape: the shape is checked in the graph, so a bad request gets an
    # InvalidArgument error that names the shape expected and the one received.
    return tf.TensorSpec(None, tf.float32, name="images")


def _codes_of(encoder, images, data_shape, max_samples, output_range):
    """E(x) of a request's images, after checking their shape, count and range."""
    expected = tf.constant(data_shape, tf.int32)
    shape = tf.shape(images)
    fits = tf.cond(
        tf.equal(tf.size(shape), len(data_shape) + 1),
        lambda: tf.reduce_all(tf.equal(shape[1:], expected)),
        lambda: tf.constant(False),
    )
    description = ", ".join(str(d) for d in data_shape)
    checks = [
        tf.debugging.Assert(
            fits,
            [f"images must have shape [batch, {description}]; received shape", shape],
            summarize=len(data_shape) + 4,
        )
    ]
    with tf.control_dependencies(checks):
        images = tf.ensure_shape(images, [None, *data_shape])
    count = tf.shape(images)[0]
    checks = [
        tf.debugging.Assert(
            tf.logical_and(count >= 1, count <= max_samples),
            [f"images must hold 1 to {max_samples} images; received", count],
        ),
        tf.debugging.Assert(
            tf.logical_and(tf.reduce_all(images >= 0.0), tf.reduce_all(images <= 1.0)),
            [
                "images must be in [0, 1]; received values from",
                tf.reduce_min(images),
                "to",
                tf.reduce_max(images),
            ],
        ),
    ]
    with tf.control_dependencies(checks):
        low, high = output_range
        images = low + tf.identity(images) * (high - low)
    return tf.cast(encoder(images, training=False), tf.float32)


def _add_encoder_endpoints(archive, encoder, data_shape, max_samples, output_range):
    archive.add_endpoint(
        "encode",
        lambda images: {
            "latent": _codes_of(encoder, images, data_shape, max_samples, output_range)
        },
        input_signature=[_images_spec()],
    )


def write_warmup_requests(
    version_dir,
    model_name,
    latent_dim,
    image,
    num_classes=None,
    data_shape=None,
    refined=False,
    truncated=True,
    styled=False,
):
    """Writes a TFRecord of PredictionLogs that TF Serving replays when it loads.

    Every signature is asked for two samples; with `truncated` (an export of
    a uniform or normal z), `generate_truncated` at truncation 1 and, with
    `refined`, `generate_refined` with one step; with `styled` (a StyleGAN2),
    `generate_w_truncated` at psi 1 and `mix_styles` of two zero latents at
    cutoff 1.

    With `data_shape` (an export with an encoder), `encode` and `reconstruct`
    requests of two blank samples are replayed too.
    """

    requests = {
        "serving_default": {"latent": tf.make_tensor_proto(tf.zeros([2, latent_dim]))},
        "generate": seeded_inputs(),
    }
    if image:
        requests["generate_png"] = seeded_inputs()
    if truncated:
        requests["generate_truncated"] = {
            **seeded_inputs(),
            "truncation": tf.make_tensor_proto(1.0, dtype=tf.float32),
        }
    if refined:
        requests["generate_refined"] = {
            **seeded_inputs(),
            "steps": tf.make_tensor_proto(1, dtype=tf.int32),
        }
    if styled:
        requests["generate_w_truncated"] = {
            **seeded_inputs(),
            "psi": tf.make_tensor_proto(1.0, dtype=tf.float32),
        }
        zeros = tf.make_tensor_proto(tf.zeros([2, latent_dim]))
        requests["mix_styles"] = {
            "latent": zeros,
            "mix_latent": zeros,
            "cutoff": tf.make_tensor_proto(1, dtype=tf.int32),
        }
    if data_shape is not None:
        blank = tf.make_tensor_proto(tf.zeros([2, *data_shape]))
        requests["encode"] = {"images": blank}
        requests["reconstruct"] = {"images": blank}
    if num_classes is not None:
        # Two samples of the first and the last class.
        labels = tf.make_tensor_proto([0, num_classes - 1], dtype=tf.int32)
        for signature, inputs in requests.items():
            if signature not in ("encode", "reconstruct"):
                inputs["labels"] = labels
    write_prediction_logs(version_dir, model_name, requests)


def write_prediction_logs(version_dir, model_name, requests):
    """Writes `assets.extra/tf_serving_warmup_requests`: one PredictRequest per
    `{signature: {input name: TensorProto}}` entry, in order."""
    from tensorflow_serving.apis import model_pb2
    from tensorflow_serving.apis import predict_pb2
    from tensorflow_serving.apis import prediction_log_pb2

    folder = pathlib.Path(version_dir) / "assets.extra"
    folder.mkdir(parents=True, exist_ok=True)
    with tf.io.TFRecordWriter(str(folder / WARMUP_FILE)) as writer:
        for signature, inputs in requests.items():
            request = predict_pb2.PredictRequest(
                model_spec=model_pb2.ModelSpec(name=model_name, signature_name=signature)
            )
            for key, proto in inputs.items():
                request.inputs[key].CopyFrom(proto)
            log = prediction_log_pb2.PredictionLog(
                predict_log=prediction_log_pb2.PredictLog(request=request)
            )
            writer.write(log.SerializeToString())


def seeded_inputs():
    return {
        "num_samples": tf.make_tensor_proto(2, dtype=tf.int32),
        "seed": tf.make_tensor_proto(0, dtype=tf.int64),
    }
