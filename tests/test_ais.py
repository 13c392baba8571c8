"""zs.evaluation.AIS and its reverse chain (BDMC) on the linear-Gaussian
model, whose log p(x) is known in closed form: the forward estimate from
the prior or from an approximate posterior lies below it, the reverse
one from exact posterior samples above it, and both close in as the
temperatures grow."""
import numpy as np
import pytest

from tests.helpers import session
from tests.linear_gaussian import LinearGaussian
from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf
from vae_digits.zhusuan.evaluation import AIS, sigmoid_schedule

MODEL = LinearGaussian(d=5, D=12, s=0.5, seed=0)
N, CHAINS = 20, 8


def test_the_schedule_runs_from_exactly_0_to_exactly_1():
    betas = sigmoid_schedule(100)
    assert len(betas) == 101 and betas[0] == 0. and betas[-1] == 1.
    assert np.all(np.diff(betas) > 0)
    # a sigmoid: slow at both ends, fastest in the middle
    steps = np.diff(betas)
    assert steps[50] > 10 * steps[0] and steps[50] > 10 * steps[-1]
    np.testing.assert_array_equal(sigmoid_schedule(1), [0., 1.])
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="n_temperatures"):
            sigmoid_schedule(bad)


def anneal(x, temperatures, proposal=None, seed=1, z_start=None):
    """(forward estimates, reverse estimates or None) per data point of
    AIS from `proposal` (default: the prior) on the rows of x; the
    reverse chain starts at z_start ([N, d]) in every chain."""
    with session(seed=seed) as sess:
        z = tf.Variable(tf.zeros([CHAINS, len(x), MODEL.d]), trainable=False)
        model = MODEL.meta_bn()(len(x), CHAINS)
        hmc = zs.HMC(step_size=0.1, n_leapfrogs=10, adapt_step_size=True,
                     target_acceptance_rate=0.65)
        ais = AIS(model, proposal or model, hmc, {"x": np.float32(x)},
                  {"z": z}, n_chains=CHAINS, n_temperatures=temperatures)
        forward = ais.forward(sess)
        assert ais.run(sess) == pytest.approx(forward.mean(), abs=2.)
        if z_start is None:
            return forward, None
        start = np.broadcast_to(z_start, (CHAINS,) + z_start.shape)
        return forward, ais.reverse(sess, None, {"z": np.float32(start)})


def test_from_the_exact_posterior_every_schedule_gives_log_p():
    """Each log weight is then log p(x) times the sum of the schedule's
    steps: exactly log p(x) if and only if the schedule ends at 1."""
    x, z = MODEL.simulate(N, np.random.RandomState(1))
    for temperatures in (1, 7):
        forward, reverse = anneal(x, temperatures,
                                  MODEL.exact_posterior(x, CHAINS), z_start=z)
        np.testing.assert_allclose(forward, MODEL.log_marginal(x), atol=2e-4)
        np.testing.assert_allclose(reverse, MODEL.log_marginal(x), atol=2e-4)


def test_forward_and_reverse_sandwich_log_p_and_close_in():
    x, z = MODEL.simulate(N, np.random.RandomState(2))
    exact = MODEL.log_marginal(x).mean()
    gaps = []
    for temperatures in (20, 500):
        forward, reverse = anneal(x, temperatures, z_start=z)
        gaps.append((exact - forward.mean(), reverse.mean() - exact))
    (forward_few, reverse_few), (forward_many, reverse_many) = gaps
    assert forward_few > 1. and reverse_few > 1.  # far off with few
    # within 0.2 nats with many; below and above it up to the noise of
    # 20 data points (a few hundredths)
    assert -0.05 < forward_many < 0.2 and -0.05 < reverse_many < 0.2, gaps


def test_from_an_approximate_posterior():
    """q(z | x): the exact posterior with its means moved by one standard deviation and its
    standard deviations tripled, as an encoder's might be."""
    x, _ = MODEL.simulate(N, np.random.RandomState(3))
    means, stds = MODEL.posterior(x)
    q = zs.meta_bayesian_net()(lambda: proposal_net(means + stds,
                                                    3 * stds))()
    errors = [MODEL.log_marginal(x).mean() - anneal(x, t, q)[0].mean()
              for t in (2, 200)]
    assert errors[0] > 1. and abs(errors[1]) < 0.2, errors


def proposal_net(means, stds):
    bn = zs.BayesianNet()
    bn.normal("z", np.float32(means), std=np.float32(np.broadcast_to(
        stds, means.shape)), group_ndims=1, n_samples=CHAINS)
    return bn


def test_latents_must_have_chains_first_and_a_static_shape():
    with session():
        model = MODEL.meta_bn()(N, CHAINS)
        hmc = zs.HMC()
        chains_second = tf.Variable(tf.zeros([N, CHAINS, MODEL.d]))
        unknown = tf.Variable(tf.zeros([CHAINS, N, MODEL.d]),
                              validate_shape=False)
        for z in (chains_second, unknown):
            with pytest.raises(ValueError, match="static shape"):
                AIS(model, model, hmc, {"x": np.zeros((N, 12), np.float32)},
                    {"z": z}, n_chains=CHAINS, n_temperatures=3)
