"""Every command line of the README's and the docs' code blocks, run as a
user runs it: from a scratch working directory with the default relative paths,
with small real data where the README says it goes (MNIST in data/,
Fashion-MNIST in data/fashion-mnist). Only these are changed, and only
to keep the suite short:
- every `train` line trains at most 3 epochs (`--epochs 2` added, an
  `--epochs E` of its own becomes 3, so that it resumes);
- a line naming `--dataset fashion-mnist` gets `--data-path
  data/fashion-mnist` (Debian's full set would take minutes an epoch);
- `--checkpoint .../vae.epoch.N.ckpt` names the newest epoch there;
- `explore` lines without `--port` serve on any free port, and are
  stopped with Ctrl-C once they say where they serve;
- AIS, BDMC and the labs run on a few images with a few temperatures,
  chains and draws (SMALL below), and a lab that trains trains 1 epoch;
- Debian's Fashion-MNIST directory becomes data/fashion-mnist.
Training lines run first, in their order, then the others in theirs, each
in a process of its own forked from one that has imported TensorFlow
(tests/commands.py); the `explore` lines run in an interpreter each."""
import glob
import gzip
import os
import re
import shlex
import signal
import subprocess
import sys

import numpy as np
import pytest

from tests import commands
from tests.helpers import (
    REPO_ROOT,
    SHARED_MNIST,
    read_real_test_digits,
    sigint_at_default,
    write_idx_dir,
)

FASHION = "/usr/share/datasets/fashion-mnist"


def readme_command_lines():
    """The `python -m vae_digits.X` lines of the (indented) code blocks of
    the README and of the docs' pages, without their comments, in
    order, each once (a line the docs repeat is the same command)."""
    pages = [os.path.join(REPO_ROOT, "README.md")] + sorted(glob.glob(
        os.path.join(REPO_ROOT, "docs", "**", "*.md"), recursive=True))
    text = ""
    for page in pages:
        with open(page) as f:
            text += f.read() + "\n"
    lines = []
    for line in text.splitlines():
        match = re.match(r"^    (?:pip install -e \. && )?"
                         r"(python -m vae_digits\.\w+.*)$", line)
        if match:
            lines.append(match.group(1).split("#")[0].strip())
    return list(dict.fromkeys(lines))


def _read_idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def _small_fashion(directory):
    if os.path.isdir(FASHION):
        images = _read_idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz"),
                           16)[:1200 * 784].reshape(-1, 28, 28)
        labels = _read_idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz"),
                           8)[:1200]
        test_images = _read_idx(os.path.join(
            FASHION, "t10k-images-idx3-ubyte.gz"), 16)[:500 * 784].reshape(
            -1, 28, 28)
        test_labels = _read_idx(os.path.join(
            FASHION, "t10k-labels-idx1-ubyte.gz"), 8)[:500]
    else:  # digits under Fashion-MNIST's name: the commands only need files
        images, labels = read_real_test_digits()
        images, labels, test_images, test_labels = (
            images[500:1700], labels[500:1700], images[:500], labels[:500])
    write_idx_dir(directory, images, labels, test_images, test_labels)


# The flags that keep AIS, BDMC and the labs short, where a line takes them.
SMALL = {"--n-images": "4", "--temperatures": "3", "--chains": "2",
         "--max-particles": "20", "--simulated": "2", "--particles": "2",
         "--eval-particles": "10", "--train-images": "256"}
SMALL_FOR = {"evaluate": ("--n-images", "--temperatures", "--chains"),
             "lab bounds": ("--n-images", "--temperatures", "--chains",
                            "--max-particles", "--simulated"),
             "lab iwae-vs-vae": ("--n-images", "--particles",
                                 "--eval-particles", "--train-images"),
             "lab paradox": ("--n-images", "--particles", "--train-images")}


def _small(args, line):
    """`args` with SMALL's values for the flags its kind of line takes."""
    for kind, flags in SMALL_FOR.items():
        if f"vae_digits.{kind}" in line and (kind != "evaluate" or re.search(
                r"--method (ais|bdmc)", line)):
            for flag in flags:
                if flag in args:
                    args[args.index(flag) + 1] = SMALL[flag]
                else:
                    args += [flag, SMALL[flag]]
            if "--epochs" in args and kind.startswith("lab"):
                args[args.index("--epochs") + 1] = "1"
    return args


def as_run(line, cwd):
    """The argument list the test runs for a README line, from `cwd` (see
    above)."""
    args = shlex.split(line)[2:]  # after `python -m`
    module = args[0]
    if module == "vae_digits.train":
        if "--epochs" in args:
            args[args.index("--epochs") + 1] = "3"
        else:
            args += ["--epochs", "2"]
    if module == "vae_digits.explore" and "--port" not in args:
        args += ["--port", "0"]  # any free port: 8000 may be taken here
    args = [os.path.join("data", "fashion-mnist") if arg == FASHION else arg
            for arg in _small(args, line)]
    if "fashion-mnist" in args and "--data-path" not in args:
        args += ["--data-path", os.path.join("data", "fashion-mnist")]
    if "--checkpoint" in args:
        path = args[args.index("--checkpoint") + 1]
        epochs = sorted(int(name.split(".")[2]) for name in os.listdir(
            os.path.join(cwd, os.path.dirname(path)))
            if name.endswith(".ckpt.index"))
        args[args.index("--checkpoint") + 1] = re.sub(
            r"epoch\.\d+", f"epoch.{epochs[-1]}", path)
    return [sys.executable, "-m"] + args


def run_explore(command, cwd):
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=sigint_at_default)
    first = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return process.returncode, first + out, err


def test_every_readme_command_line_runs_as_written(tmp_path):
    if not os.path.isdir(SHARED_MNIST):
        pytest.skip(f"real MNIST digits not found at {SHARED_MNIST}")
    images, labels = read_real_test_digits()
    write_idx_dir(str(tmp_path / "data"), images[500:1700], labels[500:1700],
                  images[:500], labels[:500])
    _small_fashion(str(tmp_path / "data" / "fashion-mnist"))
    lines = readme_command_lines()
    modules = {line.split()[2] for line in lines}
    assert {"vae_digits.train", "vae_digits.generate", "vae_digits.evaluate",
            "vae_digits.explore"} <= modules
    ordered = ([line for line in lines if " vae_digits.train" in line] +
               [line for line in lines if " vae_digits.train" not in line])
    for line in ordered:
        command = as_run(line, str(tmp_path))
        if "vae_digits.explore" in line:
            code, out, err = run_explore(command, str(tmp_path))
            assert out.startswith("Serving the "), (line, out, err)
        else:
            result = commands.run(*command[2:], cwd=tmp_path, timeout=600)
            code, out, err = result.returncode, result.stdout, result.stderr
        assert code == 0, (line, err)
        assert "Traceback" not in err and "error:" not in err, (line, err)


def test_the_readme_times_are_a_quiet_machines_and_say_busy_is_slower():
    """The test command's time is CI's on a quiet 2-core machine (about
    25 minutes), and the README says that more is normal when busy."""
    with open(os.path.join(REPO_ROOT, "README.md")) as f:
        text = " ".join(f.read().split())
    stated = re.search(r"run the tests \(about (\d+) minutes on a quiet "
                       r"2-core machine", text)
    assert stated and int(stated.group(1)) >= 20, "the test command's time"
    assert "Times are from a quiet 2-core" in text
    assert "while other work shares the cores" in text


def test_training_docs_show_each_models_epoch_line_and_which_way_is_better():
    """docs/training.md: an epoch line of the blog's, the conv and the
    conditional model as each prints it, and which way is better."""
    from vae_digits import models
    from vae_digits.models.base import label
    with open(os.path.join(REPO_ROOT, "docs", "training.md")) as f:
        section = f.read().split("## Reading the epoch lines")[1]
    section = section.split("\n## ")[0]
    shown = [line.strip() for line in section.splitlines()
             if line.startswith("    Epoch ")]
    for name in ("mlp", "conv", "conditional"):
        figures = ", ".join(
            rf"{re.escape(label(metric, capitalize=True))} = -?\d+\.\d+"
            for metric in models.get(name).train_metrics)
        assert any(re.fullmatch(rf"Epoch \d+ \(\d+\.\ds\): {figures}", line)
                   for line in shown), name
    assert "**higher is better**" in section
    assert "**lower is better**" in section
