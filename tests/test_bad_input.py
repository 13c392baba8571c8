"""Every bad input a user can give ends in one line on stderr naming the
problem and the fix, a non-zero exit code, no traceback, and the
existing checkpoints and results exactly as they were (hashed)."""
import gzip
import hashlib
import os
import pickle
import shutil

import numpy as np
import pytest

from tests import commands
from tests.helpers import write_idx
from tests.test_data import Exploit

# A proxy that refuses every connection: downloads fail at once, as they
# do offline, whether or not this machine has a network.
OFFLINE = {"http_proxy": "http://127.0.0.1:9", "https_proxy":
           "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "HTTPS_PROXY": "http://127.0.0.1:9", "no_proxy": ""}


@pytest.fixture(scope="module")
def world(tmp_path_factory, small_mnist):
    """A trained checkpoint directory and its results, and broken data."""
    root = tmp_path_factory.mktemp("bad_input")
    checkpoints, results = str(root / "checkpoints"), str(root / "results")
    trained = commands.run(
        "vae_digits.train", "--epochs", "1", "--seed", "1", "--data-path",
        small_mnist, "--checkpoint-dir", checkpoints, "--result-dir", results)
    assert trained.returncode == 0, trained.stderr

    def broken_idx(name, images, magic=None):
        directory = str(root / name)
        shutil.copytree(small_mnist, directory)
        write_idx(os.path.join(directory, "train-images-idx3-ubyte.gz"),
                  images, magic=magic)
        return directory

    images = np.zeros((1200, 28, 28), np.uint8)
    paths = dict(
        empty=str(root / "empty"),
        evil=str(root / "evil.pkl.gz"),
        marker=str(root / "pwned"),
        truncated=str(root / "truncated.pkl.gz"),
        magic=broken_idx("magic", images, magic=0x0802),
        size=broken_idx("size", images),
        image_size=broken_idx("image_size", np.zeros((1200, 20, 20),
                                                     np.uint8)),
        a_file=str(root / "a_file"))
    os.mkdir(paths["empty"])
    with gzip.open(paths["evil"], "wb") as f:
        pickle.dump(((Exploit(paths["marker"]), None),) * 3, f, protocol=2)
    noise = np.random.RandomState(0).rand(100, 784).astype(np.float32)
    with gzip.open(paths["truncated"], "wb") as f:
        pickle.dump(((noise, np.zeros(100)),) * 3, f, protocol=2)
    with open(paths["truncated"], "r+b") as f:
        f.truncate(os.path.getsize(paths["truncated"]) // 2)
    with gzip.open(os.path.join(paths["size"], "train-images-idx3-ubyte.gz"),
                   "rb") as f:
        content = f.read()
    with gzip.open(os.path.join(paths["size"], "train-images-idx3-ubyte.gz"),
                   "wb") as f:
        f.write(content[:-784])
    open(paths["a_file"], "w").close()
    return dict(paths, data=small_mnist, checkpoints=checkpoints,
                results=results)


# (case, module, arguments ({name} from the world), exit code, fragments)
CASES = [
    ("missing data file offline", "train", ["--data-path", "{empty}"], 1,
     ["could not download", "Offline? Put the four MNIST files"]),
    ("pickle building other objects", "train", ["--data-path", "{evil}"],
     1, ["which is not a numpy"]),
    ("truncated mnist.pkl.gz", "train", ["--data-path", "{truncated}"], 1,
     ["{truncated}"]),
    ("IDX file with wrong magic", "train", ["--data-path", "{magic}"], 1,
     ["wrong magic number"]),
    ("IDX file with wrong size", "train", ["--data-path", "{size}"], 1,
     ["should hold"]),
    ("data of the wrong image size", "train",
     ["--data-path", "{image_size}"], 1, ["20x20 images"]),
    ("--epochs 0", "train", ["--epochs", "0"], 2, ["--epochs: must be"]),
    ("--epochs -3", "train", ["--epochs", "-3"], 2, ["--epochs: must be"]),
    ("--batch-size 0", "train", ["--batch-size", "0"], 2,
     ["--batch-size: must be a positive integer"]),
    ("--batch-size above the data", "train", ["--batch-size", "5000"], 1,
     ["larger than the 1200 training digits"]),
    ("negative --learning-rate", "train", ["--learning-rate", "-0.1"], 2,
     ["must be a positive number, got '-0.1'"]),
    ("NaN --learning-rate", "train", ["--learning-rate", "nan"], 2,
     ["must be a positive number, got 'nan'"]),
    ("--z-dim 0", "train", ["--z-dim", "0"], 2, ["--z-dim: must be"]),
    ("--save-freq 0", "train", ["--save-freq", "0"], 2,
     ["--save-freq: must be"]),
    ("--std-noise nan", "generate", ["--std-noise", "nan"], 2,
     ["must be a finite number, got 'nan'"]),
    ("--std-noise inf", "generate", ["--std-noise", "inf"], 2,
     ["must be a finite number, got 'inf'"]),
    ("--digits outside the test set", "generate", ["--digits", "3", "500"],
     1, ["digit index 500 is outside the test set of 500 digits"]),
    ("--n-samples 0", "generate", ["--n-samples", "0"], 2,
     ["--n-samples: must be a positive integer"]),
    ("--checkpoint missing (generate)", "generate",
     ["--checkpoint", "{checkpoints}/vae.epoch.7.ckpt"], 1,
     ["no checkpoint {checkpoints}/vae.epoch.7.ckpt"]),
    ("--checkpoint missing (evaluate)", "evaluate",
     ["--checkpoint", "{checkpoints}/vae.epoch.7.ckpt"], 1,
     ["no checkpoint {checkpoints}/vae.epoch.7.ckpt"]),
    ("checkpoints of another --z-dim", "train", ["--z-dim", "20"], 1,
     ["z_dim 40, not 20", "use --z-dim 40"]),
    ("--result-dir is a file (train)", "train", ["--result-dir", "{a_file}"],
     1, ["--result-dir {a_file} is a file"]),
    ("--result-dir is a file (generate)", "generate",
     ["--result-dir", "{a_file}"], 1, ["--result-dir {a_file} is a file"]),
    ("generate with no checkpoint", "generate",
     ["--checkpoint-dir", "{empty}"], 1, ["no checkpoint in {empty}"]),
    ("evaluate with no checkpoint", "evaluate",
     ["--checkpoint-dir", "{empty}"], 1, ["no checkpoint in {empty}"]),
    ("--model unknown", "train", ["--model", "gan"], 2,
     ["--model: invalid choice: 'gan'"]),
    ("--dataset unknown", "generate", ["--dataset", "cifar"], 2,
     ["--dataset: invalid choice: 'cifar'"]),
    ("negative --kl-weight", "train", ["--model", "conv", "--kl-weight",
                                       "-1"], 2,
     ["--kl-weight: must be 0 or a positive number, got '-1'"]),
    ("NaN --kl-weight", "train", ["--model", "conv", "--kl-weight", "nan"],
     2, ["must be 0 or a positive number, got 'nan'"]),
    ("--model conv on the blog model's directory", "train",
     ["--model", "conv"], 1, ["hold the mlp model, not conv",
                              "pass --model mlp"]),
    ("--model conditional on the blog model's directory", "train",
     ["--model", "conditional"], 1, ["hold the mlp model, not conditional"]),
    ("generate --model conv on the blog model's directory", "generate",
     ["--model", "conv"], 1, ["holds the mlp model, not conv"]),
    ("--grid-size 0", "generate", ["--mode", "manifold", "--grid-size", "0"],
     2, ["--grid-size: must be an integer of at least 2, got '0'"]),
    ("--steps 1", "generate", ["--mode", "interpolate", "--steps", "1"], 2,
     ["--steps: must be an integer of at least 2, got '1'"]),
    ("--mode manifold on a 40-D latent space", "generate",
     ["--mode", "manifold"], 1, ["--mode manifold needs a 2-D latent space",
                                 "z_dim 40", "--z-dim 2"]),
    ("--mode interpolate with an odd list", "generate",
     ["--mode", "interpolate", "--digits", "3", "2", "1"], 1,
     ["--digits in pairs", "got 3 indices"]),
    ("--mode interpolate outside the test set", "generate",
     ["--mode", "interpolate", "--digits", "3", "500"], 1,
     ["digit index 500 is outside the test set of 500 digits"]),
    ("--labels outside 0..9", "generate", ["--labels", "7", "10"], 2,
     ["--labels: must be a digit 0-9, got '10'"]),
    ("--labels for a model without digit classes", "generate",
     ["--labels", "7"], 1, ["--labels draws chosen digits with the "
                            "conditional model", "holds the mlp model"]),
    ("--format unknown", "export", ["--format", "onnx"], 2,
     ["--format: invalid choice: 'onnx'"]),
    ("--float16 with a value", "export", ["--float16=yes"], 2,
     ["--float16: ignored explicit argument 'yes'"]),
    ("html without test images offline", "export",
     ["--data-path", "{empty}", "--output", "{empty}/page.html"], 1,
     ["could not download"]),
    ("export with no checkpoint", "export",
     ["--format", "savedmodel", "--checkpoint-dir", "{empty}"], 1,
     ["no checkpoint in {empty}"]),
    ("--checkpoint missing (export)", "export",
     ["--format", "savedmodel", "--checkpoint",
      "{checkpoints}/vae.epoch.7.ckpt"], 1,
     ["no checkpoint {checkpoints}/vae.epoch.7.ckpt"]),
    ("--output exists", "export",
     ["--format", "savedmodel", "--output", "{results}"], 1,
     ["--output {results} already exists; remove it to export again, or "
      "pass another --output"]),
    # /proc/1 refuses new entries even to root, which chmod cannot do
    ("--output in a directory that is not writable", "export",
     ["--format", "savedmodel", "--output", "/proc/1/vae.savedmodel"], 1,
     ["cannot write to the directory of --output /proc/1 (Permission "
      "denied); pass a writable directory"]),
    ("--output below a file", "export",
     ["--format", "projector", "--output", "{a_file}/projector"], 1,
     ["the directory of --output {a_file} is a file, not a directory"]),
    ("--images 0", "export", ["--format", "projector", "--images", "0"], 2,
     ["--images: must be a positive integer, got '0'"]),
    ("--images above 10,000", "export",
     ["--format", "projector", "--images", "10001"], 2,
     ["--images: must be at most 10,000, got '10001'"]),
    ("projector without test images offline", "export",
     ["--format", "projector", "--data-path", "{empty}", "--output",
      "{empty}/projector"], 1, ["could not download"]),
    ("Fashion-MNIST missing offline", "train",
     ["--dataset", "fashion-mnist", "--data-path", "{empty}",
      "--checkpoint-dir", "{empty}/c"], 1,
     ["could not download train-images-idx3-ubyte.gz", "Offline? Put the "
      "four Fashion-MNIST files", "dataset-fashion-mnist"]),
]


def tree_digest(directory):
    """A hash of every file name and content below `directory`."""
    digest = hashlib.sha256()
    for parent, _, names in sorted(os.walk(directory)):
        for name in sorted(names):
            path = os.path.join(parent, name)
            digest.update(os.path.relpath(path, directory).encode())
            with open(path, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()


def run_case(world, module, arguments):
    """The command line of a case, with the world's data, checkpoints and
    results unless the case names its own."""
    arguments = [argument.format(**world) for argument in arguments]
    defaults = {"--data-path": world["data"],
                "--checkpoint-dir": world["checkpoints"]}
    if module not in ("evaluate", "export"):
        defaults["--result-dir"] = world["results"]
    for flag, value in defaults.items():
        if flag not in arguments:
            arguments += [flag, value]
    return commands.run("vae_digits." + module, *arguments, timeout=300,
                        env=dict(os.environ, **OFFLINE))


@pytest.mark.parametrize("case,module,arguments,code,fragments", CASES,
                         ids=[case[0] for case in CASES])
def test_bad_input_is_one_line_and_touches_nothing(
        world, case, module, arguments, code, fragments):
    before = [tree_digest(world[name]) for name in ("checkpoints",
                                                    "results")]
    result = run_case(world, module, arguments)
    assert result.returncode == code
    # progress (a download's) goes to stderr, before the one error line
    lines = [line for line in result.stderr.splitlines()
             if not line.startswith("Downloading ")]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert "error: " in line and "Traceback" not in line
    for fragment in fragments:
        assert fragment.format(**world) in line
    assert result.stdout == ""
    assert [tree_digest(world[name]) for name in ("checkpoints",
                                                  "results")] == before
    assert not os.path.exists(world["marker"])
    assert os.listdir(world["empty"]) == []
