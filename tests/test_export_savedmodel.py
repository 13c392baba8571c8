"""`python -m vae_digits.export --format savedmodel`: for each model (a
tiny training run), a SavedModel that TensorFlow Serving can serve (tag
`serve`, predict signatures with named inputs and outputs of batch
dimension None) and that plain `tf.saved_model.load` loads in a Python
where `import vae_digits` fails, whose decode, encode, classify and
serving_default agree with `vae_digits.load(...)` within 1e-5 on random
codes and real test digits, as the snippet of docs/sharing.md runs
there; its default place, and a failed write that leaves nothing
behind."""
import contextlib
import dataclasses
import errno
import io
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import vae_digits
from tests.helpers import REPO_ROOT, read_real_test_digits
from tests.test_cli import assert_one_line_error
from vae_digits import export
from vae_digits.core.compat import tf
from vae_digits.sharing import FORMATS

MODEL_NAMES = ("mlp", "conv", "conditional")
DOCS = os.path.join(REPO_ROOT, "docs", "sharing.md")
# the docs' own export line writes it there, whatever the run's length
EXPORT_LINE = "python -m vae_digits.export --format savedmodel --output vae.savedmodel"
DOCUMENTED = "vae.savedmodel"
TOLERANCE = 1e-5

# Run in a fresh Python: `import vae_digits` must fail there, then each
# SavedModel answers every signature for the inputs of inputs.npz.
OUTSIDE = r"""
import importlib.abc, json, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "vae_digits":
            raise ImportError("vae_digits is not installed here")

sys.meta_path.insert(0, Refuse())
try:
    import vae_digits
except ImportError:
    pass
else:
    sys.exit("vae_digits could be imported")
import numpy as np
import tensorflow as tf

inputs, answers = np.load(sys.argv[1]), {}
for name, directory in json.loads(sys.argv[3]).items():
    signatures = tf.saved_model.load(directory).signatures
    for key, function in signatures.items():
        feed = "codes" if "codes" in function.structured_input_signature[1] \
            else "images"
        outputs = function(**{feed: tf.constant(inputs[f"{name}.{feed}"])})
        for output, value in outputs.items():
            answers[f"{name}.{key}.{output}"] = value.numpy()
np.savez(sys.argv[2], **answers)
exec(sys.argv[4])  # the snippet of docs/sharing.md
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory, small_mnist):
    """{model: (its checkpoint directory, its SavedModel, the line the
    command printed)}, each model trained one short epoch."""
    root = tmp_path_factory.mktemp("export_savedmodel")
    found = {}
    for seed, name in enumerate(MODEL_NAMES):
        checkpoint_dir = vae_digits.train(
            model=name, epochs=1, train_images=200, batch_size=50, seed=seed,
            data_path=small_mnist, checkpoint_dir=root / "checkpoints" / name,
            result_dir=root / "results" / name)
        output = str(root / f"{name}.savedmodel")
        line = io.StringIO()
        with contextlib.redirect_stdout(line):
            export.main(["--format", "savedmodel", "--checkpoint-dir",
                         checkpoint_dir, "--output", output])
        found[name] = (checkpoint_dir, output, line.getvalue())
    return found


@pytest.fixture(scope="module")
def test_images():
    images = read_real_test_digits()[0][:100] / 255.
    return images.astype(np.float32)


def _inputs(vae, test_images):
    """(codes, images) to feed: random codes (the conditional model's
    with random class probabilities), real test digits (for the blog's
    model binarised as it binarises them: its graph reads binary
    pixels)."""
    rng = np.random.RandomState(0)
    codes = rng.randn(50, vae.code_dim).astype(np.float32)
    if vae.has_labels:
        codes[:, vae.z_dim:] = rng.dirichlet(np.ones(10), size=50)
    images = test_images
    if vae.binarized:
        images = rng.binomial(1, images).astype(np.float32)
    return codes, images


def test_the_line_says_what_was_written_and_how_to_open_it(exported):
    for name, (checkpoint_dir, output, line) in exported.items():
        signatures = "decode, encode, classify, serving_default" if \
            name == "conditional" else "decode, encode, serving_default"
        assert line == (
            f"Wrote a SavedModel (signatures {signatures}) of "
            f"{os.path.join(checkpoint_dir, 'vae.epoch.1.ckpt')} to "
            f"{output}; load it with tf.saved_model.load({output!r}) or "
            "serve it with TensorFlow Serving (see docs/sharing.md)\n")
        assert sorted(os.listdir(output)) == ["saved_model.pb", "variables"]
        parent = os.path.dirname(output)
        assert not [n for n in os.listdir(parent) if n.endswith(".part")]


def test_the_signatures_are_what_tensorflow_serving_serves(exported):
    from tensorflow.core.protobuf import saved_model_pb2
    for name, (_, output, _) in exported.items():
        saved = saved_model_pb2.SavedModel()
        with open(os.path.join(output, "saved_model.pb"), "rb") as f:
            saved.ParseFromString(f.read())
        [meta_graph] = saved.meta_graphs
        assert list(meta_graph.meta_info_def.tags) == ["serve"]
        shapes = {}
        for key, signature in meta_graph.signature_def.items():
            assert signature.method_name == "tensorflow/serving/predict"
            for side in ("inputs", "outputs"):
                for tensor_name, info in getattr(signature, side).items():
                    assert info.dtype == 1  # DT_FLOAT
                    shapes[f"{key}.{tensor_name}"] = [
                        d.size for d in info.tensor_shape.dim]
        z_dim = {"mlp": 40, "conv": 2, "conditional": 10}[name]
        code_dim = z_dim + (10 if name == "conditional" else 0)
        expected = {"decode.codes": [-1, code_dim],
                    "decode.images": [-1, 28, 28],
                    "encode.images": [-1, 28, 28],
                    "encode.mean": [-1, z_dim], "encode.std": [-1, z_dim],
                    "serving_default.codes": [-1, code_dim],
                    "serving_default.images": [-1, 28, 28]}
        if name == "conditional":
            expected.update({"classify.images": [-1, 28, 28],
                             "classify.probabilities": [-1, 10]})
        assert shapes == expected


def test_plain_tensorflow_without_vae_digits_gets_the_same_answers(
        exported, test_images, tmp_path):
    expected, feeds = {}, {}
    for name, (checkpoint_dir, _, _) in exported.items():
        with vae_digits.load(checkpoint_dir) as vae:
            codes, images = _inputs(vae, test_images)
            feeds.update({f"{name}.codes": codes, f"{name}.images": images})
            decoded = vae.decode(codes)
            mean, std = vae.encode(images, std=True)
            expected.update({f"{name}.decode.images": decoded,
                             f"{name}.serving_default.images": decoded,
                             f"{name}.encode.mean": mean,
                             f"{name}.encode.std": std})
            if vae.has_labels:
                expected[f"{name}.classify.probabilities"] = \
                    vae.classify(images)
    np.savez(tmp_path / "inputs.npz", **feeds)
    directories = {name: output for name, (_, output, _) in exported.items()}
    with open(DOCS) as f:
        page = f.read()
    snippet = re.search(r"```python\n(.*?)```", page, re.S).group(1)
    assert EXPORT_LINE in page and f'load("{DOCUMENTED}")' in snippet
    assert not re.search(r"vae\.epoch\.\d+\.savedmodel", snippet +
                         "".join(re.findall(r"```bash\n(.*?)```", page, re.S)))
    os.symlink(exported["mlp"][1], tmp_path / DOCUMENTED)  # as EXPORT_LINE
    result = subprocess.run(
        [sys.executable, "-c", OUTSIDE, str(tmp_path / "inputs.npz"),
         str(tmp_path / "answers.npz"), json.dumps(directories), snippet],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "(5, 28, 28) (5, 40) (5, 40)\n"
    # resource variables: TensorFlow 2 loads them without a warning each
    assert "reference variable" not in result.stderr
    answers = np.load(tmp_path / "answers.npz")
    assert sorted(answers.files) == sorted(expected)
    for key, value in expected.items():
        assert answers[key].shape == value.shape, key
        np.testing.assert_allclose(answers[key], value, rtol=0,
                                   atol=TOLERANCE, err_msg=key)


def test_by_default_it_goes_beside_the_models_pictures(
        exported, tmp_path, monkeypatch, capsys):
    checkpoint_dir = exported["conv"][0]
    monkeypatch.chdir(tmp_path)
    export.main(["--format", "savedmodel", "--checkpoint-dir",
                 checkpoint_dir])
    output = os.path.join("results", "conv", "export",
                          "vae.epoch.1.savedmodel")
    assert os.path.isfile(os.path.join(output, "saved_model.pb"))
    assert f" to {output}; " in capsys.readouterr().out
    assert_one_line_error(capsys, lambda: export.main(
        ["--format", "savedmodel", "--checkpoint-dir", checkpoint_dir]), 1,
        f"error: --output {output} already exists; remove it to export "
        "again, or pass another --output.")


@pytest.mark.parametrize("error", [
    OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
    tf.errors.ResourceExhaustedError(None, None, "could not write: No "
                                     "space left on device")],
    ids=["OSError", "TensorFlow's error"])
def test_a_failed_write_leaves_nothing(exported, tmp_path, monkeypatch,
                                       capsys, error):
    def fill_the_disk(vae, directory, test_set):
        with open(os.path.join(directory, "saved_model.pb"), "wb") as f:
            f.write(b"half")
        raise error
    monkeypatch.setitem(FORMATS, "savedmodel", dataclasses.replace(
        FORMATS["savedmodel"], write=fill_the_disk))
    output = str(tmp_path / "out" / "model.savedmodel")
    assert_one_line_error(capsys, lambda: export.main(
        ["--format", "savedmodel", "--checkpoint-dir",
         exported["mlp"][0], "--output", output]), 1,
        "No space left on device", "free some space")
    assert os.listdir(tmp_path / "out") == []
