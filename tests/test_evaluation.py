"""Chunked importance sampling: the estimate of log p(x) from particles
drawn in chunks equals the one from all particles at once."""
import numpy as np

from tests.helpers import read_real_test_digits, session
from tests.test_variational import X, conjugate_model, exact_log_marginal
from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf
from vae_digits.data import binarize
from vae_digits.models.mlp import build_graph
from vae_digits.trained.scores import (
    combine_logsumexps,
    log_likelihoods,
    particle_chunks,
)


def test_particle_chunks_cover_every_particle_within_the_row_budget():
    assert particle_chunks(1000, 400, max_rows=10000) == [25] * 40
    assert particle_chunks(1000, 300, max_rows=10000) == [33] * 30 + [10]
    assert particle_chunks(7, 400, max_rows=100) == [1] * 7
    assert particle_chunks(5, 2, max_rows=10000) == [5]


def test_combining_chunks_is_stable_where_exp_underflows():
    rng = np.random.RandomState(0)
    log_weights = -5000. + 3. * rng.randn(1000, 3)  # exp() is 0 in float64
    chunks = [np.logaddexp.reduce(log_weights[i:i + 64], axis=0)
              for i in range(0, 1000, 64)]
    peak = log_weights.max(axis=0)
    expected = peak + np.log(np.mean(np.exp(log_weights - peak), axis=0))
    np.testing.assert_allclose(combine_logsumexps(chunks, 1000), expected,
                               rtol=1e-12)
    assert np.all(np.isfinite(combine_logsumexps(chunks, 1000)))


def test_chunked_estimate_equals_the_unchunked_one_on_the_same_particles():
    """The conjugate Gaussian with 1,000 fixed proposal draws: chunks of
    64 combine to exactly the estimate of is_loglikelihood over all."""
    rng = np.random.RandomState(1)
    z = (0.5 + 1.5 * rng.randn(1000)).astype(np.float32)
    log_q = (-0.5 * np.log(2 * np.pi * 1.5 ** 2)
             - (z - 0.5) ** 2 / (2 * 1.5 ** 2)).astype(np.float32)
    with session() as sess:
        z_in = tf.placeholder(tf.float32, [None])
        log_q_in = tf.placeholder(tf.float32, [None])
        latent = {"z": (z_in, log_q_in)}
        unchunked = zs.is_loglikelihood(conjugate_model(None), {"x": X},
                                        latent=latent, axis=0)
        chunk_logsumexp = tf.reduce_logsumexp(zs.is_loglikelihood(
            conjugate_model(None), {"x": X}, latent=latent), axis=0)
        whole = sess.run(unchunked, {z_in: z, log_q_in: log_q})
        chunks, start = [], 0
        for size in particle_chunks(1000, 1, max_rows=64):
            part = slice(start, start + size)
            chunks.append(sess.run(chunk_logsumexp,
                                   {z_in: z[part], log_q_in: log_q[part]}))
            start += size
    assert len(chunks) == 16
    np.testing.assert_allclose(combine_logsumexps(chunks, 1000), whole,
                               rtol=1e-6)
    np.testing.assert_allclose(whole, exact_log_marginal(), atol=0.05)


def test_vae_estimates_agree_whatever_the_chunk_size():
    """On the VAE graph (seeded, untrained), 500 particles in chunks of 10
    or all at once give the same estimate up to Monte Carlo noise, which
    is about 1 nat per digit here and 0.3 nat for the mean of 20."""
    images, _ = read_real_test_digits()
    digits = binarize(images[:20].reshape(20, -1) / 255.,
                      np.random.RandomState(0))
    with session(seed=4) as sess:
        graph = build_graph(784, 40)
        sess.run(tf.global_variables_initializer())
        chunked = log_likelihoods(sess, graph, digits, 500, max_rows=200)
        whole = log_likelihoods(sess, graph, digits, 500, max_rows=10 ** 6)
    assert chunked.shape == whole.shape == (20,)
    np.testing.assert_allclose(chunked.mean(), whole.mean(), atol=1.)
    np.testing.assert_allclose(chunked, whole, atol=5.)
