"""Which of a GAN's two optimizers a callback acts on."""

CHOICES = ("both", "discriminator", "generator")


def check_choice(optimizers):
    if optimizers not in CHOICES:
        raise ValueError(
            f"`optimizers` must be one of {list(CHOICES)}. Received: optimizers={optimizers!r}"
        )
    return optimizers


def chosen_optimizers(gan, optimizers):
    """`{"d": optimizer, "g": optimizer}` restricted to the choice.

    Raises:
        ValueError: if the model has no `d_optimizer` / `g_optimizer` (it is
            not a compiled keras_gan GAN).
    """
    if getattr(gan, "d_optimizer", None) is None or getattr(gan, "g_optimizer", None) is None:
        raise ValueError(
            "This callback acts on a compiled keras_gan GAN's d_optimizer and g_optimizer. "
            f"Received: a {type(gan).__name__} without them"
        )
    found = {"d": gan.d_optimizer, "g": gan.g_optimizer}
    if optimizers == "discriminator":
        return {"d": found["d"]}
    if optimizers == "generator":
        return {"g": found["g"]}
    return found
