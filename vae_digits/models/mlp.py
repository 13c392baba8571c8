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
from vae_digits.models.graph import (
    ModelGraph,
    adam_step,
    elbo_parts,
    importance_sampling,
    sampler_parts,
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


def dynamic_binarization(x_input):
    """Dynamic binarisation: each pass sees a fresh binary sample of x."""
    return tf.cast(tf.less(tf.random_uniform(tf.shape(x_input)), x_input),
                   tf.int32)


def build_training_step(x_dim, z_dim, batch_size, learning_rate):
    """The blog's training step for batches of exactly `batch_size` digits,
    a second instance of the nets on the same variables: with every shape
    known when the graph is built, the graph optimizer folds away the
    shape arithmetic of each step. Returns the ModelGraph parts train_x,
    train_metrics ({lower_bound, reconstruction, kl}) and infer_op."""
    x_input = tf.placeholder(tf.float32, shape=[batch_size, x_dim],
                             name="train_x")
    x = dynamic_binarization(x_input)
    model = build_gen(x_dim, z_dim, batch_size, 1)
    variational = build_q_net(x, z_dim, 1).observe()
    lower_bound = zs.variational.elbo(
        model, {"x": x}, variational=variational, axis=0)
    cost = tf.reduce_mean(lower_bound.sgvb())
    lower_bound = tf.reduce_mean(lower_bound)
    # Only the KL part is computed anew (elementwise work on z): the
    # reconstruction is what is left of the ELBO, so no second decoder
    # pass slows the step.
    kl = elbo_parts(model, {"x": x}, variational)["kl"]
    metrics = {"lower_bound": lower_bound, "reconstruction": -lower_bound - kl,
               "kl": kl}
    return dict(train_x=x_input, train_metrics=metrics,
                infer_op=adam_step(cost, learning_rate))


def build_graph(x_dim, z_dim, learning_rate=None, seed=None,
                batch_size=config.BATCH_SIZE):
    """The blog's graph (see graph.py for the parts): for the N digits fed
    as `x_input`, `lower_bound` is the ELBO averaged over `n_particles`
    and the digits, q(z | x) has `std_noise` added to its log-std, as the
    blog's generator samples it. With `learning_rate`, `infer_op` is one
    Adam step on `batch_size` digits fed as `train_x`. A `seed` makes
    every random op repeatable."""
    if seed is not None:
        tf.set_random_seed(seed)
    n_particles = tf.placeholder(tf.int32, shape=[], name="n_particles")
    x_input = tf.placeholder(tf.float32, shape=[None, x_dim], name="x")
    x = dynamic_binarization(x_input)
    n = tf.placeholder(tf.int32, shape=[], name="n")
    std_noise = tf.placeholder_with_default(0., shape=[], name="std_noise")

    model = build_gen(x_dim, z_dim, n, n_particles)
    q_model = build_q_net(x, z_dim, n_particles, std_noise)
    variational = q_model.observe()

    lower_bound = tf.reduce_mean(zs.variational.elbo(
        model, {"x": x}, variational=variational, axis=0))
    training = {} if learning_rate is None else build_training_step(
        x_dim, z_dim, batch_size, learning_rate)
    proposal, log_weights_logsumexp = importance_sampling(
        model, {"x": x}, variational)
    test_metrics = {"lower_bound": lower_bound}
    test_metrics.update(elbo_parts(model, {"x": x}, variational))

    graph = ModelGraph(
        x_input=x_input, n=n, n_particles=n_particles, std_noise=std_noise,
        test_metrics=test_metrics, proposal=proposal,
        log_weights_logsumexp=log_weights_logsumexp,
        **sampler_parts(model, variational, z_dim), **training)
    graph.lower_bound = lower_bound
    graph.train_lower_bound = training.get("train_metrics", {}).get(
        "lower_bound")
    return graph


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
