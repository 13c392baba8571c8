"""`evaluate --method ais|bdmc` and `vae.ais` / `vae.bdmc` on a trained
blog model: the lines and the JSON a user reads, the same figures for
the same seed, batches that never mix images, and every bad value
refused in one line. (The estimators' math is checked against closed
forms in test_ais.py and test_hmc.py.)"""
import json

import numpy as np
import pytest

import vae_digits
from tests import commands
from vae_digits.data import load_test_set

FAST = ["--chains", "4", "--temperatures", "15", "--leapfrogs", "5"]


def evaluate(*args, cwd):
    return commands.run("vae_digits.evaluate", *args, cwd=cwd)


def test_ais_prints_its_line_and_repeats_for_a_seed(served_mlp_dir,
                                                    small_mnist, tmp_path):
    args = ["--checkpoint-dir", served_mlp_dir, "--data-path", small_mnist,
            "--method", "ais", "--n-images", "6", "--seed", "3", *FAST]
    result = evaluate(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (f"Evaluating {served_mlp_dir}/vae.epoch.2.ckpt on 6 "
                        "test digits by AIS (4 chains from q(z | x), 15 "
                        "temperatures, 5 leapfrog steps)...")
    assert lines[1].startswith(">>> TEST (")
    assert lines[2].startswith(">> Test log likelihood (AIS) = ")
    runs = [json.loads(evaluate(*args, "--json", cwd=tmp_path).stdout)
            for _ in range(2)]
    assert runs[0]["log_likelihoods"] == runs[1]["log_likelihoods"]
    assert len(runs[0]["log_likelihoods"]) == 6
    assert runs[0]["log_likelihood"] == pytest.approx(
        float(lines[2].rsplit(" ", 1)[1]), abs=1e-9)
    assert {k: runs[0][k] for k in ("method", "n_test", "chains",
                                    "temperatures", "leapfrogs",
                                    "proposal")} == dict(
        method="ais", n_test=6, chains=4, temperatures=15, leapfrogs=5,
        proposal="posterior")


def test_bdmc_sandwiches_simulated_images(served_mlp_dir, tmp_path):
    result = evaluate("--checkpoint-dir", served_mlp_dir, "--method", "bdmc",
                      "--n-images", "4", "--seed", "1", "--chains", "4",
                      "--temperatures", "60", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n_simulated"] == 4 and len(report["upper_bounds"]) == 4
    assert report["gap"] == pytest.approx(report["upper_bound"]
                                          - report["lower_bound"])
    # a sandwich up to the noise of 4 chains: far tighter than a nat
    assert -1. < report["gap"] < 5.


def test_batches_are_padded_without_mixing_images(served_mlp_dir,
                                                  small_mnist, monkeypatch):
    from vae_digits.trained import annealing
    x, _ = load_test_set("mnist", small_mnist, True, 0)
    monkeypatch.setattr(annealing, "AIS_ROWS_PER_RUN", 8)  # 2 images a run
    options = dict(chains=4, temperatures=5, leapfrogs=3, seed=7)
    with vae_digits.load(served_mlp_dir) as vae:
        five = vae.ais(x[:5], **options)
        two = vae.ais(x[:2], **options)
        reordered = vae.ais(x[[2, 3, 0, 1, 4]], **options)
    assert five.shape == (5,) and np.all(np.isfinite(five))
    np.testing.assert_array_equal(five[:2], two)
    # the same images in another batch: other draws, near the same value
    np.testing.assert_allclose(np.sort(reordered), np.sort(five), atol=15.)


def test_ais_from_the_prior_meets_ais_from_q(served_mlp_dir, small_mnist):
    """Both proposals anneal to the same posterior: with enough
    temperatures their estimates of each image's log p(x) agree, and agree
    with importance sampling's L_1000 (on this model the three lie within
    about a nat; the images' values lie 70 nats and more apart)."""
    x, _ = load_test_set("mnist", small_mnist, True, 0)
    options = dict(chains=8, temperatures=400, leapfrogs=5, seed=2)
    with vae_digits.load(served_mlp_dir) as vae:
        prior = vae.ais(x[:3], proposal="prior", **options)
        posterior = vae.ais(x[:3], proposal="posterior", **options)
        importance = vae.log_likelihoods(x[:3], n_particles=1000)
    assert np.ptp(importance) > 50.
    np.testing.assert_allclose(prior, posterior, atol=0.5)
    np.testing.assert_allclose(posterior, importance, atol=1.5)


@pytest.mark.parametrize("args, fragment", [
    (["--temperatures", "0"], "--temperatures: must be a positive integer"),
    (["--temperatures", "100001"], "must be at most 100,000"),
    (["--chains", "1001"], "--chains: must be at most 1,000"),
    (["--leapfrogs", "-1"], "--leapfrogs: must be a positive integer"),
    (["--proposal", "uniform"], "--proposal: invalid choice"),
    (["--method", "hmc"], "--method: invalid choice"),
])
def test_bad_annealing_values_are_one_line_usage_errors(args, fragment,
                                                        tmp_path):
    result = evaluate("--method", "ais", *args, cwd=tmp_path)
    assert result.returncode == 2 and fragment in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_python_api_refuses_bad_values_in_one_sentence(served_mlp_dir):
    with vae_digits.load(served_mlp_dir) as vae:
        for kwargs, fragment in [(dict(chains=0), "chains"),
                                 (dict(temperatures=10 ** 6), "temperatures"),
                                 (dict(proposal="uniform"), "proposal must be"),
                                 (dict(leapfrogs=2.5), "leapfrogs")]:
            with pytest.raises((ValueError, TypeError), match=fragment):
                vae.ais(np.zeros((2, 28, 28)), **kwargs)
        with pytest.raises(ValueError, match="at least one image"):
            vae.ais(np.zeros((0, 28, 28)))
        with pytest.raises(ValueError, match="n must be at most 10,000"):
            vae.bdmc(10001)


def test_the_conditional_model_is_refused_before_tensorflow(tmp_path):
    """Its decoder reads the digit: no log p(x) of an image alone. The
    refusal comes from model_config.json, before any checkpoint is read
    (this one is empty)."""
    from vae_digits import models
    model = models.get("conditional")
    config = dict(model="conditional", dataset="mnist", x_dim=784,
                  **{h.name: h.default for h in model.hyperparameters})
    directory = tmp_path / "checkpoints"
    directory.mkdir()
    (directory / "model_config.json").write_text(json.dumps(config))
    (directory / "vae.epoch.1.ckpt.index").write_bytes(b"")
    for method in ("ais", "bdmc"):
        result = evaluate("--checkpoint-dir", str(directory), "--method",
                          method, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr == (
            f"error: --method {method} does not apply to the conditional "
            "model: its decoder reads the digit, so it has no log p(x) of "
            "an image alone; use --method is.\n")


def test_bdmc_reverses_from_the_codes_its_images_were_drawn_from(
        served_mlp_dir, monkeypatch):
    """The reverse chain's upper bound holds only from exact posterior
    draws: the z each simulated image was decoded from, not fresh ones."""
    from vae_digits.trained import annealing
    seen = {}

    class Recorder:
        def __init__(self, *args, **settings):
            pass

        def forward(self, images):
            return np.zeros(len(images))

        def reverse(self, images, codes):
            seen["codes"] = np.asarray(codes)
            return np.zeros(len(images))

        def close(self):
            pass

    monkeypatch.setattr(annealing, "Annealer", Recorder)
    with vae_digits.load(served_mlp_dir) as vae:
        images = vae.bdmc(n=8, chains=2, temperatures=2, seed=5)["images"]

        def log_likelihood(codes):
            p = np.clip(vae.decode(codes).reshape(len(codes), -1), 1e-6, 1 - 1e-6)
            return (images * np.log(p) + (1 - images) * np.log(1 - p)).sum(1)
        assert seen["codes"].shape == (8, vae.z_dim)
        other = np.random.RandomState(0).randn(8, vae.z_dim)
        assert np.all(log_likelihood(seen["codes"]) > log_likelihood(other))
