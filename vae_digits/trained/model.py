"""A trained model as a Python object: `vae = vae_digits.load(PATH)`.

`load` (loading.py) builds the model's graph once, restores the weights,
finalizes the graph and keeps one session, so every look after it (encode, decode,
sample, vary, reconstruct, interpolate, draw, classify, evaluate) is one
run of that session: milliseconds, numpy in and numpy out. Images are
float arrays [n, 28, 28] in [0, 1]; codes are what the decoder reads
(for the conditional model z followed by the ten class probabilities).
`generate`, `evaluate`, `explore` and the pictures drawn while training
all call these methods; no other code restores a model. Calls from
several threads at once are safe: a finalized graph is only read, and
`close` waits for the calls under way.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import Union

import numpy as np
from numpy.typing import ArrayLike

from vae_digits import data, models
from vae_digits.checkpoints.names import epoch_of
from vae_digits.core.config import (
    IMAGE_SHAPE,
    INTERPOLATION_STEPS,
    MAX_STD_NOISE,
    N_CLASSES,
    N_SAMPLES,
    ROWS_PER_RUN,
    STD_NOISE,
    X_DIM,
)
from vae_digits.data import catalog
from vae_digits.trained import inputs
from vae_digits.trained.measures import Measures

__all__ = ["TrainedModel"]

# None (fresh randomness), a whole number, or a numpy RandomState
Seed = Union[int, np.random.RandomState, None]


class TrainedModel(Measures):
    """A model's graph (graph.ModelGraph) in a session holding its weights.

    `load` makes one; training makes one over its own session (not owned:
    `close` then only lets go of it). Attributes: `model`, `dataset`,
    `epoch`, `checkpoint`, `hparams` (what model_config.json records),
    `z_dim`, `code_dim`, `class_names`, `has_labels` (the conditional
    model), `binarized` (the blog's: it reads binary pixels),
    `binary_codes` (the bernoulli model: its codes are bits).
    """

    def __init__(self, session, graph, model_config, checkpoint=None,
                 owns_session=False):
        self._session, self._graph = session, graph
        self._owns_session = owns_session
        self._calls, self._closing = 0, False
        self._idle = threading.Condition()
        self.hparams = dict(model_config)
        self.model = model_config["model"]
        self.dataset = model_config.get("dataset") or catalog.DEFAULT
        self.checkpoint = checkpoint
        self.epoch = None if checkpoint is None else epoch_of(checkpoint,
                                                              strict=False)
        module = models.get(self.model)
        self.has_labels, self.binarized = module.uses_labels, \
            module.binarized
        self.binary_codes = module.binary_codes
        self.z_dim = int(model_config["z_dim"])
        self.code_dim = int(graph.code_input.shape[-1])
        self.class_names = list(catalog.get(self.dataset).class_names)

    def __repr__(self):
        closed = "" if self._session is not None else ", closed"
        return (f"<TrainedModel {self.model} on {self.dataset}, epoch "
                f"{self.epoch}, z_dim {self.z_dim}{closed}>")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        """Refuse new calls at once (they raise ValueError), wait for the
        calls under way to return, then release the session."""
        with self._idle:
            self._closing = True
            while self._calls:
                self._idle.wait()
            if self._session is not None and self._owns_session:
                self._session.close()
            self._session = None

    @contextlib.contextmanager
    def _session_in_use(self):
        """The session, counted as in use until the block ends."""
        with self._idle:
            if self._session is None or self._closing:
                raise ValueError("this model is closed; load it again with "
                                 "vae_digits.load(...).")
            self._calls += 1
        try:
            yield self._session
        finally:
            with self._idle:
                self._calls -= 1
                self._idle.notify_all()

    def _run(self, fetches, feed_dict):
        with self._session_in_use() as session:
            return session.run(fetches, feed_dict)

    def _input(self, x):
        """Images [n, 784] as the model reads them: the blog's model reads
        binary pixels, so grey levels are binarised, each image from a
        seed of its own pixels, so that one image always gets one code,
        alone or in any batch (data.binarize_each). Binary images stay as
        they are."""
        if self.binarized and np.any((x != 0.) & (x != 1.)):
            x = data.binarize_each(x)
        return x

    def _batched(self, fetch, rows, row_input, width, feed=None):
        """`fetch` ([k, width] for k rows fed as `row_input`) for every row
        of `rows`, ROWS_PER_RUN rows a run, into one array made once: the
        memory of a call is its result's and one run's."""
        result = np.empty((len(rows), width), np.float32)
        with self._session_in_use() as session:
            for start in range(0, len(rows), ROWS_PER_RUN):
                feed_dict = dict(feed or {})
                feed_dict[row_input] = rows[start:start + ROWS_PER_RUN]
                result[start:start + ROWS_PER_RUN] = session.run(fetch,
                                                                 feed_dict)
        return result

    def _encoded(self, fetch, x, width):
        return self._batched(fetch, x, self._graph.x_input, width)

    def encode(self, images: ArrayLike, std: bool = False
               ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """q(z | x)'s means of the images, [n, z_dim]; with `std=True`,
        (means, standard deviations)."""
        x = self._input(inputs.images(images))
        means = self._encoded(self._graph.latent_means, x, self.z_dim)
        if not std:
            return means
        return means, self._encoded(self._graph.latent_stds, x, self.z_dim)

    def codes(self, images: ArrayLike) -> np.ndarray:
        """What the decoder reads for each image, [n, code_dim]: its z
        mean, followed for the conditional model by the classifier's ten
        probabilities."""
        return self._encoded(self._graph.codes,
                             self._input(inputs.images(images)),
                             self.code_dim)

    def decode(self, codes: ArrayLike) -> np.ndarray:
        """The decoder's pixel means of `codes` ([n, code_dim] or one
        code), [n, 28, 28]."""
        codes = inputs.codes(codes, self.code_dim,
                             N_CLASSES if self.has_labels else 0)
        return self._batched(self._graph.decoded, codes,
                             self._graph.code_input, X_DIM).reshape(
            (-1,) + IMAGE_SHAPE)

    def sample(self, n: int = N_SAMPLES, seed: Seed = None) -> np.ndarray:
        """`n` images decoded from z ~ N(0, I) (for the conditional model
        with a random digit each; for the bernoulli model, bits of fair
        coins), [n, 28, 28]."""
        n = inputs.image_count(n, "n")
        rng = inputs.seed_rng(seed)
        codes = rng.binomial(1, .5, (n, self.z_dim)) if self.binary_codes \
            else rng.randn(n, self.z_dim)
        if self.has_labels:
            digits = rng.randint(N_CLASSES, size=n)
            codes = np.hstack([codes, np.eye(N_CLASSES)[digits]])
        return self.decode(codes)

    def vary(self, image: ArrayLike, n: int = N_SAMPLES,
             std_noise: float = STD_NOISE, seed: Seed = None) -> np.ndarray:
        """The blog's variations of one image ([28, 28]): `n` images
        decoded from z ~ q(z | x) with `std_noise` added to the encoder's
        log-std (more noise, more variety), [n, 28, 28]. For the bernoulli
        model, bits drawn from Bernoulli(sigmoid(logits / e^std_noise)).
        """
        if self.has_labels:
            raise ValueError("vary adds the blog's std_noise to the encoder's "
                             "log-std, which the conditional model does not "
                             "have; use draw, or sample.")
        x = self._input(inputs.one_image(image))
        n = inputs.image_count(n, "n")
        std_noise = inputs.finite_number(std_noise, "std_noise",
                                         -MAX_STD_NOISE, MAX_STD_NOISE)
        mean, std = self._run(
            [self._graph.latent_means, self._graph.latent_stds],
            {self._graph.x_input: x, self._graph.std_noise: std_noise})
        return self.decode(self._draws_of_q(mean, std, n,
                                            inputs.seed_rng(seed)))

    def _draws_of_q(self, mean, std, n, rng):
        """`n` codes z ~ q(z | x) of q's `mean` and `std`, from `rng`: bits
        of those probabilities for the bernoulli model."""
        if self.binary_codes:
            return (rng.uniform(size=(n, self.z_dim)) < mean).astype(np.float32)
        return mean + std * rng.randn(n, self.z_dim)

    def reconstruct(self, images: ArrayLike) -> np.ndarray:
        """Each image decoded from its code (codes()), [n, 28, 28]."""
        return self.decode(self.codes(images))

    def interpolate(self, a: ArrayLike, b: ArrayLike,
                    steps: int = INTERPOLATION_STEPS) -> np.ndarray:
        """`steps` images decoded from points evenly spaced from a's code
        to b's, both ends included; `a` and `b` are images ([28, 28]) or
        codes ([code_dim]). [steps, 28, 28]."""
        steps = inputs.image_count(steps, "steps", minimum=2)
        ends = [self._code_of(end, name) for end, name in ((a, "a"),
                                                           (b, "b"))]
        weights = np.linspace(0., 1., steps)[:, None]
        return self.decode((1. - weights) * ends[0] + weights * ends[1])

    def _code_of(self, value, name):
        size = np.size(value) if not isinstance(value, str) else 0
        if size == self.code_dim and size != X_DIM:
            return inputs.codes(value, self.code_dim,
                                N_CLASSES if self.has_labels else 0, name)
        return self.codes(inputs.one_image(value, name))

    def draw(self, labels: int | Sequence[int], n: int = 1,
             seed: Seed = None) -> np.ndarray:
        """Conditional model: `n` rows, each one z from the prior decoded
        with the one-hot class of every digit of `labels` (one style per
        row, as conditioned_samples.png), [n, len(labels), 28, 28]."""
        self._need_labels("draw")
        labels = inputs.labels(labels)
        n = inputs.count(n, "n")
        inputs.image_count(n * len(labels), "n x len(labels)")
        z = np.repeat(inputs.seed_rng(seed).randn(n, self.z_dim),
                      len(labels), axis=0)
        classes = np.tile(np.eye(N_CLASSES)[labels], [n, 1])
        return self.decode(np.hstack([z, classes])).reshape(
            (n, len(labels)) + IMAGE_SHAPE)

    def classify(self, images: ArrayLike) -> np.ndarray:
        """Conditional model: the digit classifier's probabilities of each
        image, [n, 10]."""
        self._need_labels("classify")
        return self.codes(images)[:, self.z_dim:]

    def _need_labels(self, method):
        if not self.has_labels:
            raise ValueError(f"{method} needs the conditional model, whose decoder "
                             f"reads the digit; this is the {self.model} model (use "
                             "sample, vary or decode).")
