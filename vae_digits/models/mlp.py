"""The blog's VAE, the package's default model (`--model mlp`).

z ~ N(0, I) in 40 dimensions, 2x500 ReLU nets, Bernoulli pixels; trained
by SGVB on the ELBO of digits binarised afresh every batch, tested on
digits binarised once. The two builders are the blog's, verbatim but for
`dense` standing in for `tf.layers.dense` (see layers.py).
"""
from vae_digits import zhusuan as zs
from vae_digits.core import config
from vae_digits.core.arguments import latent_dim
from vae_digits.core.compat import tf
from vae_digits.core.config import HIDDEN_UNITS
from vae_digits.models.base import Hyperparameter, Model
from vae_digits.models.graph import (  # noqa: F401 (dynamic_binarization: the blog's)
    bound_graph,
    bound_training_step,
    dynamic_binarization,
)
from vae_digits.models.layers import dense


# build the decoder: z ~ N(0, I), x ~ Bernoulli(sigmoid(f_NN(z)))
@zs.meta_bayesian_net(scope="gen", reuse_variables=True)
def build_gen(x_dim, z_dim, n, n_particles=1):
    bn = zs.BayesianNet()
    z_mean = tf.zeros([n, z_dim])
    z = bn.normal("z", z_mean, std=1., group_ndims=1, n_samples=n_particles)
    h = dense(z, HIDDEN_UNITS, activation=tf.nn.relu)
    h = dense(h, HIDDEN_UNITS, activation=tf.nn.relu)
    x_logits = dense(h, x_dim)
    bn.deterministic("x_mean", tf.sigmoid(x_logits))
    bn.bernoulli("x", x_logits, group_ndims=1)
    return bn


# build the encoder: q(z | x) = N(z_mean(x), exp(z_logstd(x) + std_noise)^2)
@zs.meta_bayesian_net(scope="q_net", reuse_variables=True)
def build_q_net(x, z_dim, n_z_per_x, std_noise=0):
    bn = zs.BayesianNet()
    h = dense(tf.cast(x, tf.float32), HIDDEN_UNITS, activation=tf.nn.relu)
    h = dense(h, HIDDEN_UNITS, activation=tf.nn.relu)
    z_mean = dense(h, z_dim)
    z_logstd = dense(h, z_dim) + std_noise
    bn.normal("z", z_mean, logstd=z_logstd, group_ndims=1,
              n_samples=n_z_per_x)
    return bn


def build_training_step(x_dim, z_dim, batch_size, learning_rate,
                        particles=1, objective=zs.variational.elbo):
    """The blog's training step (graph.bound_training_step): SGVB on
    `objective` (the blog's ELBO; models/iwae.py passes the
    importance-weighted bound) with `particles` draws of z per digit."""
    return bound_training_step((build_gen, build_q_net), x_dim, z_dim,
                               batch_size, learning_rate, particles, objective)


def build_graph(x_dim, z_dim, learning_rate=None, seed=None,
                batch_size=config.BATCH_SIZE, training_step=build_training_step):
    """The blog's graph (graph.bound_graph): for the N digits fed as
    `x_input`, `lower_bound` is the ELBO averaged over `n_particles` and
    the digits; q(z | x) has `std_noise` added to its log-std, as the
    blog's generator samples it. With `learning_rate`, `infer_op` is one
    Adam step of `training_step` on `batch_size` digits fed as
    `train_x`. A `seed` makes every random op repeatable."""
    return bound_graph((build_gen, build_q_net), x_dim, z_dim, learning_rate,
                       seed, batch_size, training_step)


class MlpVAE(Model):
    """The blog's model."""

    name = "mlp"
    summary = "the blog's VAE: 2x500 ReLU nets, Bernoulli pixels (the default)"
    directory_name = "vae_digits"
    hyperparameters = (Hyperparameter("z_dim", latent_dim, config.Z_DIM,
                                      "dimensions of the latent code z"),)
    binarized = True  # the test digits are binarised once, as in the blog
    train_metrics = ("lower_bound",)
    test_metrics = ("lower_bound", "log_likelihood")

    def build(self, hparams, learning_rate=None, batch_size=None):
        return build_graph(hparams["x_dim"], hparams["z_dim"],
                           learning_rate=learning_rate,
                           batch_size=batch_size or self.batch_size)

    def meta_nets(self, hparams, x, n_particles):
        n = tf.shape(x)[0]
        return (build_gen(hparams["x_dim"], hparams["z_dim"], n, n_particles),
                build_q_net(x, hparams["z_dim"], n_particles))
