"""The test figures of `evaluate`, on a stand-in for the graph whose
answers are known: every image counts once whatever the batches, the
labels go with their images, and the log-likelihood is the log of the
mean weight of every particle drawn, whatever the chunks. No TensorFlow:
the stand-in holds the graph's contract (what it must be fed)."""
import types

import numpy as np
import pytest

from vae_digits.trained import scores

N_IMAGES = 11


def _graph(n=True, labels=True, likelihood=True):
    """The evaluation parts of a model graph, named by strings."""
    return types.SimpleNamespace(
        x_input="x", n="n" if n else None, n_particles="n_particles",
        labels_input="labels" if labels else None,
        test_metrics={"loss": "loss", "accuracy": "accuracy"},
        proposal=("proposal_x", "q_mean"),
        log_weights_logsumexp="logsumexp" if likelihood else None)


class Session:
    """Answers a graph's fetches: the loss is the batch's mean first
    pixel, the accuracy the share of labels equal to the second pixel,
    and each chunk of particles draws its log weights from a seeded
    generator, kept in `weights` ([particles, images] per chunk)."""

    def __init__(self, graph):
        self.graph, self.rng = graph, np.random.RandomState(0)
        self.weights, self.proposals, self.batches = [], 0, []

    def run(self, fetches, feed):
        x = feed["x"]
        expected = {"x"} | ({"n", "n_particles"} if self.graph.n else set())
        if fetches == self.graph.proposal:
            assert set(feed) == expected | {"n", "n_particles"}
            self.proposals += 1
            return [x, x[:, :1]]
        if fetches == "logsumexp":
            assert feed["proposal_x"] is x and feed["n"] == len(x)
            assert np.array_equal(feed["q_mean"], x[:, :1])
            weights = self.rng.randn(feed["n_particles"], len(x)) + x[:, 0]
            self.weights.append(weights)
            return np.logaddexp.reduce(weights, axis=0).astype(np.float32)
        assert fetches == self.graph.test_metrics
        if self.graph.labels_input and "labels" in feed:
            expected.add("labels")
        assert set(feed) == expected
        if self.graph.n:
            assert feed["n"] == len(x) and feed["n_particles"] == 1
        self.batches.append(len(x))
        accuracy = np.mean(feed["labels"] == x[:, 1]) \
            if "labels" in feed else np.nan
        return {"loss": np.float32(x[:, 0].mean()), "accuracy": accuracy}


def _images():
    rng = np.random.RandomState(1)
    x = np.column_stack([np.arange(1., N_IMAGES + 1),
                         rng.randint(10, size=N_IMAGES)])
    labels = x[:, 1].astype(int)
    labels[[0, 4, 9]] = (labels[[0, 4, 9]] + 1) % 10  # 3 of 11 wrong
    return x, labels


def test_every_image_counts_once_whatever_the_batches():
    x, labels = _images()
    graph = _graph()
    for batch_size in (1, 4, 11, 400):
        session = Session(graph)
        results = scores.mean_metrics(session, graph, x, labels, batch_size)
        assert list(results) == ["loss", "accuracy"]
        assert results["loss"] == pytest.approx(6.)  # the mean of 1..11
        assert results["accuracy"] == pytest.approx(8 / 11)
        assert sum(session.batches) == N_IMAGES
        assert max(session.batches) == min(batch_size, N_IMAGES)


def test_the_log_likelihood_is_the_mean_over_images_of_every_particle():
    x, labels = _images()
    graph = _graph()
    session = Session(graph)
    results = scores.mean_metrics(session, graph, x, labels, 4,
                                  n_particles=50, max_rows=60)
    assert list(results) == ["loss", "accuracy", "log_likelihood"]
    # batches of 4, 4 and 3 images; chunks of 15 (60 rows / 4), 20 (60 / 3)
    sizes = [len(w) for w in session.weights]
    assert sizes == [15, 15, 15, 5] * 2 + [20, 20, 10]
    per_image = [np.logaddexp.reduce(np.vstack(session.weights[i:j]),
                                     axis=0) - np.log(50)
                 for i, j in ((0, 4), (4, 8), (8, 11))]
    assert results["log_likelihood"] == pytest.approx(
        np.concatenate(per_image).mean(), rel=1e-6)
    assert session.proposals == 3  # q(z | x) once per batch
    assert results["loss"] == pytest.approx(6.)


def test_log_likelihoods_are_per_image_from_all_the_particles():
    x, _ = _images()
    session = Session(_graph())
    estimate = scores.log_likelihoods(session, session.graph, x, 100,
                                      max_rows=300)
    assert [len(w) for w in session.weights] == [27, 27, 27, 19]
    everything = np.vstack(session.weights)
    np.testing.assert_allclose(
        estimate, np.logaddexp.reduce(everything, axis=0) - np.log(100),
        rtol=1e-6)
    assert estimate.shape == (N_IMAGES,) and estimate.dtype == np.float64


def test_no_log_likelihood_without_particles_or_a_likelihood():
    x, labels = _images()
    for graph, n_particles in ((_graph(), None),
                               (_graph(likelihood=False), 10)):
        session = Session(graph)
        results = scores.mean_metrics(session, graph, x, labels, 5,
                                      n_particles)
        assert list(results) == ["loss", "accuracy"]
        assert session.weights == []


def test_labels_are_fed_only_to_a_model_that_takes_them():
    x, labels = _images()
    graph = _graph(n=False, labels=False)
    session = Session(graph)  # it refuses a feed it does not take
    results = scores.mean_metrics(session, graph, x, labels, 5)
    assert results["loss"] == pytest.approx(6.)
    assert np.isnan(results["accuracy"])


def test_evaluate_times_itself_and_shows_a_bar_named_test(monkeypatch):
    shown = []
    monkeypatch.setattr(scores, "progress_bar",
                        lambda items, desc=None: shown.append(desc) or items)
    x, labels = _images()
    graph = _graph()
    session = Session(graph)
    results, seconds = scores.evaluate(session, graph, x, 4, 20,
                                       max_rows=40, labels=labels)
    assert shown == ["Test"]
    assert 0. <= seconds < 60.
    assert results["loss"] == pytest.approx(6.)
    assert results["accuracy"] == pytest.approx(8 / 11)
    assert session.batches == [4, 4, 3]
    assert [len(w) for w in session.weights] == [10, 10] * 2 + [13, 7]
    per_image = [np.logaddexp.reduce(np.vstack(session.weights[i:j]),
                                     axis=0) - np.log(20)
                 for i, j in ((0, 2), (2, 4), (4, 6))]
    assert results["log_likelihood"] == pytest.approx(
        np.concatenate(per_image).mean(), rel=1e-6)


def test_chunk_results_in_float32_are_combined_in_float64():
    chunks = np.array([[-5000.1234, -7000.5], [-5001.5, -7000.25]],
                      np.float32)
    combined = scores.combine_logsumexps(chunks, 64)
    exact = np.logaddexp.reduce(chunks.astype(np.float64), axis=0) \
        - np.log(64)
    assert combined.dtype == np.float64
    np.testing.assert_allclose(combined, exact, rtol=1e-14)


def test_the_report_is_the_tutorials_lines():
    lines = scores.report_lines({"lower_bound": -98.25,
                                 "log_likelihood": -93.5}, 12.345)
    assert lines == [">>> TEST (12.3s)", ">> Test lower bound = -98.25",
                     ">> Test log likelihood (IS) = -93.5"]
