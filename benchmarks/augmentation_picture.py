"""What ADA's pipeline does to real images: each group at p = 1, as the ADA paper shows them.

    python benchmarks/augmentation_picture.py --manual_dir=../shared/data/cifar10 \
        --output=docs/ada_augment_cifar10.png

Rows: the first `--count` CIFAR-10 test images, then each of `--pipelines` applied with
p = 1 (`keras_gan.layers.AdaAugment`, seed `--seed`). Without `--manual_dir`, random
colour blocks stand in for the images. A picture, not a test.
"""

import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_MANUAL_DIR = flags.DEFINE_string("manual_dir", "", "Folder of the CIFAR-10 .npz files.")
_PIPELINES = flags.DEFINE_list("pipelines", ["blit", "geom", "color", "bgc"], "Rows to draw.")
_COUNT = flags.DEFINE_integer("count", 8, "Images per row.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the augmentations.")
_OUTPUT = flags.DEFINE_string("output", None, "PNG to write (a new file).")
flags.mark_flag_as_required("output")


def images(manual_dir, count):
    import numpy as np

    if not manual_dir:
        rng = np.random.default_rng(0)
        blocks = rng.uniform(size=(count, 4, 4, 3)).astype("float32")
        return np.kron(blocks, np.ones((1, 8, 8, 1), "float32"))
    from keras_gan.data.cifar10_npz import load_cifar10_npz

    return np.asarray(load_cifar10_npz(manual_dir, "test")[:count], "float32")  # in [0, 1]


def main(argv):
    del argv
    import numpy as np
    from matplotlib.figure import Figure

    from keras_gan.layers import AdaAugment
    from keras_gan.layers.ada_augment import PIPELINES

    output = pathlib.Path(_OUTPUT.value)
    if output.exists():
        sys.exit(f"augmentation_picture: {output} exists and is never overwritten")
    unknown = [p for p in _PIPELINES.value if p not in PIPELINES]
    if unknown:
        sys.exit(f"augmentation_picture: --pipelines must be among {list(PIPELINES)}: {unknown}")
    originals = images(_MANUAL_DIR.value, _COUNT.value)
    rows = [("original", originals)]
    for pipeline in _PIPELINES.value:
        layer = AdaAugment(pipeline, probability=1.0, adaptive_target=None, seed=_SEED.value)
        rows.append((f"{pipeline}, p = 1", np.clip(layer(originals, training=True), 0, 1)))
    figure = Figure(figsize=(_COUNT.value, 1.1 * len(rows)))
    axes = figure.subplots(len(rows), _COUNT.value, squeeze=False)
    for (title, row), line in zip(rows, axes, strict=True):
        for image, axis in zip(row, line, strict=True):
            axis.imshow(image)
            axis.axis("off")
        line[0].set_title(title, fontsize=8, loc="left")
    figure.savefig(output, dpi=80, bbox_inches="tight")
    print(f"wrote {output}")


if __name__ == "__main__":
    app.run(main)
