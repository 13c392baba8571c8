"""Evaluation and monitoring as users meet them: `evaluate` (lines and
JSON), reconstructions, and the training record (test reports at the
right epochs, sample grids, metrics.csv and TensorBoard across a crash
and resume, metrics.csv kept whole when the disk fills up as a resumed
run rewrites it)."""
import errno
import json
import math
import os
import re

import imageio.v3 as iio
import numpy as np
import pytest

import vae_digits
from tests.test_cli import lower_bounds, run_module
from vae_digits import train
from vae_digits.core import config
from vae_digits.core.compat import tf
from vae_digits.data import load_mnist_test
from vae_digits.pictures.grids import tile
from vae_digits.training import loop, record
from vae_digits.training.record import read_metrics

TEST_LINES = [re.compile(r"^>>> TEST \(\d+\.\ds\)$"),
              re.compile(r"^>> Test lower bound = (\S+)$"),
              re.compile(r"^>> Test log likelihood \(IS\) = (\S+)$")]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, small_mnist):
    """310 steps on 1,000 real digits: enough for recognisable
    reconstructions."""
    checkpoints = str(tmp_path_factory.mktemp("trained") / "checkpoints")
    result = run_module("vae_digits.train", "--epochs", "10", "--batch-size",
                        "32", "--seed", "1", "--data-path", small_mnist,
                        "--checkpoint-dir", checkpoints, "--result-dir",
                        str(tmp_path_factory.mktemp("trained_results")))
    assert result.returncode == 0, result.stderr
    return ["--data-path", small_mnist, "--checkpoint-dir", checkpoints]


def test_evaluate_prints_the_tutorial_lines(trained):
    result = run_module("vae_digits.evaluate", "--n-particles", "50",
                        "--seed", "0", *trained)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("Evaluating {} on 500 test digits with 50 particles"
                        "...".format(os.path.join(trained[3],
                                                  "vae.epoch.10.ckpt")))
    matches = [pattern.match(line) for pattern, line in
               zip(TEST_LINES, lines[1:])]
    assert len(lines) == 4 and all(matches)
    lower_bound, log_likelihood = (float(m.group(1)) for m in matches[1:])
    assert -250. < lower_bound < log_likelihood < -80.


def test_evaluate_json_is_one_object_with_finite_figures(trained):
    result = run_module("vae_digits.evaluate", "--n-particles", "20",
                        "--batch-size", "128", "--json", *trained)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    report = json.loads(result.stdout)
    assert sorted(report) == sorted(["checkpoint", "epoch", "n_test",
                                     "method", "n_particles", "lower_bound",
                                     "log_likelihood", "reconstruction",
                                     "kl", "seconds"])
    assert report["checkpoint"].endswith("vae.epoch.10.ckpt")
    assert (report["epoch"], report["n_test"], report["n_particles"],
            report["method"]) == (10, 500, 20, "is")
    assert all(math.isfinite(report[key]) for key in
               ("lower_bound", "log_likelihood", "seconds"))
    assert report["lower_bound"] < report["log_likelihood"]


def test_evaluate_without_checkpoint_says_train_first(tmp_path):
    result = run_module("vae_digits.evaluate", "--checkpoint-dir",
                        str(tmp_path))
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert f"no checkpoint in {tmp_path}: train first" in \
        result.stderr


def test_reconstructions_pair_each_digit_with_its_decoding(trained,
                                                           tmp_path):
    result = run_module("vae_digits.generate", "--mode", "reconstruct",
                        "--seed", "3", "--result-dir", str(tmp_path),
                        *trained)
    assert result.returncode == 0, result.stderr
    assert os.listdir(str(tmp_path)) == [config.RECONSTRUCTIONS_NAME]
    grid = iio.imread(str(tmp_path / config.RECONSTRUCTIONS_NAME)) / 255.
    assert grid.shape == (56, 280)
    inputs, outputs = (row.reshape(28, 10, 28).transpose(1, 0, 2).reshape(
        10, 784) for row in (grid[:28], grid[28:]))
    x_test, _ = load_mnist_test(trained[1])
    # the test set binarised once, as the blog does (np.random.binomial
    # from --seed 3), then the blog's digits
    expected = np.random.RandomState(3).binomial(
        1, x_test, size=x_test.shape)[list(config.DIGITS)]
    np.testing.assert_array_equal(inputs, expected)
    errors = ((inputs[:, None] - outputs[None]) ** 2).mean(axis=2)
    own = np.diag(errors).mean()
    others = errors[~np.eye(10, dtype=bool)].mean()
    assert own < 0.8 * others


@pytest.fixture(scope="module")
def crashed_and_resumed(tmp_path_factory, small_mnist):
    """Train to 5 epochs, saving every 2 and testing every 2; the first run
    crashes in epoch 4 (after epoch 3 was logged, not checkpointed), the
    second resumes from epoch 2."""
    root = tmp_path_factory.mktemp("record")
    args = ["--epochs", "5", "--save-freq", "2", "--test-freq", "2",
            "--test-n-particles", "10", "--seed", "2", "--data-path",
            small_mnist, "--checkpoint-dir", str(root / "checkpoints"),
            "--result-dir", str(root / "results")]
    real_train_epoch, calls = loop.train_epoch, []

    def crash_in_epoch_4(*args):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("simulated crash")
        return real_train_epoch(*args)

    capture = pytest.MonkeyPatch()
    capture.setattr(loop, "train_epoch", crash_in_epoch_4)
    with tf.Graph().as_default(), pytest.raises(RuntimeError):
        train.main(args)
    capture.undo()
    metrics_after_crash = read_metrics(
        str(root / "results" / config.METRICS_NAME))
    with tf.Graph().as_default():
        assert train.main(args) == 0
    return root, metrics_after_crash


def test_metrics_log_holds_each_epoch_once_after_crash_and_resume(
        crashed_and_resumed):
    root, after_crash = crashed_and_resumed
    assert [row["epoch"] for row in after_crash] == [1, 2, 3]
    rows = read_metrics(str(root / "results" / config.METRICS_NAME))
    assert [row["epoch"] for row in rows] == [1, 2, 3, 4, 5]
    tested = [row["epoch"] for row in rows
              if row["test_log_likelihood"] is not None]
    assert tested == [2, 4]
    assert all(row["test_lower_bound"] is not None for row in rows
               if row["epoch"] in tested)
    assert rows[:2] == after_crash[:2]  # epochs before the checkpoint kept
    assert all(math.isfinite(row["train_lower_bound"]) and row["seconds"] > 0
               for row in rows)


def test_sample_grids_come_with_each_checkpoint(crashed_and_resumed):
    root, _ = crashed_and_resumed
    results = os.listdir(str(root / "results"))
    assert sorted(name for name in results if name.startswith("vae.")) == [
        "vae.epoch.2.png", "vae.epoch.4.png", "vae.epoch.5.png"]
    grid = iio.imread(str(root / "results" / "vae.epoch.4.png"))
    # the model of epoch 4's vae.sample(100, seed) for the run's --seed 2
    with vae_digits.load(str(root / "checkpoints" / "vae.epoch.4.ckpt")) \
            as vae:
        np.testing.assert_array_equal(grid, tile(vae.sample(100, seed=2)))


def test_tensorboard_shows_each_epoch_once(crashed_and_resumed):
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )
    root, _ = crashed_and_resumed
    events = EventAccumulator(str(root / "results" / config.LOG_DIR_NAME))
    events.Reload()
    rows = read_metrics(str(root / "results" / config.METRICS_NAME))
    train_curve = events.Scalars("lower_bound/train")
    assert [event.step for event in train_curve] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose([event.value for event in train_curve],
                               [row["train_lower_bound"] for row in rows],
                               rtol=1e-6)
    for tag in ("lower_bound/test", "log_likelihood/test"):
        assert [event.step for event in events.Scalars(tag)] == [2, 4]
    assert sorted(events.Tags()["scalars"]) == [
        "kl/test", "kl/train", "log_likelihood/test", "lower_bound/test",
        "lower_bound/train", "reconstruction/test", "reconstruction/train",
        "seconds_per_epoch"]
    seconds = events.Scalars("seconds_per_epoch")
    assert [event.step for event in seconds] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose([event.value for event in seconds],
                               [row["seconds"] for row in rows], rtol=1e-6)


def test_test_reports_follow_their_epoch_lines(small_mnist, tmp_path):
    result = run_module("vae_digits.train", "--epochs", "3", "--test-freq",
                        "2", "--test-n-particles", "5", "--data-path",
                        small_mnist, "--checkpoint-dir", str(tmp_path / "c"),
                        "--result-dir", str(tmp_path / "r"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert list(lower_bounds(result.stdout)) == [1, 2, 3]
    assert lines[1].startswith("Epoch 2 ")
    assert all(pattern.match(line)
               for pattern, line in zip(TEST_LINES, lines[2:5]))
    assert lines[5].startswith("Epoch 3 ")
    assert sum(line.startswith(">>") for line in lines) == 3


def test_a_line_cut_short_by_a_crash_is_dropped(tmp_path):
    path = str(tmp_path / "metrics.csv")
    with open(path, "w") as f:
        f.write("epoch,seconds,train_lower_bound,test_lower_bound,"
                "test_log_likelihood\n1,2.5,-150.25,,\n"
                "2,2.5,-140.5,-139.0,-13")
    assert read_metrics(path) == [dict(
        epoch=1, seconds=2.5, train_lower_bound=-150.25,
        test_lower_bound=None, test_log_likelihood=None)]


def test_a_resumed_record_keeps_the_rows_up_to_its_checkpoint(tmp_path):
    # epoch 3 was logged, then the run died before its checkpoint: resuming
    # from epoch 2 drops it, and the next row written is the new epoch 3
    path = str(tmp_path / "metrics.csv")
    fields = ("epoch", "seconds", "train_lower_bound")
    with open(path, "w") as f:
        f.write("epoch,seconds,train_lower_bound\n1,2.5,-150.25\n"
                "2,2.5,-140.5\n3,2.5,-135.0\n")
    log = record.TrainingRecord(path, str(tmp_path / "logs"), 2, fields)
    log.add(3, 2.0, dict(lower_bound=-133.5))
    log.close()
    assert read_metrics(path) == [
        dict(epoch=1, seconds=2.5, train_lower_bound=-150.25),
        dict(epoch=2, seconds=2.5, train_lower_bound=-140.5),
        dict(epoch=3, seconds=2.0, train_lower_bound=-133.5)]


class _FillingDisk:
    """A file on a disk with room for `room` more characters: the write
    that needs more writes what fits, then fails as a full disk does."""

    def __init__(self, file, room):
        self.file, self.room = file, room

    def write(self, text):
        self.file.write(text[:self.room])
        self.room -= len(text)
        if self.room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.file.close()


def test_a_full_disk_during_the_rewrite_on_resume_keeps_the_log(
        tmp_path, monkeypatch):
    # resuming from epoch 2 rewrites metrics.csv without epoch 3; the disk
    # fills up after 40 characters of it
    path = str(tmp_path / "metrics.csv")
    fields = ("epoch", "seconds", "train_lower_bound")
    log = "epoch,seconds,train_lower_bound\n" + "".join(
        f"{epoch},2.5,-1{epoch}0.25\n" for epoch in (1, 2, 3))
    with open(path, "w") as f:
        f.write(log)
    def opened_on_the_disk(name, mode="r"):
        file = open(name, mode)  # noqa: SIM115 (the caller closes it)
        return file if mode == "r" else _FillingDisk(file, 40)
    monkeypatch.setattr(record, "open", opened_on_the_disk, raising=False)
    with pytest.raises(OSError, match="No space left on device"):
        record.TrainingRecord(path, str(tmp_path / "logs"), 2, fields)
    with open(path) as f:
        assert f.read() == log
    assert os.listdir(tmp_path) == ["metrics.csv"]


def test_a_terminal_gets_a_progress_bar_and_the_same_lines(trained):
    """Under a pseudo-terminal the batches show a bar, erased when done."""
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios
    main, replica = pty.openpty()
    fcntl.ioctl(replica, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "vae_digits.evaluate", "--n-particles", "5",
         "--batch-size", "50"] + trained, stdout=replica,
        stderr=subprocess.DEVNULL)
    os.close(replica)
    output = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert process.wait(timeout=300) == 0
    text = output.decode()
    assert "\rTest:   0%|" in text and "/10 [" in text
    final = [line for line in text.replace("\r", "\n").splitlines()
             if line.startswith(">>")]
    assert len(final) == 3
