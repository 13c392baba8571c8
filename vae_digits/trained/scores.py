"""How good a trained model is on test images, as the ZhuSuan tutorial
measures it: the averages of the model's test figures (for the blog's
model the lower bound, the ELBO with one particle) and, where the model
has one, the log-likelihood log p(x) estimated by importance sampling
with the variational net q(z | x) as proposal, in nats.

The importance sampling draws a batch's particles in chunks, so memory
stays bounded whatever the number of particles: each run of the graph
gives, per image, the logsumexp of its chunk's log weights, and the
logsumexp of those chunk results is exactly the logsumexp over all the
particles.
"""
import collections
import time

import numpy as np

from vae_digits.core.config import IS_ROWS_PER_RUN
from vae_digits.core.progress import progress_bar
from vae_digits.models.base import label

__all__ = ["particle_chunks", "combine_logsumexps", "log_likelihoods",
           "log_weights",
           "mean_metrics", "evaluate", "report_lines"]


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


def _feed(graph, x_batch, labels=None):
    """The evaluation inputs of a batch, one particle per image."""
    feed_dict = {graph.x_input: x_batch}
    if graph.n is not None:
        feed_dict.update({graph.n: len(x_batch), graph.n_particles: 1})
    if graph.labels_input is not None and labels is not None:
        feed_dict[graph.labels_input] = labels
    return feed_dict


def _particle_chunks_run(sess, graph, x_batch, n_particles, fetch,
                         max_rows=IS_ROWS_PER_RUN):
    """`fetch` run for each chunk of the `n_particles` draws of q(z | x)
    of the images `x_batch`, as a list."""
    feed_dict = _feed(graph, x_batch)
    # Every chunk draws from the same q(z | x): compute it once and feed
    # it back, so that each run only decodes its particles.
    feed_dict.update(zip(graph.proposal, sess.run(graph.proposal, feed_dict)))
    chunks = []
    for size in particle_chunks(n_particles, len(x_batch), max_rows):
        feed_dict[graph.n_particles] = size
        chunks.append(sess.run(fetch, feed_dict))
    return chunks


def log_likelihoods(sess, graph, x_batch, n_particles,
                    max_rows=IS_ROWS_PER_RUN):
    """The importance-sampling estimate of log p(x) for each image of
    `x_batch` ([N, x_dim]), from `n_particles` draws of q(z | x)."""
    return combine_logsumexps(_particle_chunks_run(
        sess, graph, x_batch, n_particles, graph.log_weights_logsumexp,
        max_rows), n_particles)


def log_weights(sess, graph, x_batch, n_particles, max_rows=IS_ROWS_PER_RUN):
    """log p(x, z) - log q(z | x) of `n_particles` draws z ~ q(z | x) of
    each image of `x_batch`: [N, n_particles], float64."""
    return np.concatenate(_particle_chunks_run(
        sess, graph, x_batch, n_particles, graph.log_weights, max_rows),
        axis=0).T.astype(np.float64)


def _batch_metrics(sess, graph, x_batch, labels):
    return sess.run(graph.test_metrics, _feed(graph, x_batch, labels))


def mean_metrics(sess, graph, x, labels, batch_size, n_particles=None,
                 max_rows=IS_ROWS_PER_RUN, desc=None):
    """{name: average over the images `x`} of the graph's test figures,
    run in batches of `batch_size`; with `n_particles`, also the
    importance-sampled `log_likelihood` where the model has one."""
    sums = collections.OrderedDict.fromkeys(graph.test_metrics, 0.)
    with_likelihood = n_particles and graph.log_weights_logsumexp is not None
    if with_likelihood:
        sums["log_likelihood"] = 0.
    for start in progress_bar(range(0, len(x), batch_size), desc=desc):
        x_batch = x[start:start + batch_size]
        values = _batch_metrics(sess, graph, x_batch, None if labels is None
                                else labels[start:start + batch_size])
        for name, value in values.items():
            sums[name] += len(x_batch) * float(value)
        if with_likelihood:
            sums["log_likelihood"] += float(np.sum(log_likelihoods(
                sess, graph, x_batch, n_particles, max_rows)))
    return collections.OrderedDict((name, total / len(x))
                                   for name, total in sums.items())


def evaluate(sess, graph, x_test, batch_size, n_particles,
             max_rows=IS_ROWS_PER_RUN, labels=None):
    """({name: value} of the model's test figures averaged over all images
    of `x_test`, in batches of `batch_size`, with `log_likelihood` where
    the model has one; the seconds it took). A progress bar on a
    terminal."""
    start_time = time.time()
    results = mean_metrics(sess, graph, x_test, labels, batch_size,
                           n_particles, max_rows, desc="Test")
    return results, time.time() - start_time


def report_lines(results, seconds):
    """The tutorial's lines reporting a test."""
    return [f">>> TEST ({seconds:.1f}s)"] + [
        f">> Test {label(name)} = {value}"
        for name, value in results.items()]
