"""Crash-safe training: SIGKILL at chosen moments, Ctrl-C, a diverging
run, a full disk, unreadable checkpoints. Each one ends with the trained
model intact and a run that resumes where the last complete checkpoint
left off."""
import glob
import os
import re
import signal
import subprocess
import sys

import numpy as np
import pytest

from tests.helpers import REPO_ROOT, sigint_at_default
from tests.test_cli import lower_bounds, run_module
from vae_digits import train
from vae_digits.core import config
from vae_digits.core.compat import tf
from vae_digits.training.record import read_metrics

SLOW_TRAIN = os.path.join(REPO_ROOT, "tests", "slow_train.py")


def start_training(args, pause_at=""):
    """tests/slow_train.py (train, held still at `pause_at`) as a process
    whose stdout lines the test reads."""
    env = dict(os.environ, PAUSE_AT=pause_at)
    return subprocess.Popen([sys.executable, SLOW_TRAIN] + args, env=env,
                            cwd=REPO_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=sigint_at_default)


def run_until_paused(args, pause_at, send=signal.SIGKILL):
    """Train until the pause at `pause_at`, then send `send`; returns the
    process's exit code, stdout lines and stderr."""
    process = start_training(args, pause_at)
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.strip() == "PAUSE " + pause_at:
            process.send_signal(send)
            break
    out, err = process.communicate(timeout=300)
    lines += out.splitlines()
    assert "PAUSE " + pause_at in lines, (lines, err)
    return process.returncode, lines, err


def epochs_in(checkpoint_dir):
    return sorted(int(os.path.basename(name).split(".")[2]) for name in
                  glob.glob(os.path.join(checkpoint_dir, "*.ckpt.index")))


def restored_from(lines):
    restoring = [line for line in lines if line.startswith("Restoring")]
    if not restoring:
        return 0
    return int(re.search(r"vae\.epoch\.(\d+)\.ckpt", restoring[0]).group(1))


def test_sigkill_at_any_moment_loses_nothing_but_the_unsaved_epochs(
        small_mnist, tmp_path):
    checkpoints = str(tmp_path / "checkpoints")
    args = ["--epochs", "6", "--save-freq", "1", "--seed", "3",
            "--data-path", small_mnist, "--checkpoint-dir", checkpoints,
            "--result-dir", str(tmp_path / "results")]
    kills = [("mid-epoch 2", 0, [1]),
             ("checkpoint-written 3", 1, [2, 3]),
             ("checkpoint-renaming 4", 2, [3, 4]),
             ("mid-epoch 5", 3, [4])]
    for pause_at, restored, epochs_printed in kills:
        code, lines, _ = run_until_paused(args, pause_at)
        assert code == -signal.SIGKILL
        assert restored_from(lines) == restored, pause_at
        assert list(lower_bounds("\n".join(lines))) == epochs_printed
        assert epochs_in(checkpoints) == list(range(1, restored + 2))
        if pause_at == "checkpoint-renaming 4":
            # killed with the data in place and the index not: the index
            # is renamed last, so this is not a checkpoint yet
            assert os.path.exists(os.path.join(
                checkpoints, "vae.epoch.4.ckpt.data-00000-of-00001"))
            assert not os.path.exists(os.path.join(
                checkpoints, "vae.epoch.4.ckpt.index"))

    final = run_module("vae_digits.train", *args)
    assert final.returncode == 0, final.stderr
    assert restored_from(final.stdout.splitlines()) == 4
    assert list(lower_bounds(final.stdout)) == [5, 6]
    assert epochs_in(checkpoints) == [1, 2, 3, 4, 5, 6]
    assert not glob.glob(os.path.join(checkpoints, ".partial*"))
    metrics = read_metrics(str(tmp_path / "results" / config.METRICS_NAME))
    assert [row["epoch"] for row in metrics] == [1, 2, 3, 4, 5, 6]
    assert tf.train.latest_checkpoint(checkpoints) == os.path.join(
        checkpoints, "vae.epoch.6.ckpt")


def checkpoint_values(path):
    reader = tf.train.load_checkpoint(path)
    return {name: reader.get_tensor(name)
            for name in reader.get_variable_to_shape_map()}


def test_ctrl_c_mid_epoch_saves_exactly_the_last_finished_epoch(
        small_mnist, tmp_path):
    """Interrupted halfway through epoch 3, the run saves epoch 2: the same
    values, bit for bit, as an uninterrupted 2-epoch run of that seed."""
    common = ["--seed", "4", "--save-freq", "100", "--data-path",
              small_mnist, "--result-dir", str(tmp_path / "results")]
    interrupted = str(tmp_path / "interrupted")
    code, lines, err = run_until_paused(
        ["--epochs", "10", "--checkpoint-dir", interrupted] + common,
        "mid-epoch 3", send=signal.SIGINT)
    assert code == 130
    saved = os.path.join(interrupted, "vae.epoch.2.ckpt")
    assert err.splitlines()[-1] == (
        f"error: interrupted; saved the last finished epoch, 2, to {saved}: run "
        "the same command to resume.")
    assert "Traceback" not in err
    assert epochs_in(interrupted) == [2]
    clean = str(tmp_path / "clean")
    result = run_module("vae_digits.train", "--epochs", "2",
                        "--checkpoint-dir", clean, *common)
    assert result.returncode == 0, result.stderr
    expected = checkpoint_values(os.path.join(clean, "vae.epoch.2.ckpt"))
    values = checkpoint_values(saved)
    assert sorted(values) == sorted(expected)
    for name in expected:
        np.testing.assert_array_equal(values[name], expected[name], name)


def test_a_diverging_run_stops_and_saves_no_non_finite_weights(
        small_mnist, tmp_path, capsys):
    # in the test process, so that the mutation run's record of which
    # tests call the training loop sees this one
    checkpoints = str(tmp_path / "checkpoints")
    with tf.Graph().as_default(), pytest.raises(SystemExit) as exit_code:
        train.main(["--epochs", "5", "--save-freq", "1", "--learning-rate",
                    "1e30", "--seed", "1", "--data-path", small_mnist,
                    "--checkpoint-dir", checkpoints, "--result-dir",
                    str(tmp_path / "r")])
    assert exit_code.value.code == 1
    last = capsys.readouterr().err.splitlines()[-1]
    match = re.fullmatch(
        r"error: the lower bound became nan in epoch (\d): training "
        r"diverged and stopped without saving that epoch; resume from the "
        r"last checkpoint with a smaller --learning-rate\.", last)
    assert match, last
    diverged = int(match.group(1))
    assert epochs_in(checkpoints) == list(range(1, diverged))
    for epoch in epochs_in(checkpoints):
        for value in checkpoint_values(os.path.join(
                checkpoints, f"vae.epoch.{epoch}.ckpt")).values():
            assert np.all(np.isfinite(value))


def test_an_unreadable_newest_checkpoint_is_reported_and_skipped(
        small_mnist, tmp_path):
    checkpoints = str(tmp_path / "checkpoints")
    args = ["--save-freq", "1", "--seed", "5", "--data-path", small_mnist,
            "--checkpoint-dir", checkpoints, "--result-dir",
            str(tmp_path / "r")]
    assert run_module("vae_digits.train", "--epochs", "2",
                      *args).returncode == 0
    data = os.path.join(checkpoints, "vae.epoch.2.ckpt.data-00000-of-00001")
    with open(data, "r+b") as f:
        f.truncate(1000)
    result = run_module("vae_digits.train", "--epochs", "3", *args)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "warning: skipping checkpoint {}: its files are truncated or "
        "unreadable (".format(os.path.join(checkpoints, "vae.epoch.2.ckpt")))
    assert warnings[0].endswith("); delete it, or restore it from a copy.")
    assert restored_from(result.stdout.splitlines()) == 1
    assert list(lower_bounds(result.stdout)) == [2, 3]

    for epoch in (1, 2, 3):
        with open(os.path.join(checkpoints, f"vae.epoch.{epoch}.ckpt.index"), "wb") as f:
            f.write(b"not an index")
    result = run_module("vae_digits.train", "--epochs", "4", *args)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"error: none of the 3 checkpoints in {checkpoints} can be read; move them away "
        "to train afresh.")


@pytest.fixture
def small_disk(tmp_path):
    """A 20 MB filesystem: room for one checkpoint of the blog's model
    (16 MB) but not two. Needs the right to mount (root)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m",
                              "tmpfs", str(mount_point)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    yield str(mount_point)
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_is_reported_and_the_earlier_checkpoint_kept(
        small_mnist, small_disk, tmp_path):
    checkpoints = os.path.join(small_disk, "checkpoints")
    args = ["--save-freq", "1", "--seed", "6", "--data-path", small_mnist,
            "--checkpoint-dir", checkpoints, "--result-dir",
            str(tmp_path / "r")]
    result = run_module("vae_digits.train", "--epochs", "3", *args)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "error: cannot write checkpoint {}: ".format(
            os.path.join(checkpoints, "vae.epoch.2.ckpt")))
    assert "free some space" in result.stderr.splitlines()[-1]
    assert epochs_in(checkpoints) == [1]
    assert sorted(os.listdir(checkpoints)) == [
        ".lock", "checkpoint", "model_config.json",
        "vae.epoch.1.ckpt.data-00000-of-00001", "vae.epoch.1.ckpt.index",
        "vae.epoch.1.ckpt.meta"]
    values = checkpoint_values(os.path.join(checkpoints, "vae.epoch.1.ckpt"))
    assert all(np.all(np.isfinite(value)) for value in values.values())


def test_a_read_only_checkpoint_directory_is_refused_before_training(
        small_mnist, small_disk, tmp_path):
    subprocess.run(["mount", "-o", "remount,ro", small_disk], check=True)
    result = run_module("vae_digits.train", "--epochs", "1", "--data-path",
                        small_mnist, "--checkpoint-dir", small_disk,
                        "--result-dir", str(tmp_path / "r"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: cannot write to --checkpoint-dir {small_disk} (Read-only file "
        "system); pass a writable directory."]
