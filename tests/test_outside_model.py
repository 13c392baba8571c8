"""A model of the user's own, outside the package: the lines of
docs/adding-a-model.md, run from a scratch directory as the page shows
them (a copy of conv.py as my_vae.py on the PYTHONPATH), through train,
generate, evaluate, load and explore. Only the run's size changes
(2 epochs on small real data) and explore is stopped once it serves."""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import vae_digits
from tests.helpers import (
    REPO_ROOT,
    SHARED_MNIST,
    read_real_test_digits,
    sigint_at_default,
    write_idx_dir,
)
from vae_digits.core.errors import UserError

PAGE = os.path.join(REPO_ROOT, "docs", "adding-a-model.md")
# `python` is the Python that runs the tests, as in the user's shell
ENV = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep +
           os.environ.get("PATH", ""))
EXPLORE = ('python -m vae_digits.explore --port 0 {} > explore.log 2>&1 & '
           'pid=$!; for i in $(seq 1200); do grep -q "^Serving" explore.log '
           '&& break; sleep 0.1; done; kill -INT $pid; wait $pid; '
           'cat explore.log')


def documented_lines():
    """The lines of the page's bash block."""
    with open(PAGE) as f:
        block = re.search(r"```bash\n(.*?)```", f.read(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def as_run(line):
    line = line.replace("--epochs 10", "--epochs 2 --train-images 300")
    if line.startswith("python -m vae_digits.explore"):
        return EXPLORE.format(line.split("explore", 1)[1])
    return line


def test_the_documented_outside_model_trains_draws_loads_and_serves(
        tmp_path):
    if not os.path.isdir(SHARED_MNIST):
        pytest.skip(f"real MNIST digits not found at {SHARED_MNIST}")
    images, labels = read_real_test_digits()
    write_idx_dir(str(tmp_path / "data"), images[500:1700], labels[500:1700],
                  images[:500], labels[:500])
    lines = documented_lines()
    assert any("--model my_vae" in line for line in lines)
    # job control, so that the background explore takes Ctrl-C (SIGINT)
    script = "set -em\n" + "\n".join(as_run(line) for line in lines)
    result = subprocess.run(["bash", "-c", script], cwd=str(tmp_path),
                            env=ENV, capture_output=True, text=True,
                            timeout=900, preexec_fn=sigint_at_default)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    out = result.stdout
    assert "Epoch 2 (" in out and "Loss = " in out
    assert "Wrote latent.png, latent.csv from checkpoints/my_vae/" in out
    assert ">> Test loss = " in out
    assert "<TrainedModel my_vae on mnist, epoch 2, z_dim 2>" in out
    assert "Serving the my_vae model (epoch 2, checkpoints/my_vae/" in out
    with open(tmp_path / "checkpoints" / "my_vae" / "model_config.json") as f:
        assert json.load(f)["model"] == "my_vae"
    assert (tmp_path / "results" / "my_vae" / "latent.png").exists()


def test_a_module_that_is_not_a_model_is_refused_in_one_line(tmp_path):
    (tmp_path / "not_a_model.py").write_text("x = 1\n")
    (tmp_path / "misnamed.py").write_text(
        "from vae_digits.models.conv import ConvVAE\n\n\n"
        "class Misnamed(ConvVAE):\n    name = 'conv'\n")
    env = dict(ENV, PYTHONPATH=str(tmp_path))
    for module, fragment in (
            ("not_a_model", "defines 0 subclasses"),
            ("misnamed", "set name = 'misnamed' in it"),
            ("no_such_module", "invalid choice: 'no_such_module'")):
        result = subprocess.run(
            ["python", "-m", "vae_digits.train", "--model", module],
            cwd=str(tmp_path), env=env, capture_output=True, text=True,
            timeout=120)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert fragment in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["misnamed.py", "not_a_model.py"]


EVIL = ("import pathlib, sys\n"
        "pathlib.Path('ran.txt').write_text('ran')\n"
        "sys.exit('evilmod took over')\n")


def test_a_shared_checkpoint_runs_no_code_the_user_did_not_name(
        tmp_path, monkeypatch):
    """A checkpoint folder naming the module evilmod beside it: refused
    in one line saying what to type, nothing imported; named, its
    SystemExit is the package's one-line error."""
    (tmp_path / "evilmod.py").write_text(EVIL)
    (tmp_path / "model_config.json").write_text(
        '{"model": "evilmod", "x_dim": 784}')
    (tmp_path / "vae.epoch.1.ckpt.index").write_bytes(b"")
    rng = np.random.RandomState(0)
    data = write_idx_dir(str(tmp_path / "data"), rng.randint(
        256, size=(12, 28, 28)), np.arange(12) % 10, rng.randint(
        256, size=(10, 28, 28)), np.arange(10))
    for command in ("generate", "train"):
        result = subprocess.run(
            ["python", "-m", f"vae_digits.{command}", "--checkpoint-dir",
             ".", "--data-path", data] + ["--batch-size", "5"] * (
                command == "train"), cwd=str(tmp_path), env=ENV,
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines() == [
            "error: ./model_config.json names the model 'evilmod', a module "
            "outside the package, and loading it would run that module's "
            "code; if you trust it, name it yourself: --model evilmod (in "
            "Python: vae_digits.load(path, model='evilmod'))."]
    assert not (tmp_path / "ran.txt").exists()
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(UserError, match="model='evilmod'"):
        vae_digits.load(str(tmp_path))
    assert not (tmp_path / "ran.txt").exists()
    with pytest.raises(UserError, match=r"^model module evilmod failed to "
                       r"import \(SystemExit: evilmod took over\); fix it"):
        vae_digits.load(str(tmp_path), model="evilmod")
    assert (tmp_path / "ran.txt").exists()  # named: it ran, as asked
    result = subprocess.run(
        ["python", "-m", "vae_digits.generate", "--model", "evilmod"],
        cwd=str(tmp_path), env=ENV, capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "(SystemExit: evilmod took over)" in result.stderr
