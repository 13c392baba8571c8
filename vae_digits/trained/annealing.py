"""log p(x) of a trained model by annealed importance sampling, and the
BDMC sandwich on data simulated from the model (`vae.ais`, `vae.bdmc`,
`evaluate --method ais|bdmc`).

The annealing graph is built once per call, in a graph of its own: the
model's MetaBayesianNets (Model.meta_nets) for a fixed batch of images,
the chains' state as a variable [chains, batch, z_dim], one HMC step per
temperature (zs.HMC, the step size adapted towards 0.65 acceptance as
ZhuSuan's vae_eval.py did), and the trained weights copied in from the
model's session. The images go through in batches of at most
AIS_ROWS_PER_RUN // chains, the last one padded, so memory stays bounded
whatever the number of images or chains.
"""
from __future__ import annotations

import numpy as np

from vae_digits import models
from vae_digits import zhusuan as zs
from vae_digits.core.config import AIS_ROWS_PER_RUN, AIS_STEP_SIZE, AIS_TARGET_ACCEPTANCE
from vae_digits.core.progress import progress_bar

__all__ = ["Annealer", "PROPOSALS"]

PROPOSALS = ("posterior", "prior")  # q(z | x), or p(z)


class Annealer:
    """AIS for `images`-sized batches of a model: see the module's
    docstring. `weights` maps each trainable variable's name to its
    value."""

    def __init__(self, model_name, hparams, weights, n_images, chains,
                 temperatures, leapfrogs, proposal="posterior", seed=None):
        from vae_digits.core.compat import tf
        model = models.get(model_name)
        self.batch = max(1, min(n_images, AIS_ROWS_PER_RUN // chains))
        self.chains, self.z_dim = chains, int(hparams["z_dim"])
        with tf.Graph().as_default() as graph:
            if seed is not None:
                tf.set_random_seed(seed)
            self.x = tf.placeholder(tf.float32, [self.batch, hparams["x_dim"]],
                                    name="x")
            joint, variational = model.meta_nets(hparams, self.x, chains)
            z = tf.Variable(tf.zeros([chains, self.batch, self.z_dim]),
                            trainable=False, name="chains")
            hmc = zs.HMC(step_size=AIS_STEP_SIZE, n_leapfrogs=leapfrogs,
                         adapt_step_size=True,
                         target_acceptance_rate=AIS_TARGET_ACCEPTANCE)
            self.ais = zs.evaluation.AIS(
                joint, variational if proposal == "posterior" else joint, hmc,
                {"x": self.x}, {"z": z}, n_chains=chains,
                n_temperatures=temperatures)
            loads = [(v, weights[v.op.name]) for v in tf.trainable_variables()]
            graph.finalize()
        self.session = tf.Session(graph=graph)
        for variable, value in loads:
            variable.load(value, self.session)

    def close(self):
        self.session.close()

    def forward(self, images, desc="AIS"):
        """The forward AIS estimate of log p(x) of each image ([n, x_dim],
        as the model observes them): a stochastic lower bound."""
        return self._batches(images, desc, lambda feed, _, tick:
                             self.ais.forward(self.session, feed, tick))

    def reverse(self, images, codes, desc="AIS backwards"):
        """The reverse AIS estimate of log p(x) of each image, started in
        every chain at its exact posterior sample `codes` ([n, z_dim], the
        z the image was drawn from): a stochastic upper bound."""
        def run(feed, batch_codes, tick):
            start = np.broadcast_to(batch_codes, (self.chains,)
                                    + batch_codes.shape)
            return self.ais.reverse(self.session, feed, {"z": start}, tick)
        return self._batches(images, desc, run, codes)

    def _batches(self, images, desc, run, codes=None):
        """run(feed, the batch's codes, tick) on each padded batch; the
        estimates of the real images, in order."""
        n = len(images)
        results = np.empty(n)
        temperatures = len(self.ais.betas) - 1
        with progress_bar(range(-(-n // self.batch) * temperatures),
                          desc=desc) as bar:
            for start in range(0, n, self.batch):
                rows = np.arange(start, start + self.batch) % n  # padded
                batch_codes = None if codes is None else \
                    np.float32(codes[rows])
                estimates = run({self.x: images[rows]}, batch_codes,
                                lambda: bar.update())
                results[start:start + self.batch] = \
                    estimates[:min(self.batch, n - start)]
        return results
