"""saving.py on a one-variable graph: atomic saves, --max-to-keep,
the state file the original script reads, and skipping unreadable
checkpoints."""
import os

import numpy as np
import pytest

from vae_digits.checkpoints import saving
from vae_digits.checkpoints.names import checkpoint_path, complete_checkpoints
from vae_digits.core.compat import tf
from vae_digits.core.errors import UserError


@pytest.fixture
def one_variable():
    """(session, variable, saver) on a fresh graph."""
    with tf.Graph().as_default():
        variable = tf.get_variable("v", initializer=np.zeros(3, np.float32))
        saver = tf.train.Saver(max_to_keep=0)
        with tf.Session() as sess:
            sess.run(variable.initializer)
            yield sess, variable, saver


def save_epochs(sess, variable, saver, directory, epochs, max_to_keep):
    for epoch in epochs:
        variable.load(np.full(3, epoch, np.float32), sess)
        saving.save_checkpoint(sess, saver, directory, epoch, max_to_keep)


def test_max_to_keep_and_the_state_file(one_variable, tmp_path):
    sess, variable, saver = one_variable
    directory = str(tmp_path)
    save_epochs(sess, variable, saver, directory, range(1, 6), max_to_keep=2)
    assert complete_checkpoints(directory) == [
        checkpoint_path(directory, 4), checkpoint_path(directory, 5)]
    assert sorted(os.listdir(directory)) == ["checkpoint"] + [
        f"vae.epoch.{epoch}.ckpt.{suffix}" for epoch in (4, 5)
        for suffix in ("data-00000-of-00001", "index", "meta")]
    state = tf.train.get_checkpoint_state(directory)
    assert state.model_checkpoint_path == checkpoint_path(directory, 5)
    assert list(state.all_model_checkpoint_paths) == [
        checkpoint_path(directory, 4), checkpoint_path(directory, 5)]


def test_restore_skips_an_unreadable_newer_checkpoint(one_variable, tmp_path,
                                                      capsys):
    sess, variable, saver = one_variable
    directory = str(tmp_path)
    save_epochs(sess, variable, saver, directory, (1, 2), max_to_keep=5)
    with open(checkpoint_path(directory, 9) + ".index", "wb") as f:
        f.write(b"junk")
    save_epochs(sess, variable, saver, directory, (3,), max_to_keep=2)
    # epoch 9 is neither counted nor deleted by --max-to-keep
    assert complete_checkpoints(directory) == [
        checkpoint_path(directory, epoch) for epoch in (2, 3, 9)]
    variable.load(np.zeros(3, np.float32), sess)
    assert saving.restore_newest(sess, saver, directory) == 3
    np.testing.assert_array_equal(sess.run(variable), [3., 3., 3.])
    captured = capsys.readouterr()
    assert captured.err.startswith(f"warning: skipping checkpoint {checkpoint_path(directory, 9)}")
    assert captured.out == f"Restoring model from {checkpoint_path(directory, 3)}...\n"
    assert os.path.exists(checkpoint_path(directory, 9) + ".index")


def test_a_failed_save_leaves_no_partial_files(one_variable, tmp_path,
                                               monkeypatch):
    sess, variable, saver = one_variable
    directory = str(tmp_path)
    save_epochs(sess, variable, saver, directory, (1,), max_to_keep=5)
    before = sorted(os.listdir(directory))

    def disk_full(sess, path, **kwargs):
        with open(path + ".data-00000-of-00001", "wb") as f:
            f.write(b"half")
        raise tf.errors.ResourceExhaustedError(None, None,
                                               "No space left on device")

    monkeypatch.setattr(saver, "save", disk_full)
    with pytest.raises(UserError, match=r"cannot write checkpoint .*"
                       r"vae\.epoch\.2\.ckpt: No space left on device; free"):
        saving.save_checkpoint(sess, saver, directory, 2, 5)
    assert sorted(os.listdir(directory)) == before
