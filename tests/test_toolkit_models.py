"""The two models of ZhuSuan's toolkit: `iwae` (the blog's nets on the
importance-weighted bound) and `bernoulli` (binary codes by VIMCO),
checked where their math says what must hold, and through the commands
a user types."""
import json
import os

import numpy as np
import pytest

import vae_digits
from tests import commands
from tests.helpers import read_real_test_digits, session
from vae_digits import models
from vae_digits.core.compat import tf


def digits(n=64, start=0):
    images, _ = read_real_test_digits()
    return images[start:start + n].reshape(n, 784).astype(np.float32) / 255


def build(name, batch_size=32, seed=3, **hparams):
    model = models.get(name)
    values = dict(model=name, dataset="mnist", x_dim=784,
                  **{h.name: h.default for h in model.hyperparameters})
    values.update(hparams)
    tf.set_random_seed(seed)
    return model.build(values, learning_rate=0.001, batch_size=batch_size)


def train_steps(name, steps, **hparams):
    """The train figures of each of `steps` steps on the same 32 digits,
    from the seeded start."""
    x = digits(32)
    with session(seed=3) as sess:
        graph = build(name, **hparams)
        sess.run(tf.global_variables_initializer())
        fetches = [graph.infer_op, graph.train_metrics]
        return [sess.run(fetches, {graph.train_x: x})[1]
                for _ in range(steps)]


def test_one_particle_trains_the_blogs_objective():
    """L_1 is the ELBO: the first step's figures are the blog's, bit for
    bit (the same draws, the same value). Its gradient passes through
    log-sum-exp's backward pass, exact only to a unit in the last place
    of float32, so later steps drift from the blog's in the 7th digit."""
    blog = train_steps("mlp", 20)
    one = train_steps("iwae", 20, particles=1)
    assert blog[0] == one[0]
    for mine, theirs in zip(one, blog):
        for name in mine:
            assert mine[name] == pytest.approx(theirs[name], rel=1e-5)


def test_the_line_shows_the_k_sample_bound_above_the_elbo_of_its_draws():
    """Per batch, L_K of K draws is at least the mean of their log weights,
    the ELBO whose parts are recorded (Jensen); with K = 5 strictly so."""
    for step in train_steps("iwae", 5, particles=5):
        elbo = -(step["reconstruction"] + step["kl"])
        assert step["lower_bound"] > elbo + 0.5
    for step in train_steps("iwae", 5, particles=1):
        elbo = -(step["reconstruction"] + step["kl"])
        assert step["lower_bound"] == pytest.approx(elbo, abs=1e-3)


def test_binary_codes_train_by_vimco():
    """q's codes are probabilities of bits, and VIMCO's steps raise the
    bound and move the encoder, which only its score-function term
    reaches through the bits."""
    x = digits(32)
    with session(seed=4) as sess:
        graph = build("bernoulli", particles=4)
        encoder = [v for v in tf.trainable_variables()
                   if v.op.name.startswith("q_net")]
        sess.run(tf.global_variables_initializer())
        codes = sess.run(graph.latent_means, {graph.x_input: x})
        before = sess.run(encoder)
        bounds = [sess.run([graph.infer_op, graph.train_metrics],
                           {graph.train_x: x})[1]["lower_bound"]
                  for _ in range(60)]
        after = sess.run(encoder)
    assert codes.shape == (32, 40) and np.all((codes > 0) & (codes < 1))
    assert np.mean(bounds[-10:]) > np.mean(bounds[:10]) + 30
    assert all(np.abs(a - b).max() > 0 for a, b in zip(after, before))


def run_module(module, *args, cwd):
    return commands.run(f"vae_digits.{module}", *args, cwd=cwd)


@pytest.mark.parametrize("args, fragment", [
    (["--model", "iwae", "--particles", "0"], "--particles: must be a positive"),
    (["--model", "iwae", "--particles", "1001"], "must be at most 1,000"),
    (["--model", "bernoulli", "--particles", "1"], "at least 2"),
    (["--model", "iwae", "--particles", "1000", "--batch-size", "1000"],
     "--particles 1000 x --batch-size 1000 is 1,000,000 latent codes"),
])
def test_bad_particles_are_refused_in_one_line(args, fragment, tmp_path,
                                                small_mnist):
    result = run_module("train", *args, "--data-path", small_mnist,
                        cwd=tmp_path)
    assert result.returncode in (1, 2) and fragment in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert not os.path.exists(tmp_path / "checkpoints" / "iwae_vae"
                              / "vae.epoch.1.ckpt.index")


@pytest.fixture(scope="module")
def bernoulli_dir(tmp_path_factory, small_mnist):
    root = tmp_path_factory.mktemp("bernoulli")
    return vae_digits.train(model="bernoulli", particles=3, epochs=2, seed=2,
                            data_path=small_mnist,
                            checkpoint_dir=root / "checkpoints",
                            result_dir=root / "results")


def test_a_bernoulli_model_samples_varies_and_evaluates(bernoulli_dir,
                                                        small_mnist):
    x = digits(10, start=600)
    with vae_digits.load(bernoulli_dir) as vae:
        assert vae.binary_codes and vae.z_dim == 40
        # the prior's draws are bits: decoding them again gives the same
        codes = np.random.RandomState(5).binomial(1, .5, (6, 40))
        np.testing.assert_array_equal(vae.sample(6, seed=5), vae.decode(codes))
        means, stds = vae.encode(x, std=True)
        np.testing.assert_allclose(stds, np.sqrt(means * (1 - means)),
                                   atol=1e-6)
        # more noise flips more bits: the variations spread further
        spread = [vae.vary(x[0], 200, std_noise, seed=1).std(0).mean()
                  for std_noise in (0., 3.)]
        assert spread[1] > 1.2 * spread[0]
        report = vae.evaluate(x, n_particles=20)
    assert report["log_likelihood"] >= report["lower_bound"] - 1.
    assert {"reconstruction", "kl", "n_particles"} <= set(report)


def test_ais_refuses_binary_codes_in_one_line(bernoulli_dir, small_mnist,
                                              tmp_path):
    result = run_module("evaluate", "--checkpoint-dir", bernoulli_dir,
                        "--method", "ais", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "error: --method ais does not apply to the bernoulli model: its "
        "codes are bits and AIS moves them by Hamiltonian Monte Carlo, "
        "which needs continuous ones; use --method is.\n")
    result = run_module("evaluate", "--checkpoint-dir", bernoulli_dir,
                        "--n-images", "20", "--n-particles", "10", "--json",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["method"] == "is" and report["n_test"] == 20


def test_the_bernoulli_step_follows_the_exact_gradient_of_its_bound():
    """With 2 bits and K = 2, every code pair can be enumerated: the
    training cost's gradient with respect to the encoder, averaged over
    many draws, is that of minus E[L_2] (VIMCO is unbiased; SGVB on bits
    would not be)."""
    import itertools
    x = (digits(4, start=100) > 0.5).astype(np.float32)  # binary: kept
    codes = np.array(list(itertools.product([0., 1.], repeat=2)), np.float32)
    with session(seed=6) as sess:
        graph = build("bernoulli", batch_size=4, z_dim=2, particles=2)
        model = models.get("bernoulli")
        hparams = dict(x_dim=784, z_dim=2)
        gen, q = model.meta_nets(hparams, tf.constant(x), 4)  # 4 codes each
        z = np.repeat(codes[:, None], 4, axis=1)  # [4 codes, 4 digits, 2]
        log_w = gen.observe(x=x, z=z).log_joint() - \
            q.observe(z=z).cond_log_prob("z")  # [4, 4]
        log_q = q.observe(z=z).cond_log_prob("z")
        pairs = np.array(list(itertools.product(range(4), repeat=2)))
        bound = tf.reduce_logsumexp(tf.gather(log_w, pairs), 1) - np.log(2.)
        probability = tf.exp(tf.reduce_sum(tf.gather(log_q, pairs), 1))
        exact_cost = -tf.reduce_mean(tf.reduce_sum(probability * bound, 0))
        bias = [v for v in tf.trainable_variables()
                if v.op.name == "q_net/dense_2/bias"][0]
        estimate = tf.gradients(graph.train_cost, bias)[0]
        exact = tf.gradients(exact_cost, bias)[0]
        sess.run(tf.global_variables_initializer())
        runs = np.array([sess.run(estimate, {graph.train_x: x})
                         for _ in range(3000)])
        expected = sess.run(exact)
    mean, error = runs.mean(0), runs.std(0) / np.sqrt(len(runs))
    assert np.all(error < 0.25 * np.abs(expected).max())
    assert np.all(np.abs(mean - expected) < 4 * error), (mean, expected, error)


def test_the_iwae_test_lower_bound_is_its_k_sample_bound():
    """The test figures of iwae K = 20: its lower bound is L_20 of fresh
    draws, well above the ELBO whose parts are recorded beside it."""
    x = (digits(64, start=200) > 0.5).astype(np.float32)
    with session(seed=7) as sess:
        graph = build("iwae", particles=20)
        sess.run(tf.global_variables_initializer())
        feed = {graph.x_input: x, graph.n: 64, graph.n_particles: 1}
        runs = [sess.run(graph.test_metrics, feed) for _ in range(20)]
    bound = np.mean([r["lower_bound"] for r in runs])
    elbo = -np.mean([r["reconstruction"] + r["kl"] for r in runs])
    assert bound > elbo + 2., (bound, elbo)
