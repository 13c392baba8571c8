"""Normal and Bernoulli: log densities, shapes, sampling, gradients."""
import numpy as np
import pytest

from tests.helpers import session
from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf

Normal = zs.distributions.Normal
Bernoulli = zs.distributions.Bernoulli


def normal_log_pdf(x, mean, std):
    return -0.5 * np.log(2 * np.pi * std ** 2) - (x - mean) ** 2 / (2 * std ** 2)


@pytest.mark.parametrize("mean,std,x", [
    (0., 1., 0.), (0., 1., 2.5), (1.5, 0.3, 1.2), (-2., 4., 7.), (3., 1e-2, 3.01)])
def test_normal_log_prob_matches_closed_form(mean, std, x):
    with session() as sess:
        by_std = Normal(mean, std=std).log_prob(x)
        by_logstd = Normal(mean, logstd=np.log(std)).log_prob(x)
        values = sess.run([by_std, by_logstd])
    np.testing.assert_allclose(values, [normal_log_pdf(x, mean, std)] * 2,
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("logits,x", [
    (0., 1), (0., 0), (2., 1), (2., 0), (-3.5, 1), (-3.5, 0), (60., 0),
    (-60., 1)])
def test_bernoulli_log_prob_matches_closed_form(logits, x):
    # log sigmoid(l) for x = 1, log sigmoid(-l) for x = 0, computed in
    # float64 so that the extreme logits are exact.
    expected = -np.logaddexp(0., -logits if x else logits)
    with session() as sess:
        value = sess.run(Bernoulli(logits).log_prob(x))
    assert np.isfinite(value)
    np.testing.assert_allclose(value, expected, rtol=1e-5)


def test_normal_needs_exactly_one_of_std_and_logstd():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="exactly one"):
            Normal(0.)
        with pytest.raises(ValueError, match="exactly one"):
            Normal(0., std=1., logstd=0.)


@pytest.mark.parametrize("group_ndims,n_samples,sample_shape,log_prob_shape", [
    (0, None, (4, 3), (4, 3)),
    (1, None, (4, 3), (4,)),
    (0, 5, (5, 4, 3), (5, 4, 3)),
    (1, 5, (5, 4, 3), (5, 4)),
    (0, "tensor", (7, 4, 3), (7, 4, 3)),
    (1, "tensor", (7, 4, 3), (7, 4)),
])
def test_sample_and_log_prob_shapes(group_ndims, n_samples, sample_shape,
                                    log_prob_shape):
    with session() as sess:
        feed = {}
        if n_samples == "tensor":
            n_samples = tf.placeholder(tf.int32, [])
            feed = {n_samples: 7}
        for dist in (Normal(tf.zeros([4, 3]), std=1., group_ndims=group_ndims),
                     Bernoulli(tf.zeros([4, 3]), group_ndims=group_ndims)):
            sample = dist.sample(n_samples)
            sample_value, log_prob = sess.run(
                [sample, dist.log_prob(sample)], feed)
            assert sample_value.shape == sample_shape
            assert log_prob.shape == log_prob_shape


def test_grouped_log_prob_is_the_sum_over_the_event():
    x = np.array([[0.1, -0.4, 2.], [1., 0., -1.]], np.float32)
    with session() as sess:
        dist = Normal(tf.zeros([2, 3]), std=2., group_ndims=1)
        grouped = sess.run(dist.log_prob(x))
    np.testing.assert_allclose(grouped, normal_log_pdf(x, 0., 2.).sum(-1),
                               rtol=1e-5)


def test_bad_n_samples_and_group_ndims_are_refused():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="n_samples"):
            Normal(0., std=1.).sample(0)
        with pytest.raises(ValueError, match="group_ndims"):
            Normal(0., std=1., group_ndims=-1)


def test_samples_follow_their_distributions():
    with session() as sess:
        normal = Normal(tf.fill([2], 3.), std=[0.5, 2.]).sample(20000)
        bernoulli = Bernoulli([-1., 2.]).sample(20000)
        normal_value, bernoulli_value = sess.run([normal, bernoulli])
    np.testing.assert_allclose(normal_value.mean(0), [3., 3.], atol=0.05)
    np.testing.assert_allclose(normal_value.std(0), [0.5, 2.], rtol=0.03)
    assert bernoulli_value.dtype == np.int32
    np.testing.assert_allclose(bernoulli_value.mean(0),
                               1 / (1 + np.exp([1., -2.])), atol=0.02)


def test_normal_samples_are_reparameterised():
    with session() as sess:
        mean = tf.constant([1., 2.])
        logstd = tf.constant([0., np.log(3.)])
        sample = Normal(mean, logstd=logstd).sample()
        epsilon = (sample - mean) / tf.exp(logstd)
        grad_mean, grad_logstd, eps = sess.run(
            tf.gradients(sample, [mean, logstd]) + [epsilon])
    np.testing.assert_allclose(grad_mean, [1., 1.])
    # d(mean + exp(logstd) * eps) / d logstd = exp(logstd) * eps
    np.testing.assert_allclose(grad_logstd, [1., 3.] * eps, rtol=1e-5)
