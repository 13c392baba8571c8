"""The ELBO, its SGVB gradient and importance-sampled log-likelihood,
checked against a conjugate Gaussian model known in closed form:
z ~ N(0, 1), x | z ~ N(z, SIGMA_X^2), variational q(z) = N(m, s^2)."""
import numpy as np

from tests.helpers import session
from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf

SIGMA_X = 0.5
X = 1.3
LOG_2PI = np.log(2 * np.pi)


@zs.meta_bayesian_net()
def conjugate_model(n_particles):
    bn = zs.BayesianNet()
    z = bn.normal("z", 0., std=1., n_samples=n_particles)
    bn.normal("x", z, std=SIGMA_X)
    return bn


def variational(mean, logstd, n_particles):
    bn = zs.BayesianNet()
    bn.normal("z", mean, logstd=logstd, n_samples=n_particles)
    return bn


def exact_elbo_and_gradient(m, s):
    """ELBO(m, log s) and its gradient, worked by hand."""
    expected_log_lik = (-0.5 * np.log(2 * np.pi * SIGMA_X ** 2)
                        - ((X - m) ** 2 + s ** 2) / (2 * SIGMA_X ** 2))
    expected_log_prior = -0.5 * LOG_2PI - (m ** 2 + s ** 2) / 2
    entropy = 0.5 * np.log(2 * np.pi * np.e * s ** 2)
    value = expected_log_lik + expected_log_prior + entropy
    grad_m = (X - m) / SIGMA_X ** 2 - m
    grad_logstd = -s ** 2 / SIGMA_X ** 2 - s ** 2 + 1.
    return value, np.array([grad_m, grad_logstd])


def exact_log_marginal():
    variance = 1. + SIGMA_X ** 2
    return -0.5 * np.log(2 * np.pi * variance) - X ** 2 / (2 * variance)


def test_elbo_is_log_joint_minus_log_q_worked_by_hand():
    with session() as sess:
        q = variational(0.2, np.log(0.7), n_particles=3)
        lower_bound = zs.variational.elbo(
            conjugate_model(3), {"x": X}, variational=q)
        per_sample, z = sess.run([lower_bound, q["z"]])
    assert per_sample.shape == (3,)
    log_prior = -0.5 * LOG_2PI - z ** 2 / 2
    log_lik = -0.5 * np.log(2 * np.pi * SIGMA_X ** 2) - (X - z) ** 2 / (
        2 * SIGMA_X ** 2)
    log_q = -0.5 * np.log(2 * np.pi * 0.7 ** 2) - (z - 0.2) ** 2 / (
        2 * 0.7 ** 2)
    np.testing.assert_allclose(per_sample, log_prior + log_lik - log_q,
                               rtol=1e-5)


def test_elbo_with_latent_given_and_axis_averages():
    z = np.array([0.1, -0.3, 0.8], np.float32)
    log_q = np.array([-1., -2., -0.5], np.float32)
    with session() as sess:
        lower_bound = zs.variational.elbo(
            conjugate_model(None), {"x": X}, latent={"z": (z, log_q)}, axis=0)
        value = sess.run(lower_bound)
    log_joint = (-0.5 * LOG_2PI - z ** 2 / 2
                 - 0.5 * np.log(2 * np.pi * SIGMA_X ** 2)
                 - (X - z) ** 2 / (2 * SIGMA_X ** 2))
    np.testing.assert_allclose(value, np.mean(log_joint - log_q), rtol=1e-5)


def test_sgvb_gradient_matches_the_exact_elbo_gradient():
    m, s, n_particles = 0.3, 0.8, 200000
    with session(seed=7) as sess:
        mean = tf.Variable(m)
        logstd = tf.Variable(np.log(s).astype(np.float32))
        q = variational(mean, logstd, n_particles)
        lower_bound = zs.variational.elbo(
            conjugate_model(n_particles), {"x": X}, variational=q, axis=0)
        gradients = tf.gradients(-lower_bound.sgvb(), [mean, logstd])
        sess.run(tf.global_variables_initializer())
        value, grad = sess.run([lower_bound, gradients])
    exact_value, exact_grad = exact_elbo_and_gradient(m, s)
    # Monte Carlo standard errors with 200,000 particles are below 0.01
    # here (per-particle gradient standard deviations are under 4).
    np.testing.assert_allclose(value, exact_value, atol=0.03)
    np.testing.assert_allclose(grad, exact_grad, atol=0.04)


def test_is_loglikelihood_converges_to_the_exact_log_marginal():
    errors = []
    with session(seed=3) as sess:
        n = tf.placeholder(tf.int32, [])
        # a deliberately poor proposal: wider than and off the posterior
        q = variational(0., 0., n)
        estimate = zs.is_loglikelihood(conjugate_model(n), {"x": X},
                                       proposal=q, axis=0)
        for k in (1, 100, 100000):
            runs = [sess.run(estimate, {n: k}) for _ in range(20)]
            errors.append(np.mean(np.abs(np.array(runs) -
                                         exact_log_marginal())))
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.01


def test_is_loglikelihood_is_exact_with_the_true_posterior():
    posterior_variance = SIGMA_X ** 2 / (1 + SIGMA_X ** 2)
    posterior_mean = X / (1 + SIGMA_X ** 2)
    with session() as sess:
        q = variational(posterior_mean, 0.5 * np.log(posterior_variance), 5)
        estimate = zs.is_loglikelihood(conjugate_model(5), {"x": X},
                                       proposal=q, axis=0)
        value = sess.run(estimate)
    np.testing.assert_allclose(value, exact_log_marginal(), rtol=1e-5)
