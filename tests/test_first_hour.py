"""What a new user meets in the first hour, beyond the README's own lines
(test_readme.py): the data a model was trained on is found again, what
needs no data is drawn without it, stdout of --json is JSON alone, and
advice that fits the model at hand."""
import json
import os
import shutil

import imageio.v3 as iio
import numpy as np
import pytest

import vae_digits
from tests.test_cli import run_module
from vae_digits.pictures.grids import tile


@pytest.fixture(scope="module")
def moved_data_model(tmp_path_factory, small_mnist):
    """A conv model trained on a copy of the data that was then moved
    away, used from a working directory without data/."""
    root = tmp_path_factory.mktemp("first_hour")
    data = str(root / "my_digits")
    shutil.copytree(small_mnist, data)
    checkpoint_dir = vae_digits.train(
        model="conv", epochs=1, seed=1, train_images=300, data_path=data,
        checkpoint_dir=root / "checkpoints", result_dir=root / "results")
    (root / "work").mkdir()
    return dict(root=root, data=data, checkpoint_dir=checkpoint_dir,
                work=str(root / "work"))


def test_generate_and_evaluate_find_the_training_data_again(
        moved_data_model):
    result = run_module("vae_digits.evaluate", "--json", "--n-particles",
                        "3", "--checkpoint-dir",
                        moved_data_model["checkpoint_dir"],
                        cwd=moved_data_model["work"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # stdout is the JSON object alone
    assert report["n_test"] == 500 and report["n_particles"] == 3
    assert result.stdout.count("\n") == 1


def test_without_data_generate_still_draws_what_needs_none(
        moved_data_model, tmp_path):
    moved = moved_data_model["data"] + ".moved"
    os.rename(moved_data_model["data"], moved)
    try:
        result = run_module("vae_digits.generate", "--seed", "3",
                            "--checkpoint-dir",
                            moved_data_model["checkpoint_dir"],
                            "--result-dir", str(tmp_path / "pictures"),
                            cwd=moved_data_model["work"])
    finally:
        os.rename(moved, moved_data_model["data"])
    assert result.returncode == 1
    assert os.listdir(str(tmp_path / "pictures")) == ["random_samples.png"]
    assert result.stdout.strip().startswith("Wrote random_samples.png from ")
    errors = [line for line in result.stderr.splitlines()
              if not line.startswith("Downloading ")]
    assert len(errors) == 1 and errors[0].startswith(
        "error: wrote only random_samples.png (random_samples.png needs no "
        "data); the variations of test images need them:")
    # nothing was created where the data would have been downloaded to
    assert os.listdir(moved_data_model["work"]) in ([], ["data"])
    with vae_digits.load(moved_data_model["checkpoint_dir"]) as vae:
        np.testing.assert_array_equal(
            iio.imread(str(tmp_path / "pictures" / "random_samples.png")),
            tile(vae.sample(100, seed=3)))


@pytest.fixture(scope="module")
def conditional_dir(tmp_path_factory, small_mnist):
    root = tmp_path_factory.mktemp("first_hour_conditional")
    return vae_digits.train(model="conditional", epochs=1, z_dim=2,
                            train_images=200, data_path=small_mnist,
                            checkpoint_dir=root / "c", result_dir=root / "r")


def test_advice_fits_the_model_at_hand(conditional_dir, tmp_path):
    manifold = run_module("vae_digits.generate", "--mode", "manifold",
                          "--checkpoint-dir", conditional_dir,
                          "--result-dir", str(tmp_path))
    assert manifold.returncode == 1
    assert manifold.stderr == (
        "error: --mode manifold draws the decoder over a 2-D plane of z, "
        "but the conditional model's decoder also reads the digit, so it "
        "has no such plane; use --mode latent.\n")
    assert "--z-dim 2" not in manifold.stderr  # it has z_dim 2 already
    evaluated = run_module("vae_digits.evaluate", "--n-particles", "10",
                           "--checkpoint-dir", conditional_dir)
    assert evaluated.returncode == 0, evaluated.stderr
    assert evaluated.stderr == (
        "note: --n-particles is not used by the conditional model, which "
        "has no likelihood estimate.\n")
    assert "particles" not in evaluated.stdout
