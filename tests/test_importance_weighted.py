"""The importance-weighted bound L_K and its estimators, checked where the
answer is known: with one sample it is the ELBO; on a linear-Gaussian
model it rises with K towards the closed-form log p(x) and equals it with
the exact posterior as proposal; VIMCO's gradient, averaged over many
draws, is the exact gradient of E[L_K] on a model with binary codes small
enough to enumerate."""
import itertools

import numpy as np
import pytest

from tests.helpers import session
from tests.linear_gaussian import LinearGaussian
from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf

MODEL = LinearGaussian(d=5, D=12, s=0.5, seed=0)


def diagonal_proposal(means, stds, n_particles):
    """A BayesianNet q(z) = N(means, stds^2) drawing n_particles."""
    bn = zs.BayesianNet()
    bn.normal("z", np.float32(means), std=np.float32(stds), group_ndims=1,
              n_samples=n_particles)
    return bn


def test_one_sample_gives_the_elbo_of_the_same_draw():
    x, _ = MODEL.simulate(20, np.random.RandomState(1))
    with session() as sess:
        q = diagonal_proposal(np.zeros((20, 5)), np.ones((20, 5)), 1)
        observed = {"x": np.float32(x)}
        bound = zs.variational.importance_weighted_objective(
            MODEL.meta_bn()(20, 1), observed, variational=q, axis=0)
        lower_bound = zs.variational.elbo(MODEL.meta_bn()(20, 1), observed,
                                          variational=q, axis=0)
        values = sess.run([bound, lower_bound, bound.sgvb()])
    assert values[0].shape == (20,)
    np.testing.assert_allclose(values[0], values[1], rtol=1e-6)
    np.testing.assert_array_equal(values[2], -values[0])


def test_the_bound_is_log_p_exactly_under_the_exact_posterior():
    x, _ = MODEL.simulate(30, np.random.RandomState(2))
    for k in (1, 7):
        with session() as sess:
            bound = zs.variational.importance_weighted_objective(
                MODEL.meta_bn()(30, k), {"x": np.float32(x)},
                variational=MODEL.exact_posterior(x, k).observe(), axis=0)
            value = sess.run(bound)
        # float32 log densities of about -20 nats: a few 1e-5 of rounding
        np.testing.assert_allclose(value, MODEL.log_marginal(x), atol=2e-4)


def test_the_bound_rises_with_k_towards_log_p():
    """From the prior, a poor proposal: mean L_K over 400 data points and
    their draws, for K = 1, 10, 100, 1000, with its standard error."""
    x, _ = MODEL.simulate(400, np.random.RandomState(3))
    exact = MODEL.log_marginal(x).mean()
    means, errors = [], []
    for k in (1, 10, 100, 1000):
        with session(seed=k) as sess:
            bound = zs.variational.importance_weighted_objective(
                MODEL.meta_bn()(400, k), {"x": np.float32(x)},
                variational=diagonal_proposal(np.zeros((400, 5)),
                                              np.ones((400, 5)), k), axis=0)
            # the same data: the spread is the draws' (and data's) spread
            value = sess.run(bound) - MODEL.log_marginal(x)
        means.append(value.mean() + exact)
        errors.append(value.std() / np.sqrt(len(value)))
    gaps = np.diff(means)
    assert np.all(gaps > 3 * np.hypot(errors[1:], errors[:-1])), (means, errors)
    assert means[-1] <= exact + 3 * errors[-1]
    assert exact - means[-1] < 0.25 * (exact - means[0])


def test_the_axis_is_required_and_vimco_needs_two_samples():
    with session():
        q = diagonal_proposal(np.zeros((3, 5)), np.ones((3, 5)), 1)
        observed = {"x": np.zeros((3, 12), np.float32)}
        with pytest.raises(ValueError, match="axis"):
            zs.variational.importance_weighted_objective(
                MODEL.meta_bn()(3, 1), observed, variational=q)
        one = zs.variational.importance_weighted_objective(
            MODEL.meta_bn()(3, 1), observed, variational=q, axis=0)
        with pytest.raises(ValueError, match="at least 2 samples"):
            one.vimco()


def test_vimco_refuses_one_sample_known_only_when_run():
    with session() as sess:
        k = tf.placeholder(tf.int32, [])
        q = diagonal_proposal(np.zeros((3, 5)), np.ones((3, 5)), k)
        bound = zs.variational.importance_weighted_objective(
            MODEL.meta_bn()(3, k), {"x": np.zeros((3, 12), np.float32)},
            variational=q, axis=0)
        cost = bound.vimco()
        assert sess.run(cost, {k: 2}).shape == (3,)
        with pytest.raises(tf.errors.InvalidArgumentError, match="2 samples"):
            sess.run(cost, {k: 1})


class FixedLogJoint:
    """A stand-in model whose log joint is a fixed array."""

    def __init__(self, log_joint):
        self.log_joint_value = log_joint

    def observe(self, **observed):
        return self

    def log_joint(self):
        return tf.constant(self.log_joint_value)


def test_the_leave_one_out_signals_by_brute_force():
    """vimco()'s learning signals, read back through its gradient with
    respect to each sample's log q, which is its normalised weight minus
    its signal L_K - L_K^(-k)."""
    rng = np.random.RandomState(4)
    log_joint, log_q_value = rng.randn(4, 3) * 3, rng.randn(4, 3)
    with session() as sess:
        log_q = tf.constant(log_q_value)
        bound = zs.variational.importance_weighted_objective(
            FixedLogJoint(log_joint), {},
            latent={"z": (tf.zeros([4, 3]), log_q)}, axis=0)
        gradient = sess.run(tf.gradients(tf.reduce_sum(bound.vimco()),
                                         log_q)[0])
    log_w = log_joint - log_q_value
    weights = np.exp(log_w - log_w.max(0))
    normalised = weights / weights.sum(0)
    bound_k = np.log(np.mean(np.exp(log_w), 0))
    signals = np.empty_like(log_w)
    for k in range(4):
        replaced = log_w.copy()
        replaced[k] = np.delete(log_w, k, axis=0).mean(0)
        signals[k] = bound_k - np.log(np.mean(np.exp(replaced), 0))
    np.testing.assert_allclose(gradient, normalised - signals, atol=1e-9)


BITS, K, X_OBSERVED = 3, 3, 1.2


def binary_code_model(prior_logits, weights):
    """z in {0, 1}^3 ~ Bernoulli(sigmoid(prior_logits)); x | z ~ N(w . z, 1)."""
    @zs.meta_bayesian_net()
    def build(n, n_particles):
        bn = zs.BayesianNet()
        z = bn.bernoulli("z", tf.tile(prior_logits[None], [n, 1]),
                         group_ndims=1, n_samples=n_particles,
                         dtype=tf.float32)
        bn.normal("x", tf.reduce_sum(z * weights, -1), std=1.)
        return bn
    return build


def exact_expected_bound(prior_logits, q_logits, weights):
    """E over q of L_K, summed over every one of the 8^K code tuples."""
    codes = np.array(list(itertools.product([0., 1.], repeat=BITS)),
                     np.float32)

    def bernoulli_log_prob(logits):
        return tf.reduce_sum(codes * logits - tf.nn.softplus(logits), -1)
    log_q = bernoulli_log_prob(q_logits)
    log_lik = -0.5 * np.log(2 * np.pi) - 0.5 * tf.square(
        X_OBSERVED - tf.reduce_sum(codes * weights, -1))
    log_w = bernoulli_log_prob(prior_logits) + log_lik - log_q
    tuples = np.array(list(itertools.product(range(len(codes)), repeat=K)))
    bound = tf.reduce_logsumexp(tf.gather(log_w, tuples), -1) - np.log(K)
    probability = tf.exp(tf.reduce_sum(tf.gather(log_q, tuples), -1))
    return tf.reduce_sum(probability * bound)


def test_vimco_gradient_is_the_exact_gradient_of_the_expected_bound():
    n_draws, n_runs = 20000, 12
    with session(seed=5) as sess:
        prior_logits = tf.Variable([0.3, -0.5, 1.0])
        q_logits = tf.Variable([-0.4, 0.8, 0.1])
        weights = tf.Variable([1.5, -1.0, 0.7])
        parameters = [prior_logits, q_logits, weights]
        q = zs.BayesianNet()
        q.bernoulli("z", tf.tile(q_logits[None], [n_draws, 1]), group_ndims=1,
                    n_samples=K, dtype=tf.float32)
        bound = zs.variational.importance_weighted_objective(
            binary_code_model(prior_logits, weights)(n_draws, K),
            {"x": np.full(n_draws, X_OBSERVED, np.float32)}, variational=q,
            axis=0)
        estimate = tf.concat(tf.gradients(tf.reduce_mean(bound.vimco()),
                                          parameters), 0)
        exact = tf.concat(tf.gradients(-exact_expected_bound(
            prior_logits, q_logits, weights), parameters), 0)
        sess.run(tf.global_variables_initializer())
        runs = np.array([sess.run(estimate) for _ in range(n_runs)])
        expected = sess.run(exact)
    mean = runs.mean(0)
    error = runs.std(0, ddof=1) / np.sqrt(n_runs)
    # the check can tell: each component's standard error is well below
    # the gradient's size
    assert np.all(error < 0.1 * np.abs(expected).max())
    assert np.all(np.abs(mean - expected) < 4 * error + 1e-3), \
        (mean, expected, error)
