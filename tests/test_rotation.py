"""`vae_digits.load` while a training run rotates the directory: a
checkpoint removed while it is read is no fault of its files; the reader
looks at the directory again and loads what is there, and never advises
deleting a checkpoint that is healthy."""
import os
import shutil

import pytest

import vae_digits
from vae_digits.core.compat import tf


@pytest.fixture
def two_epochs(tmp_path, small_mnist):
    return vae_digits.train(model="mlp", epochs=2, save_freq=1, seed=2,
                            train_images=200, data_path=small_mnist,
                            checkpoint_dir=tmp_path / "c",
                            result_dir=tmp_path / "r")


def _rotating_restore(monkeypatch, directory, vanish_epoch, then=None):
    """saver.restore that, the first time it reads `vanish_epoch`, first
    removes that checkpoint as --max-to-keep does (index first), and then
    calls `then` (a newer save, say)."""
    real_restore = tf.train.Saver.restore
    done = []

    def restore(self, sess, path):
        if path.endswith(f"vae.epoch.{vanish_epoch}.ckpt") and not done:
            done.append(path)
            os.remove(path + ".index")
            for name in os.listdir(directory):
                if name.startswith(os.path.basename(path)):
                    os.remove(os.path.join(directory, name))
            if then:
                then()
        return real_restore(self, sess, path)
    monkeypatch.setattr(tf.train.Saver, "restore", restore)
    return done


def test_a_checkpoint_rotated_away_while_read_is_looked_for_again(
        two_epochs, monkeypatch, capsys):
    done = _rotating_restore(monkeypatch, two_epochs, 2)
    with vae_digits.load(two_epochs) as vae:
        assert vae.epoch == 1 and vae.sample(2, seed=0).shape == (2, 28, 28)
    assert done and "warning" not in capsys.readouterr().err


def test_a_newer_checkpoint_saved_meanwhile_is_the_one_loaded(
        two_epochs, monkeypatch, capsys):
    def save_epoch_3():  # a copy of epoch 1 under epoch 3's name
        for name in os.listdir(two_epochs):
            if name.startswith("vae.epoch.1.ckpt"):
                shutil.copy(os.path.join(two_epochs, name), os.path.join(
                    two_epochs, name.replace("epoch.1.", "epoch.3.")))
    _rotating_restore(monkeypatch, two_epochs, 2, then=save_epoch_3)
    with vae_digits.load(two_epochs) as vae:
        assert vae.epoch == 3
    assert capsys.readouterr().err == ""


def test_the_delete_advice_is_only_for_a_file_that_stays_unreadable(
        two_epochs, capsys):
    data = [name for name in os.listdir(two_epochs)
            if name.startswith("vae.epoch.2.ckpt.data")][0]
    with open(os.path.join(two_epochs, data), "r+b") as f:
        f.truncate(100)
    with vae_digits.load(two_epochs) as vae:
        assert vae.epoch == 1
    error = capsys.readouterr().err
    assert "vae.epoch.2.ckpt: its files are truncated or unreadable" in error
    assert "delete it" in error
