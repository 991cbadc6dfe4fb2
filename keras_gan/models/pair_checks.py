"""What `GAN` checks when a generator and a discriminator are paired: the size of z,
the shapes they hand each other, and what D returns. Each check fails with a
`ValueError` naming what was received."""

from keras_gan.validation import positive_int


def resolve_latent_dim(generator, latent_dim):
    """The size of z: `latent_dim`, or what the generator declares; the two must agree."""
    declared = getattr(generator, "latent_dim", None)
    if declared is None:
        shape = declared_input_shape(generator)
        declared = shape[-1] if shape else None
    if latent_dim is None:
        if declared is None:
            raise ValueError(
                "`latent_dim` could not be read from the generator (it has no `latent_dim` "
                "attribute and no declared input shape); pass latent_dim=... "
                "Received: latent_dim=None"
            )
        latent_dim = declared
    latent_dim = positive_int("latent_dim", latent_dim)
    if declared is not None and int(declared) != int(latent_dim):
        raise ValueError(
            f"`latent_dim` does not match the generator's input size {declared}. "
            f"Received: latent_dim={latent_dim}"
        )
    return int(latent_dim)


def declared_input_shape(model):
    """The per-sample input shape a model declares (Input layer or `data_shape`), or None."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if inputs:
        return tuple(inputs[0].shape[1:])
    shape = getattr(model, "data_shape", None)
    return tuple(shape) if shape is not None else None


def check_class_names(class_names, num_classes):
    """The class names of a conditional GAN, as strings, one per class (or None)."""
    if class_names is None:
        return None
    if num_classes is None:
        raise ValueError(
            "`class_names` names the classes of a conditional GAN; pass num_classes too. "
            f"Received: class_names={list(class_names)[:10]}, num_classes=None"
        )
    names = [str(name) for name in class_names]
    if len(names) != num_classes:
        raise ValueError(
            f"`class_names` must name each of the {num_classes} classes. Received: "
            f"{len(names)} names"
        )
    return names


def check_input_shape(discriminator, data_shape):
    """Refuses a discriminator that declares an input shape other than the samples'."""
    expected = declared_input_shape(discriminator)
    if expected is not None and tuple(expected) != data_shape:
        raise ValueError(
            "The generator's output shape does not match the discriminator's input "
            f"shape. Received: generator output (batch, {', '.join(map(str, data_shape))}), "
            f"discriminator input (batch, {', '.join(map(str, expected))})"
        )


def check_logits(logits, num_classes, auxiliary_classifier, per_sample=1):
    """Checks D's output on a probe batch of 2: one logit per sample (or the
    `per_sample` logits a discriminator declares as `logits_per_sample`, which the
    loss averages), and with an auxiliary classifier `(logits, class_logits)` with
    `num_classes` class logits."""
    if auxiliary_classifier:
        shapes = [tuple(t.shape) for t in logits] if isinstance(logits, list | tuple) else []
        if len(shapes) != 2 or shapes[1] != (2, num_classes):
            raise ValueError(
                "With `auxiliary_classifier`, the discriminator returns (logits, "
                f"class_logits), class logits of shape (batch, {num_classes}). "
                f"Received: {shapes or tuple(logits.shape)} for a batch of 2"
            )
        logits = logits[0]
    elif isinstance(logits, list | tuple):
        raise ValueError(
            "The discriminator must return one logit per sample; it returned "
            f"{len(logits)} outputs (an AC-GAN discriminator's (logits, class_logits) needs "
            "GAN(auxiliary_classifier=weight)). Received: outputs of shapes "
            f"{[tuple(t.shape) for t in logits]} for a batch of 2"
        )
    if per_sample != 1:
        if tuple(logits.shape) != (2, per_sample):
            raise ValueError(
                f"The discriminator declares {per_sample} logits per sample "
                f"(logits_per_sample), shape (batch, {per_sample}). Received: output of "
                f"shape {tuple(logits.shape)} for a batch of 2"
            )
        return
    if tuple(logits.shape) not in ((2,), (2, 1)):
        raise ValueError(
            "The discriminator must return one logit per sample, shape (batch, 1) or "
            f"(batch,). Received: output of shape {tuple(logits.shape)} for a batch of 2"
        )
