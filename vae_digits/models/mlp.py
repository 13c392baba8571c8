"""The blog's VAE, the package's default model (`--model mlp`).

z ~ N(0, I) in 40 dimensions, 2x500 ReLU nets, Bernoulli pixels; trained
by SGVB on the ELBO of digits binarised afresh every batch, tested on
digits binarised once. The two builders are the blog's, in model.py.
"""
from vae_digits import config
from vae_digits import zhusuan as zs
from vae_digits.arguments import Flag, positive_int
from vae_digits.compat import tf
from vae_digits.graph import (ModelGraph, adam_step, elbo_parts,
                              importance_sampling, sampler_parts)
from vae_digits.model import build_gen, build_q_net

NAME = "mlp"
SUMMARY = "the blog's VAE: 2x500 ReLU nets, Bernoulli pixels (the default)"
DIRECTORY = "vae_digits"
DEFAULTS = dict(epochs=config.EPOCHS, batch_size=config.BATCH_SIZE,
                learning_rate=config.LEARNING_RATE, z_dim=config.Z_DIM)
HYPERPARAMETERS = (Flag("z_dim", positive_int,
                        "dimensions of the latent code z"),)
BINARIZED = True  # the test digits are binarised once, as in the blog
TRAIN_SHARE = 1.  # train + valid: all 60,000 digits
USES_LABELS = False
TRAIN_METRICS = ("lower_bound",)
WHOLE_SET_TRAIN_METRICS = False
TEST_METRICS = ("lower_bound", "log_likelihood")
LOSS_CURVES = ()
EPOCH_PICTURES = ()  # the blog writes none; --epoch-pictures adds them


def dynamic_binarization(x_input):
    """Dynamic binarisation: each pass sees a fresh binary sample of x."""
    return tf.cast(tf.less(tf.random_uniform(tf.shape(x_input)), x_input),
                   tf.int32)


def build_training_step(x_dim, z_dim, batch_size, learning_rate):
    """The blog's training step for batches of exactly `batch_size` digits,
    a second instance of the nets on the same variables: with every shape
    known when the graph is built, the graph optimizer folds away the
    shape arithmetic of each step. Returns (x, {lower_bound,
    reconstruction, kl}, Adam step)."""
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
    return x_input, metrics, adam_step(cost, learning_rate)


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
    train_x = infer_op = None
    train_metrics = {}
    if learning_rate is not None:
        train_x, train_metrics, infer_op = build_training_step(
            x_dim, z_dim, batch_size, learning_rate)
    proposal, log_weights_logsumexp = importance_sampling(
        model, {"x": x}, variational)
    test_metrics = {"lower_bound": lower_bound}
    test_metrics.update(elbo_parts(model, {"x": x}, variational))

    graph = ModelGraph(
        train_x=train_x, infer_op=infer_op, train_metrics=train_metrics,
        x_input=x_input, n=n, n_particles=n_particles, std_noise=std_noise,
        test_metrics=test_metrics, proposal=proposal,
        log_weights_logsumexp=log_weights_logsumexp,
        **sampler_parts(model, variational, z_dim))
    graph.lower_bound = lower_bound
    graph.train_lower_bound = train_metrics.get("lower_bound")
    return graph


def build(hparams, learning_rate=None, batch_size=config.BATCH_SIZE):
    """The graph of the model described by `hparams` (model_config)."""
    return build_graph(hparams["x_dim"], hparams["z_dim"],
                       learning_rate=learning_rate, batch_size=batch_size)
