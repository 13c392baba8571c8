"""The importance-weighted autoencoder (`--model iwae`; Burda et al.,
2016), as ZhuSuan's examples/variational_autoencoders/iwae.py trained
it: the blog's nets and data, trained on the K-sample bound

    L_K = log (1/K) sum_k p(x, z_k) / q(z_k | x),   z_k ~ q(z | x),

by its SGVB (reparameterisation) gradient, with K = `--particles` (50 by
default, as that example). L_1 is the blog's ELBO: with `--particles 1`
it trains exactly the blog's objective. Its epoch line, as the
example's, prints the K-sample bound as the lower bound; its test lower
bound is L_K too, beside the importance-sampled log-likelihood.
"""
import functools

from vae_digits import zhusuan as zs
from vae_digits.core import config
from vae_digits.core.arguments import int_range, latent_dim
from vae_digits.models import mlp
from vae_digits.models.base import Hyperparameter
from vae_digits.models.graph import importance_weighted_test_bound

# More samples than 1,000 buy nothing measurable; K times the batch size
# is bounded too (base.Model.training_rows).
particles = int_range(1, 1000)


class ImportanceWeightedVAE(mlp.MlpVAE):
    """The blog's nets trained on the importance-weighted bound."""

    name = "iwae"
    directory_name = None
    summary = ("the blog's nets trained on the importance-weighted bound "
               "L_K (Burda et al.)")
    hyperparameters = (
        Hyperparameter("z_dim", latent_dim, config.Z_DIM,
                       "dimensions of the latent code z"),
        Hyperparameter("particles", particles, 50, "K, the samples of z per "
                       "image in the bound L_K it trains on (1: the ELBO)"))

    def build(self, hparams, learning_rate=None, batch_size=None):
        x_dim, z_dim, k = hparams["x_dim"], hparams["z_dim"], \
            hparams["particles"]
        graph = mlp.build_graph(
            x_dim, z_dim, learning_rate=learning_rate,
            batch_size=batch_size or self.batch_size,
            training_step=functools.partial(
                mlp.build_training_step, particles=k,
                objective=zs.variational.importance_weighted_objective))
        if k > 1:  # L_1 is the ELBO the graph already has
            graph.test_metrics["lower_bound"] = importance_weighted_test_bound(
                (mlp.build_gen, mlp.build_q_net), graph, x_dim, z_dim, k)
        return graph
