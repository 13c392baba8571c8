"""The graph around the model, built once for training and generation.

It holds the blog's inputs (`x`, `n`, `n_particles`, `std_noise`), the
binarisation of each batch, the model and variational nets, and
- the ELBO;
- for training, a second instance of the two nets on the same variables,
  built for a fixed batch size and one particle, with its ELBO, SGVB cost
  and Adam step: with every shape known when the graph is built, the
  graph optimizer folds away the shape arithmetic of each step;
- the importance-sampling log weights of the tutorial's log-likelihood
  estimate, reduced per digit so that particles can come in chunks;
- the two samplers of the blog, decoding N(0, I) draws and decoding
  q(z | x) draws (with `std_noise` added to the log-std), and the
  reconstructions decoded from the encoder's mean.
"""
import collections
import contextlib

from vae_digits import zhusuan as zs
from vae_digits.compat import tf
from vae_digits.config import BATCH_SIZE, IMAGE_SHAPE
from vae_digits.model import build_gen, build_q_net
from vae_digits.saving import restore_checkpoint

VAEGraph = collections.namedtuple("VAEGraph", [
    "x_input", "n", "n_particles", "std_noise", "lower_bound",
    "train_x", "train_lower_bound", "infer_op", "proposal",
    "log_weights_logsumexp",
    "random_images", "encoded_images", "reconstructions",
])


def dynamic_binarization(x_input):
    """Dynamic binarisation: each pass sees a fresh binary sample of x."""
    return tf.cast(tf.less(tf.random_uniform(tf.shape(x_input)), x_input),
                   tf.int32)


def build_training_step(x_dim, z_dim, batch_size, learning_rate):
    """The blog's training step for batches of exactly `batch_size` digits:
    returns (x placeholder, lower bound, Adam step)."""
    x_input = tf.placeholder(tf.float32, shape=[batch_size, x_dim],
                             name="train_x")
    x = dynamic_binarization(x_input)
    model = build_gen(x_dim, z_dim, batch_size, 1)
    q_model = build_q_net(x, z_dim, 1)
    lower_bound = zs.variational.elbo(
        model, {"x": x}, variational=q_model.observe(), axis=0)
    cost = tf.reduce_mean(lower_bound.sgvb())
    optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
    # TF's default gating (GATE_OP) groups each op's input gradients, which
    # keeps alive the gradient with respect to the binarised x: a product
    # nothing uses, 10% of the step's matrix work. GATE_GRAPH lets it be
    # pruned and still computes every gradient before any weight changes;
    # the updates are bit-identical.
    infer_op = optimizer.minimize(cost,
                                  gate_gradients=optimizer.GATE_GRAPH)
    return x_input, tf.reduce_mean(lower_bound), infer_op


def build_graph(x_dim, z_dim, learning_rate=None, seed=None,
                batch_size=BATCH_SIZE):
    """Build the graph in the default graph; returns a VAEGraph.

    For the N digits fed as `x_input`:
    `lower_bound` is the ELBO averaged over `n_particles` and the digits;
    `log_weights_logsumexp` ([N]) is logsumexp over `n_particles` draws
    z ~ q(z | x) of log p(x, z) - log q(z | x); `proposal` holds the
    binarised x and q's mean and log-std, which can be fed back to draw
    more particles without running the encoder again;
    `encoded_images` ([n_particles, N, x_dim]) decodes `n_particles` draws
    of z ~ q(z | x) as x_mean, `reconstructions` ([N, x_dim]) the mean.
    `random_images` ([n, 28, 28, 1]) decodes `n` prior draws as x_mean.
    With `learning_rate`, `infer_op` is one Adam step on the `batch_size`
    digits fed as `train_x`, and `train_lower_bound` their ELBO; without,
    all three are None. A `seed` makes every random op of the graph
    repeatable.
    """
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
    train_x = train_lower_bound = infer_op = None
    if learning_rate is not None:
        train_x, train_lower_bound, infer_op = build_training_step(
            x_dim, z_dim, batch_size, learning_rate)

    proposal = (x, variational["z"].dist.mean, variational["z"].dist.logstd)
    log_weights = zs.is_loglikelihood(model, {"x": x}, proposal=variational)
    log_weights_logsumexp = tf.reduce_logsumexp(log_weights, axis=0)

    random_images = tf.reshape(model.observe()["x_mean"],
                               [-1] + list(IMAGE_SHAPE) + [1])
    encoded_images = model.observe(z=variational["z"])["x_mean"]
    reconstructions = model.observe(z=variational["z"].dist.mean)["x_mean"]
    return VAEGraph(x_input, n, n_particles, std_noise, lower_bound,
                    train_x, train_lower_bound, infer_op, proposal,
                    log_weights_logsumexp, random_images,
                    encoded_images, reconstructions)


@contextlib.contextmanager
def restored_session(checkpoint, model_config, seed=None):
    """Yield (session, VAEGraph) on a new finalized graph of the model in
    `model_config`, without optimizer, holding the weights of
    `checkpoint`."""
    with tf.Graph().as_default():
        graph = build_graph(model_config["x_dim"], model_config["z_dim"],
                            seed=seed)
        saver = tf.train.Saver(var_list=tf.trainable_variables())
        tf.get_default_graph().finalize()
        with tf.Session() as sess:
            restore_checkpoint(sess, saver, checkpoint)
            yield sess, graph
