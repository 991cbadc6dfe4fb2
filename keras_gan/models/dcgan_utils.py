"""Shape arithmetic shared by the DCGAN generator and discriminator."""


def resolution_steps(data_shape, arg_name="data_shape"):
    """How many stride-2 stages link a `data_shape` image to a >= 4x4 base grid.

    28x28 -> 2 stages (7x7 base), 32x32 -> 3 stages (4x4 base).

    Raises:
        ValueError: if `data_shape` is not a square `(H, W, C)` image that can
            be halved at least once to a grid of 4x4 or more.
    """
    if len(data_shape) != 3 or data_shape[0] != data_shape[1]:
        raise ValueError(
            f"`{arg_name}` must be a square image shape (H, H, C). "
            f"Received: {arg_name}={data_shape}"
        )
    size, steps = data_shape[0], 0
    while size % 2 == 0 and size // 2 >= 4:
        size //= 2
        steps += 1
    if steps == 0:
        raise ValueError(
            f"`{arg_name}` must have a side that halves to 4 or more pixels "
            f"(e.g. 28 or 32). Received: {arg_name}={data_shape}"
        )
    return steps
