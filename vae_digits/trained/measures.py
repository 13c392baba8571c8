"""The methods of a trained model that measure it (TrainedModel's base):
the test figures (`evaluate`), the importance-sampled log-likelihood of
each image (`log_likelihoods`, the bound L_K), annealed importance
sampling (`ais`) and the BDMC sandwich on data simulated from the model
(`bdmc`). Every argument is checked first, as in model.py."""
from __future__ import annotations

import time
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from vae_digits import models
from vae_digits.core import config
from vae_digits.trained import inputs

__all__ = ["Measures", "latent_kl"]



def latent_kl(means, stds, binary_codes=False):
    """KL(q(z_u | x) || p(z_u)) of each latent dimension (the last axis):
    a Gaussian's from N(0, 1), in closed form; or, for bits of
    probabilities `means`, from fair coins."""
    means, stds = np.asarray(means, np.float64), np.asarray(stds, np.float64)
    if binary_codes:
        p = np.clip(means, 1e-12, 1 - 1e-12)
        return p * np.log(2 * p) + (1 - p) * np.log(2 * (1 - p))
    return 0.5 * (means ** 2 + stds ** 2 - np.log(stds ** 2) - 1)


class Measures:
    """Mixed into TrainedModel, whose session and graph it runs."""

    def evaluate(self, images: ArrayLike, labels: ArrayLike | None = None,
                 n_particles: int = config.TEST_N_PARTICLES,
                 batch_size: int = config.TEST_BATCH_SIZE) -> dict[str, Any]:
        """The test figures of the images, as `evaluate --json` prints them:
        {checkpoint, epoch, n_test, n_particles, the model's figures
        averaged over the images (with the objective's parts), seconds};
        the log-likelihood from `n_particles` importance samples where the
        model has one. The conditional model needs the images' `labels`."""
        from vae_digits.trained.scores import mean_metrics
        x = self._input(inputs.images(images))
        n_particles = inputs.count(n_particles, "n_particles",
                                   maximum=config.MAX_PARTICLES)
        batch_size = inputs.count(batch_size, "batch_size",
                                  maximum=config.MAX_IMAGES_PER_CALL)
        if labels is not None:
            labels = np.asarray(inputs.labels(labels), np.int32)
            if len(labels) != len(x):
                raise ValueError(f"labels must give one class per image: {len(labels)} "
                                 f"for {len(x)} images.")
        elif self.has_labels:
            raise ValueError("the conditional model's figures need the "
                             "images' labels: pass labels=[...].")
        if not len(x):
            raise ValueError("evaluate needs at least one image.")
        start = time.time()
        with self._session_in_use() as session:
            results = mean_metrics(session, self._graph, x, labels,
                                   batch_size, n_particles, desc="Test")
        report = {"checkpoint": self.checkpoint, "epoch": self.epoch,
                  "n_test": len(x)}
        if self._graph.log_weights_logsumexp is not None:
            report["n_particles"] = n_particles
        report.update(results)
        report["seconds"] = round(time.time() - start, 3)
        return report

    def elbo_parts(self, image: ArrayLike, n_samples: int = config.ELBO_SAMPLES,
                   seed: int | None = 0) -> dict[str, Any]:
        """What the ELBO of one image ([28, 28]) is made of, in nats:
        {"reconstruction": -log p(x | z) averaged over `n_samples` draws
        z ~ q(z | x), "kl": KL(q(z | x) || p(z)) in closed form, "elbo":
        minus their sum, "kl_per_dimension" [z_dim], "decodings" [n_samples,
        28, 28] (the pixel means of those draws), "image" (as the model
        reads it)}. The conditional model's decoder reads its classifier's
        digit probabilities beside z; its KL is z's alone."""
        x = self._input(inputs.one_image(image))
        n_samples = inputs.count(n_samples, "n_samples", maximum=1000)
        means, stds = (v[0].astype(np.float64) for v in
                       self.encode(x, std=True))
        z = self._draws_of_q(means, stds, n_samples, inputs.seed_rng(seed))
        kl = latent_kl(means, stds, self.binary_codes)
        codes = np.hstack([z, np.repeat(self.classify(x), n_samples, axis=0)]) \
            if self.has_labels else z
        decodings = self.decode(codes)
        reconstruction = -float(np.mean(models.get(self.model).pixel_log_likelihood(
            x, decodings.reshape(n_samples, -1), self.hparams)))
        return {"reconstruction": reconstruction, "kl": float(kl.sum()),
                "elbo": -(reconstruction + float(kl.sum())),
                "kl_per_dimension": kl, "decodings": decodings,
                "image": x.reshape(config.IMAGE_SHAPE)}

    def log_likelihoods(self, images: ArrayLike,
                        n_particles: int = config.TEST_N_PARTICLES,
                        batch_size: int = config.TEST_BATCH_SIZE) -> np.ndarray:
        """Each image's log p(x) estimated by importance sampling with
        `n_particles` draws of q(z | x), in nats: the bound L_K with K =
        n_particles, which rises towards log p(x) as K grows. [n]."""
        from vae_digits.trained.scores import log_likelihoods
        self._need_likelihood()
        x = self._input(inputs.images(images))
        n_particles = inputs.count(n_particles, "n_particles",
                                   maximum=config.MAX_PARTICLES)
        batch_size = inputs.count(batch_size, "batch_size",
                                  maximum=config.MAX_IMAGES_PER_CALL)
        with self._session_in_use() as session:
            return np.concatenate([
                log_likelihoods(session, self._graph, x[i:i + batch_size],
                                n_particles)
                for i in range(0, len(x), batch_size)])

    def log_weights(self, images: ArrayLike, n_particles: int = 1000
                    ) -> np.ndarray:
        """log p(x, z_k) - log q(z_k | x) of `n_particles` draws z_k ~
        q(z | x) of each image, [n, n_particles] in nats: log mean exp of
        any K of them is an estimate of the bound L_K, and their mean the
        ELBO's. At most MAX_LOG_WEIGHTS numbers in all."""
        from vae_digits.trained.scores import log_weights
        self._need_likelihood()
        x = self._input(inputs.images(images))
        n_particles = inputs.count(n_particles, "n_particles",
                                   maximum=config.MAX_PARTICLES)
        if len(x) * n_particles > config.MAX_LOG_WEIGHTS:
            raise ValueError(f"{len(x)} images x {n_particles} particles is "
                             f"more than the {config.MAX_LOG_WEIGHTS:,} log "
                             "weights one call returns; ask for fewer.")
        batch = max(1, config.IS_ROWS_PER_RUN // n_particles)
        with self._session_in_use() as session:
            return np.concatenate([
                log_weights(session, self._graph, x[i:i + batch], n_particles)
                for i in range(0, len(x), batch)]) if len(x) else \
                np.zeros((0, n_particles))

    def _need_likelihood(self):
        if self._graph.log_weights_logsumexp is None:
            raise ValueError(f"the {self.model} model has no log-likelihood "
                             "estimate: its decoder reads the digit too.")

    def ais(self, images: ArrayLike, chains: int = config.AIS_CHAINS,
            temperatures: int = config.AIS_TEMPERATURES,
            leapfrogs: int = config.AIS_LEAPFROGS,
            proposal: str = "posterior", seed: int | None = None
            ) -> np.ndarray:
        """Each image's log p(x) by annealed importance sampling: `chains`
        chains per image annealed from `proposal` ("posterior": q(z | x),
        or "prior") through `temperatures` temperatures, each one HMC
        trajectory of `leapfrogs` leapfrog steps. A stochastic lower bound
        that tightens as the temperatures grow; [n], in nats. `seed`
        fixes the chains' draws."""
        x = self._input(inputs.images(images))
        settings = self._annealing_settings(len(x), chains, temperatures,
                                            leapfrogs, proposal, seed)
        annealer = self._annealer(**settings)
        try:
            return annealer.forward(x)
        finally:
            annealer.close()

    def bdmc(self, n: int = config.AIS_IMAGES, chains: int = config.AIS_CHAINS,
             temperatures: int = config.AIS_TEMPERATURES,
             leapfrogs: int = config.AIS_LEAPFROGS, proposal: str = "posterior",
             seed: int | None = None) -> dict[str, np.ndarray]:
        """Bidirectional Monte Carlo (Grosse et al., 2015) on `n` images
        simulated from the model (z ~ p(z), then x ~ p(x | z)), for which
        the z drawn is an exact posterior sample: {"images" [n, 784],
        "forward": AIS from `proposal` (a stochastic lower bound of each
        image's log p(x)), "reverse": AIS run backwards from that z (a
        stochastic upper bound)}. Their gap bounds the forward estimate's
        error on data like these, with these settings."""
        n = inputs.count(n, "n", maximum=config.MAX_SIMULATED)
        settings = self._annealing_settings(n, chains, temperatures,
                                            leapfrogs, proposal, seed)
        rng = inputs.seed_rng(seed)
        codes = rng.randn(n, self.z_dim)
        pixels = self.decode(codes).reshape(n, config.X_DIM)
        images = (rng.uniform(size=pixels.shape) < pixels).astype(np.float32)
        annealer = self._annealer(**settings)
        try:
            return {"images": images, "forward": annealer.forward(images),
                    "reverse": annealer.reverse(images, codes)}
        finally:
            annealer.close()

    def _annealing_settings(self, n_images, chains, temperatures, leapfrogs,
                            proposal, seed):
        """The checked settings of ais and bdmc, as Annealer takes them."""
        from vae_digits.trained.annealing import PROPOSALS
        module = models.get(self.model)
        if module.binary_codes:
            raise ValueError(f"AIS moves the codes by Hamiltonian Monte Carlo, "
                             f"which needs continuous ones; the {self.model} "
                             "model's are bits: use log_likelihoods "
                             "(importance sampling).")
        if self.has_labels or type(module).meta_nets is models.Model.meta_nets:
            raise ValueError(f"the {self.model} model has no log p(x) to "
                             "estimate by AIS.")
        if proposal not in PROPOSALS:
            raise ValueError(f"proposal must be one of {', '.join(PROPOSALS)}, "
                             f"got {proposal!r}.")
        if not n_images:
            raise ValueError("AIS needs at least one image.")
        return dict(n_images=n_images,
                    chains=inputs.count(chains, "chains", maximum=config.MAX_CHAINS),
                    temperatures=inputs.count(temperatures, "temperatures",
                                              maximum=config.MAX_TEMPERATURES),
                    leapfrogs=inputs.count(leapfrogs, "leapfrogs",
                                           maximum=config.MAX_LEAPFROGS),
                    proposal=proposal,
                    seed=None if seed is None else inputs.seed_rng(seed)
                    .randint(2 ** 31))

    def _annealer(self, **settings):
        """An Annealer (annealing.py) over a copy of this model's
        weights."""
        from vae_digits.trained.annealing import Annealer
        with self._session_in_use() as session:
            variables = session.graph.get_collection("trainable_variables")
            weights = dict(zip([v.op.name for v in variables],
                               session.run(variables)))
        return Annealer(self.model, self.hparams, weights, **settings)
