"""Traps of the first hour, run as a user meets them, from a scratch
directory: generate's pictures go beside the model it loaded, not over
the blog model's; a run that draws fewer digits leaves no older i.png
beside its own; an offline download names every place it tried; explore
--help says where its data come from."""
import os

import pytest

import vae_digits
from tests.test_cli import run_module
from vae_digits import data
from vae_digits.core.errors import UserError
from vae_digits.data import download


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, small_mnist):
    """A working directory holding a conv model in checkpoints/conv_vae
    and a blog model's pictures in results/vae_digits."""
    root = tmp_path_factory.mktemp("traps")
    vae_digits.train(model="conv", epochs=1, seed=1, train_images=200,
                     data_path=small_mnist,
                     checkpoint_dir=root / "checkpoints" / "conv_vae",
                     result_dir=root / "training")
    blog = root / "results" / "vae_digits"
    blog.mkdir(parents=True)
    (blog / "random_samples.png").write_bytes(b"the blog model's picture")
    return root


def test_generate_writes_beside_the_model_it_loaded(scratch, small_mnist):
    result = run_module("vae_digits.generate", "--checkpoint-dir",
                        os.path.join("checkpoints", "conv_vae"),
                        "--data-path", small_mnist, "--seed", "1",
                        cwd=str(scratch))
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(
        f"to {os.path.join('results', 'conv_vae')}")
    assert sorted(os.listdir(scratch / "results" / "conv_vae")) == sorted(
        ["random_samples.png"] + [f"{i}.png" for i in range(10)])
    assert (scratch / "results" / "vae_digits" / "random_samples.png") \
        .read_bytes() == b"the blog model's picture"


def test_fewer_digits_leave_no_older_pictures_beside_them(scratch,
                                                          small_mnist):
    out = str(scratch / "few")
    args = ["--checkpoint-dir", os.path.join("checkpoints", "conv_vae"),
            "--data-path", small_mnist, "--result-dir", out]
    assert run_module("vae_digits.generate", *args,
                      cwd=str(scratch)).returncode == 0
    assert len(os.listdir(out)) == 11
    result = run_module("vae_digits.generate", "--digits", "3", "2", *args,
                        cwd=str(scratch))
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(out)) == ["0.png", "1.png",
                                       "random_samples.png"]
    assert result.stderr == (f"note: removed 2.png, 3.png, 4.png, 5.png, "
                             f"6.png, 7.png, 8.png, 9.png of an earlier run "
                             f"from {out}.\n")


def test_an_offline_download_names_every_place_it_tried(tmp_path,
                                                        monkeypatch):
    dead = ("http://127.0.0.1:9/first/", "http://127.0.0.1:9/second/")
    monkeypatch.setattr(download, "IDX_MIRRORS", dead)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as error:
        data.load_mnist_realval("data")
    message = str(error.value)
    assert "from any of the 2 places tried" in message
    for mirror in dead:
        assert mirror + "train-images-idx3-ubyte.gz" in message
    assert "http" not in message.split("Offline?")[1]  # no untried host


def test_explore_help_says_the_data_default_to_the_models_own():
    result = run_module("vae_digits.explore", "--help")
    text = " ".join(result.stdout.split())
    assert "(default: the path the model was trained on, recorded in " \
           "model_config.json" in text
