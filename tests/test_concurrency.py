"""One run per directory, a quiet start, and save errors that name their
real cause."""
import errno
import os
import re
import signal
import subprocess
import sys

import pytest

from tests.test_cli import lower_bounds, run_module
from tests.test_reliability import SLOW_TRAIN, epochs_in, start_training
from vae_digits.checkpoints import saving
from vae_digits.core import config
from vae_digits.core.compat import tf
from vae_digits.core.errors import UserError
from vae_digits.training.record import read_metrics


def wait_for_pause(process, pause_at):
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.strip() == "PAUSE " + pause_at:
            return lines
    raise AssertionError((lines, process.stderr.read()))


@pytest.fixture
def dirs(small_mnist, tmp_path):
    checkpoints, results = str(tmp_path / "c"), str(tmp_path / "r")
    return dict(checkpoints=checkpoints, results=results, args=[
        "--epochs", "4", "--save-freq", "1", "--seed", "2", "--data-path",
        small_mnist, "--checkpoint-dir", checkpoints, "--result-dir",
        results])


def test_a_second_run_on_the_same_directories_is_refused(dirs, tmp_path):
    resume = str(tmp_path / "resume")
    env = dict(os.environ, PAUSE_RESUME=resume)
    first = subprocess.Popen(
        [sys.executable, SLOW_TRAIN] + dirs["args"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
        env=dict(env, PAUSE_AT="mid-epoch 2"))
    lines = wait_for_pause(first, "mid-epoch 2")
    before = sorted(os.listdir(dirs["checkpoints"]))
    second = run_module("vae_digits.train", *dirs["args"])
    assert second.returncode == 1 and second.stdout == ""
    assert second.stderr.splitlines() == [
        "error: --checkpoint-dir {} is in use by another training run (pid "
        "{}); wait for it to finish or stop it, or pass another "
        "--checkpoint-dir.".format(dirs["checkpoints"], first.pid)]
    # another checkpoint directory, the same results: refused as well
    third = run_module("vae_digits.train", *(dirs["args"][:-4] + [
        "--checkpoint-dir", str(tmp_path / "other"), "--result-dir",
        dirs["results"]]))
    assert third.returncode == 1
    assert "--result-dir {} is in use by another training run (pid {})" \
        .format(dirs["results"], first.pid) in third.stderr
    # a refused run creates nothing: not even its new --checkpoint-dir
    assert not os.path.exists(str(tmp_path / "other"))
    assert sorted(os.listdir(dirs["checkpoints"])) == before
    open(resume, "w").close()
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert list(lower_bounds("\n".join(lines) + "\n" + out)) == [1, 2, 3, 4]
    rows = read_metrics(os.path.join(dirs["results"], config.METRICS_NAME))
    assert [row["epoch"] for row in rows] == [1, 2, 3, 4]
    assert epochs_in(dirs["checkpoints"]) == [1, 2, 3, 4]


def test_a_killed_runs_lock_is_gone_at_once(dirs):
    process = start_training(dirs["args"], "mid-epoch 2")
    wait_for_pause(process, "mid-epoch 2")
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    again = run_module("vae_digits.train", *dirs["args"])
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == "Restoring model from {}...".format(
        os.path.join(dirs["checkpoints"], "vae.epoch.1.ckpt"))


def test_generate_during_a_save_reads_the_last_complete_checkpoint(
        dirs, tmp_path):
    resume = str(tmp_path / "resume")
    process = subprocess.Popen(
        [sys.executable, SLOW_TRAIN] + dirs["args"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=dict(
            os.environ, PAUSE_AT="checkpoint-renaming 2",
            PAUSE_RESUME=resume))
    wait_for_pause(process, "checkpoint-renaming 2")
    generated = run_module("vae_digits.generate", "--digits", "3",
                           "--data-path", dirs["args"][7],
                           "--checkpoint-dir", dirs["checkpoints"],
                           "--result-dir", str(tmp_path / "g"))
    evaluated = run_module("vae_digits.evaluate", "--n-particles", "2",
                           "--data-path", dirs["args"][7],
                           "--checkpoint-dir", dirs["checkpoints"])
    open(resume, "w").close()
    assert process.communicate(timeout=300)[1] == ""
    assert process.returncode == 0
    for result in (generated, evaluated):
        assert result.returncode == 0, result.stderr
        assert os.path.join(dirs["checkpoints"], "vae.epoch.1.ckpt") in \
            result.stdout


@pytest.mark.parametrize("command", [
    ["vae_digits.train", "--epochs", "1"],
    ["vae_digits.generate", "--digits", "3"],
    ["vae_digits.evaluate", "--n-particles", "2"]])
def test_every_command_starts_quietly(command, small_mnist, tmp_path):
    """A successful run prints nothing on stderr; VAE_DIGITS_VERBOSE=1
    shows TensorFlow's own start-up lines."""
    checkpoints = str(tmp_path / "c")
    args = ["--data-path", small_mnist, "--checkpoint-dir", checkpoints]
    assert run_module("vae_digits.train", "--epochs", "1", *args,
                      "--result-dir", str(tmp_path / "r")).returncode == 0
    if command[0] != "vae_digits.evaluate":
        args += ["--result-dir", str(tmp_path / "r2")]
    args += ["--seed", "0"]
    # a real interpreter each: TensorFlow's start-up lines are the point
    quiet = subprocess.run([sys.executable, "-m"] + command + args,
                           capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == ""
    verbose = subprocess.run(
        [sys.executable, "-m"] + command + args, capture_output=True,
        text=True, env=dict(os.environ, VAE_DIGITS_VERBOSE="1",
                            TF_ENABLE_ONEDNN_OPTS="1"))
    assert verbose.returncode == 0
    assert "oneDNN custom operations are on" in verbose.stderr
    assert re.sub(r"\(\d+\.\ds\)", "", verbose.stdout) == \
        re.sub(r"\(\d+\.\ds\)", "", quiet.stdout)


@pytest.fixture
def one_variable(tmp_path):
    with tf.Graph().as_default(), tf.Session() as sess:
        variable = tf.get_variable("v", [3])
        sess.run(variable.initializer)
        yield sess, tf.train.Saver(), str(tmp_path)


def failing_save(message):
    def save(sess, path, **kwargs):
        raise tf.errors.UnknownError(None, None, message)
    return save


@pytest.mark.parametrize("message,cause,fix", [
    ("could not write: No space left on device", "No space left on device",
     "free some space"),
    ("Failed to create file: Read-only file system",
     "Read-only file system", "the file system is read-only"),
    ("open failed: Permission denied", "Permission denied",
     "make it writable"),
])
def test_a_failed_save_names_its_cause(one_variable, monkeypatch, message,
                                       cause, fix):
    sess, saver, directory = one_variable
    monkeypatch.setattr(saver, "save", failing_save(message))
    with pytest.raises(UserError) as error:
        saving.save_checkpoint(sess, saver, directory, 1, 5)
    assert "{}: {}; {}".format(
        os.path.join(directory, "vae.epoch.1.ckpt"), cause, fix) in str(
            error.value)
    if fix != "free some space":
        assert "free some space" not in str(error.value)


def test_an_empty_reason_is_dug_out_of_the_directory(one_variable,
                                                     monkeypatch):
    """'Graph execution error:' alone: the directory itself says why."""
    sess, saver, directory = one_variable
    monkeypatch.setattr(saver, "save", failing_save("Graph execution "
                                                    "error:\n\n"))
    real_temporary_file = saving.tempfile.TemporaryFile

    def unwritable(*args, **kwargs):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), directory)
    monkeypatch.setattr(saving.tempfile, "TemporaryFile", unwritable)
    with pytest.raises(UserError) as error:
        saving.save_checkpoint(sess, saver, directory, 1, 5)
    assert ": Permission denied; make it writable" in str(error.value)
    monkeypatch.setattr(saving.tempfile, "TemporaryFile",
                        real_temporary_file)
    with pytest.raises(UserError) as error:
        saving.save_checkpoint(sess, saver, directory, 1, 5)
    assert "Graph execution error" not in str(error.value)
    assert "UnknownError" in str(error.value)


def test_a_save_whose_files_vanish_says_so(one_variable, monkeypatch):
    """Another process removing the partial files (a lost race) is named
    as such, not as a full disk."""
    sess, saver, directory = one_variable
    real_save = saver.save

    def save_then_lose(sess, path, **kwargs):
        result = real_save(sess, path, **kwargs)
        for name in os.listdir(directory):  # another run's clean-up
            if name.startswith(saving.PARTIAL_PREFIX):
                os.remove(os.path.join(directory, name))
        return result
    monkeypatch.setattr(saver, "save", save_then_lose)
    with pytest.raises(UserError) as error:
        saving.save_checkpoint(sess, saver, directory, 1, 5)
    message = str(error.value)
    assert "cannot put checkpoint" in message
    assert "No such file or directory" in message
    assert "no other process works in that directory" in message
    assert "free some space" not in message
