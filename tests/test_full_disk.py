"""A full disk loses no work: with the result directory on a small full
file system (a tmpfs mounted in a mount namespace of the test's own),
training saves the checkpoint first, says in one line what it could not
write and why, exits 1 and leaves nothing half-written; generate says
which file it could not write. A directory whose name is not UTF-8
(which TensorFlow cannot write or read) is refused before any work."""
import os
import shlex
import shutil
import subprocess
import sys

import pytest

import vae_digits


def _namespaces_work():
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"],
                          capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _namespaces_work(),
                                reason="no mount namespace (unshare -rm)")


def on_small_disk(directory, command, kib=64, fill=False):
    """Run `command` with `directory` a fresh tmpfs of `kib` KiB (full,
    with `fill`), in a mount namespace of its own."""
    script = (f"mkdir -p {shlex.quote(directory)} && mount -t tmpfs -o "
              f"size={kib}k tmpfs {shlex.quote(directory)} && ")
    if fill:
        script += (f"dd if=/dev/zero of={shlex.quote(directory)}/fill bs=1k "
                   f"count={kib} 2>/dev/null; ")
    script += (" ".join(shlex.quote(word) for word in command) +
               f"; code=$?; ls -a {shlex.quote(directory)} >&2; exit $code")
    return subprocess.run(["unshare", "-rm", "sh", "-c", script],
                          capture_output=True, text=True, timeout=600)


def train_command(small_mnist, checkpoints, results, epochs=3):
    return [sys.executable, "-m", "vae_digits.train", "--epochs", str(epochs),
            "--save-freq", "2", "--train-images", "300", "--seed", "1",
            "--data-path", small_mnist, "--checkpoint-dir", checkpoints,
            "--result-dir", results]


def test_training_on_a_full_disk_keeps_the_checkpoint_and_says_why(
        tmp_path, small_mnist):
    checkpoints, results = str(tmp_path / "c"), str(tmp_path / "r")
    result = on_small_disk(results, train_command(small_mnist, checkpoints,
                                                  results))
    assert result.returncode == 1, result.stderr
    error, listing = result.stderr.split("\n", 1)
    assert error == (
        f"error: saved {checkpoints}/vae.epoch.1.ckpt, but could not write "
        f"metrics.csv and TensorBoard's events in {results}: No space left "
        "on device; free some space or pass another --result-dir, then run "
        "the same command to resume.")
    assert ".part" not in listing and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-2:] == ["Saving model...", "Done"]
    with vae_digits.load(checkpoints) as vae:
        assert vae.epoch == 1
    again = subprocess.run(
        train_command(small_mnist, checkpoints, str(tmp_path / "r2")),
        capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(
        f"Restoring model from {checkpoints}/vae.epoch.1.ckpt...\nEpoch 2 (")


def test_generate_on_a_full_disk_names_the_file(tmp_path, small_mnist):
    checkpoints = vae_digits.train(
        epochs=1, train_images=200, data_path=small_mnist, seed=1,
        checkpoint_dir=tmp_path / "c", result_dir=tmp_path / "r")
    results = str(tmp_path / "full")
    result = on_small_disk(results, [
        sys.executable, "-m", "vae_digits.generate", "--checkpoint-dir",
        checkpoints, "--result-dir", results, "--data-path", small_mnist],
        kib=16, fill=True)
    assert result.returncode == 1
    error, listing = result.stderr.split("\n", 1)
    assert error == (f"error: No space left on device ({results}/"
                     "random_samples.png); free some space or pass another "
                     "directory.")
    assert listing.split() == [".", "..", "fill"]


def test_a_directory_name_that_is_not_utf8_is_refused_before_any_work(
        tmp_path, small_mnist):
    odd = os.fsencode(str(tmp_path)) + b"/caf\xe9"
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"vae_digits.train", b"--epochs",
         b"1", b"--data-path", small_mnist.encode(), b"--checkpoint-dir",
         odd, b"--result-dir", os.fsencode(str(tmp_path / "r"))],
        capture_output=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.decode().startswith(
        "error: --checkpoint-dir b'") and b"is not a UTF-8 name" in \
        result.stderr and result.stderr.count(b"\n") == 1
    assert os.listdir(tmp_path) == []
