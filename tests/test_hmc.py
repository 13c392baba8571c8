"""zs.HMC checked on Gaussians whose mean and covariance are known: the
final states of many independent chains are independent draws, so their
mean and covariance must match within standard errors; the acceptance
rate must settle at its target while the step size adapts."""
import numpy as np
import pytest

from tests.helpers import session
from tests.linear_gaussian import LinearGaussian
from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf


def gaussian_log_density(mean, covariance):
    """log N(z; mean, covariance) up to a constant, of [..., d] states."""
    precision = np.linalg.inv(covariance).astype(np.float32)

    def log_density(observed):
        difference = observed["z"] - mean.astype(np.float32)
        return -0.5 * tf.reduce_sum(
            tf.tensordot(difference, precision, 1) * difference, -1)
    return log_density


def run_chains(target, n_chains, d, iterations, adapt_iterations, seed,
               **hmc_options):
    """(final states [n_chains, d], mean acceptance of each iteration,
    the step sizes) of HMC chains started at 0, adapting the step size
    for the first adapt_iterations."""
    with session(seed=seed) as sess:
        z = tf.Variable(tf.zeros([n_chains, d]), trainable=False)
        adapt = tf.placeholder(tf.bool, [])
        hmc = zs.HMC(adapt_step_size=adapt, **hmc_options)
        sample_op, info = hmc.sample(target, {}, {"z": z})
        sess.run(tf.global_variables_initializer())
        acceptance, step_sizes = [], []
        for i in range(iterations):
            _, rate, step = sess.run(
                [sample_op, info.acceptance_rate, info.updated_step_size],
                {adapt: i < adapt_iterations})
            acceptance.append(rate.mean())
            step_sizes.append(step)
        return sess.run(z), np.array(acceptance), np.array(step_sizes)


def assert_gaussian(samples, mean, covariance, sigmas=4.5):
    """The samples' mean and covariance within `sigmas` standard errors
    of the truth, entry by entry."""
    n = len(samples)
    variances = np.diag(covariance)
    mean_error = np.sqrt(variances / n)
    assert np.all(np.abs(samples.mean(0) - mean) < sigmas * mean_error)
    covariance_error = np.sqrt((np.outer(variances, variances)
                                + covariance ** 2) / n)
    assert np.all(np.abs(np.cov(samples.T) - covariance)
                  < sigmas * covariance_error)


def test_a_correlated_2d_gaussian():
    mean = np.array([1., -2.])
    covariance = np.array([[1., 0.9], [0.9, 1.]])
    samples, acceptance, _ = run_chains(
        gaussian_log_density(mean, covariance), 4000, 2, 300, 200, seed=1,
        step_size=0.1, n_leapfrogs=10, target_acceptance_rate=0.8)
    assert_gaussian(samples, mean, covariance)
    assert abs(acceptance[100:200].mean() - 0.8) < 0.04


def test_a_40d_gaussian_with_known_mean_and_covariance():
    rng = np.random.RandomState(2)
    rotation = np.linalg.qr(rng.randn(40, 40))[0]
    covariance = rotation @ np.diag(np.linspace(0.25, 2., 40)) @ rotation.T
    mean = rng.randn(40)
    samples, acceptance, _ = run_chains(
        gaussian_log_density(mean, covariance), 2000, 40, 150, 100, seed=2,
        step_size=0.1, n_leapfrogs=10, target_acceptance_rate=0.65)
    assert_gaussian(samples, mean, covariance)
    assert abs(acceptance[50:100].mean() - 0.65) < 0.04


def test_mass_adaptation_on_a_badly_scaled_gaussian():
    """Scales from 0.03 to 3: one step size cannot serve all; with the
    mass adapted, each coordinate moves on its own scale."""
    scales = np.geomspace(0.03, 3., 40)
    covariance = np.diag(scales ** 2)
    samples, acceptance, steps = run_chains(
        gaussian_log_density(np.zeros(40), covariance), 2000, 40, 250, 150,
        seed=3, step_size=0.01, n_leapfrogs=10, adapt_mass=True,
        mass_collect_iters=30, mass_decay=0.97, target_acceptance_rate=0.8)
    assert_gaussian(samples, np.zeros(40), covariance)
    assert abs(acceptance[100:150].mean() - 0.8) < 0.05
    # the step size is in units of each coordinate's scale: near 1, far
    # above what the narrowest coordinate alone would allow
    assert steps[-1] > 10 * scales[0]


def test_a_posterior_given_as_a_meta_bayesian_net():
    """HMC on p(z | x) of the linear-Gaussian model, a MetaBayesianNet
    observed at x, against the closed-form posterior."""
    model = LinearGaussian(d=3, D=6, s=0.5, seed=4)
    x, _ = model.simulate(1, np.random.RandomState(4))
    n_chains = 3000
    with session(seed=4) as sess:
        z = tf.Variable(tf.zeros([n_chains, 1, 3]), trainable=False)
        hmc = zs.HMC(step_size=0.05, n_leapfrogs=10, adapt_step_size=True)
        sample_op, info = hmc.sample(model.meta_bn()(1, n_chains),
                                     {"x": np.float32(x)}, {"z": z})
        sess.run(tf.global_variables_initializer())
        for _ in range(100):
            _, before, after, rate = sess.run(
                [sample_op, info.orig_log_prob, info.log_prob,
                 info.acceptance_rate])
        samples = sess.run(z)[:, 0]
    assert before.shape == after.shape == rate.shape == (n_chains, 1)
    means, stds = model.posterior(x)
    assert_gaussian(samples, means[0], np.diag(stds ** 2))
    # log_prob is the log joint at the new state: check it by hand
    log_joint = log_joint_by_hand(model, x[0], samples)
    np.testing.assert_allclose(after[:, 0], log_joint, rtol=1e-4)


def log_joint_by_hand(model, x, z):
    """log N(z; 0, I) + log N(x; W z + b, s^2 I) of each row of z."""
    log_prior = -0.5 * np.sum(z ** 2 + np.log(2 * np.pi), -1)
    residual = x - z @ model.W.T - model.b
    log_likelihood = -0.5 * np.sum(residual ** 2 / model.s ** 2
                                   + np.log(2 * np.pi * model.s ** 2), -1)
    return log_prior + log_likelihood


def test_without_adaptation_the_step_size_stays():
    samples, _, steps = run_chains(
        gaussian_log_density(np.zeros(2), np.eye(2)), 500, 2, 20, 0, seed=5,
        step_size=0.3, n_leapfrogs=5)
    np.testing.assert_allclose(steps, 0.3, rtol=1e-6)
    assert_gaussian(samples, np.zeros(2), np.eye(2))


@pytest.mark.parametrize("options, message", [
    (dict(step_size=0.), "step_size"), (dict(n_leapfrogs=0), "n_leapfrogs"),
    (dict(target_acceptance_rate=1.), "target_acceptance_rate")])
def test_bad_settings_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        zs.HMC(**options)
