"""A VAE with binary latent codes (`--model bernoulli`), as ZhuSuan's
examples/variational_autoencoders/bernoulli_latent_vae.py: the blog's
nets and data with z a code of 40 bits (that example's z_dim), a prior
of fair coins Bernoulli(0.5), and q(z | x) = Bernoulli(sigmoid(f(x))).
Samples of bits carry no reparameterisation gradient, so it trains on the
importance-weighted bound L_K by VIMCO (Mnih and Rezende, 2016), the
multi-sample score-function estimator with a leave-one-out baseline
(that example used a learned baseline on the one-sample ELBO; VIMCO
needs none), with K = `--particles` (at least 2).

The blog's `std_noise` becomes a temperature: the variations of an image
draw bits from Bernoulli(sigmoid(logits / exp(std_noise))), so that more
noise flips more bits, as more noise widens the blog's Gaussian.
"""
import functools

from vae_digits import zhusuan as zs
from vae_digits.core import config
from vae_digits.core.arguments import int_range, latent_dim
from vae_digits.core.compat import tf
from vae_digits.core.config import HIDDEN_UNITS
from vae_digits.models.base import Hyperparameter, Model
from vae_digits.models.graph import (
    bound_graph,
    bound_training_step,
    importance_weighted_test_bound,
)
from vae_digits.models.layers import dense

# VIMCO's baselines make a K x K matrix per image: 200 keeps it small.
particles = int_range(2, 200)


# the decoder: z ~ Bernoulli(0.5)^z_dim, x ~ Bernoulli(sigmoid(f_NN(z)))
@zs.meta_bayesian_net(scope="gen", reuse_variables=True)
def build_gen(x_dim, z_dim, n, n_particles=1):
    bn = zs.BayesianNet()
    z_logits = tf.zeros([n, z_dim])
    z = bn.bernoulli("z", z_logits, group_ndims=1, n_samples=n_particles,
                     dtype=tf.float32)
    h = dense(z, HIDDEN_UNITS, activation=tf.nn.relu)
    h = dense(h, HIDDEN_UNITS, activation=tf.nn.relu)
    x_logits = dense(h, x_dim)
    bn.deterministic("x_mean", tf.sigmoid(x_logits))
    bn.bernoulli("x", x_logits, group_ndims=1)
    return bn


# the encoder: q(z | x) = Bernoulli(sigmoid(f_NN(x) / exp(std_noise)))
@zs.meta_bayesian_net(scope="q_net", reuse_variables=True)
def build_q_net(x, z_dim, n_z_per_x, std_noise=0.):
    bn = zs.BayesianNet()
    h = dense(tf.cast(x, tf.float32), HIDDEN_UNITS, activation=tf.nn.relu)
    h = dense(h, HIDDEN_UNITS, activation=tf.nn.relu)
    z_logits = dense(h, z_dim) / tf.exp(std_noise)
    bn.bernoulli("z", z_logits, group_ndims=1, n_samples=n_z_per_x,
                 dtype=tf.float32)
    return bn


class BernoulliVAE(Model):
    """The blog's nets with binary codes, trained by VIMCO."""

    name = "bernoulli"
    summary = "the blog's nets with 40 binary latent bits, trained by VIMCO"
    hyperparameters = (
        Hyperparameter("z_dim", latent_dim, config.Z_DIM,
                       "bits of the latent code z"),
        Hyperparameter("particles", particles, 10, "K, the samples of z per "
                       "image in the bound L_K that VIMCO trains on (2 or "
                       "more)"))
    binarized = True
    binary_codes = True
    train_metrics = ("lower_bound",)
    test_metrics = ("lower_bound", "log_likelihood")

    def build(self, hparams, learning_rate=None, batch_size=None):
        x_dim, z_dim, k = hparams["x_dim"], hparams["z_dim"], \
            hparams["particles"]
        nets = (build_gen, build_q_net)
        graph = bound_graph(
            nets, x_dim, z_dim, learning_rate=learning_rate,
            batch_size=batch_size or self.batch_size,
            training_step=functools.partial(
                bound_training_step, nets, particles=k,
                objective=zs.variational.importance_weighted_objective,
                estimator="vimco"))
        graph.test_metrics["lower_bound"] = importance_weighted_test_bound(
            nets, graph, x_dim, z_dim, k)
        return graph

    def meta_nets(self, hparams, x, n_particles):
        n = tf.shape(x)[0]
        return (build_gen(hparams["x_dim"], hparams["z_dim"], n, n_particles),
                build_q_net(x, hparams["z_dim"], n_particles))
