"""How good a trained VAE is on test digits, in nats, as the ZhuSuan
tutorial measures it: the lower bound (the ELBO with one particle) and
the log-likelihood log p(x) estimated by importance sampling with the
variational net q(z | x) as proposal.

The importance sampling draws a batch's particles in chunks, so memory
stays bounded whatever the number of particles: each run of the graph
gives, per digit, the logsumexp of its chunk's log weights, and the
logsumexp of those chunk results is exactly the logsumexp over all the
particles.
"""
import time

import numpy as np

from vae_digits.cli import progress_bar
from vae_digits.config import IS_ROWS_PER_RUN

__all__ = ["particle_chunks", "combine_logsumexps", "log_likelihoods",
           "evaluate", "report_lines"]


def particle_chunks(n_particles, batch_size, max_rows=IS_ROWS_PER_RUN):
    """Sizes of the chunks `n_particles` are drawn in, so that one run
    decodes at most `max_rows` (particles x digits) latent codes, and
    never less than one particle."""
    chunk = max(1, min(n_particles, max_rows // batch_size))
    sizes = [chunk] * (n_particles // chunk)
    if n_particles % chunk:
        sizes.append(n_particles % chunk)
    return sizes


def combine_logsumexps(chunk_logsumexps, n_particles):
    """log mean exp of all the log weights, from the per-chunk logsumexps
    ([n_chunks, N]) of `n_particles` weights in all; stable in float64."""
    chunk_logsumexps = np.asarray(chunk_logsumexps, np.float64)
    return np.logaddexp.reduce(chunk_logsumexps, axis=0) - np.log(n_particles)


def log_likelihoods(sess, graph, x_batch, n_particles,
                    max_rows=IS_ROWS_PER_RUN):
    """The importance-sampling estimate of log p(x) for each digit of
    `x_batch` ([N, x_dim], binary), from `n_particles` draws of q(z | x)."""
    feed_dict = {graph.x_input: x_batch, graph.n: len(x_batch)}
    # Every chunk draws from the same q(z | x): compute it once and feed
    # it back, so that each run only decodes its particles.
    feed_dict.update(zip(graph.proposal, sess.run(graph.proposal, feed_dict)))
    chunks = []
    for size in particle_chunks(n_particles, len(x_batch), max_rows):
        feed_dict[graph.n_particles] = size
        chunks.append(sess.run(graph.log_weights_logsumexp, feed_dict))
    return combine_logsumexps(chunks, n_particles)


def evaluate(sess, graph, x_test, batch_size, n_particles,
             max_rows=IS_ROWS_PER_RUN):
    """(lower bound, log-likelihood) averaged over all digits of `x_test`
    ([N, x_dim], binary), in batches of `batch_size`, and the seconds it
    took; a progress bar on a terminal."""
    start_time = time.time()
    lower_bound_sum, log_likelihood_sum = 0., 0.
    for start in progress_bar(range(0, len(x_test), batch_size),
                              desc="Test"):
        x_batch = x_test[start:start + batch_size]
        lower_bound_sum += len(x_batch) * float(sess.run(
            graph.lower_bound, {graph.x_input: x_batch,
                                graph.n: len(x_batch),
                                graph.n_particles: 1}))
        log_likelihood_sum += float(np.sum(log_likelihoods(
            sess, graph, x_batch, n_particles, max_rows)))
    return (lower_bound_sum / len(x_test), log_likelihood_sum / len(x_test),
            time.time() - start_time)


def report_lines(lower_bound, log_likelihood, seconds):
    """The tutorial's three lines reporting a test."""
    return [">>> TEST ({:.1f}s)".format(seconds),
            ">> Test lower bound = {}".format(lower_bound),
            ">> Test log likelihood (IS) = {}".format(log_likelihood)]
