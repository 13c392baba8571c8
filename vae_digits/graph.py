"""What every model's graph has in common, and restoring one.

A model module builds its graph with `build(...)` and hands the shared
code a `ModelGraph`: the named tensors that training, evaluation and the
pictures run. A part a model lacks is None. Training parts:
- `train_x` (and `train_labels`): placeholders of one fixed-size batch;
- `train_metrics`: {name: scalar tensor} fetched every step and averaged
  over the epoch; `infer_op`: one optimizer step.
Evaluation parts, for the N images fed as `x_input` (and `labels_input`):
- `test_metrics`: {name: scalar tensor}, averages over the N images;
- `n`, `n_particles`, `proposal` and `log_weights_logsumexp` for the
  importance-sampled log-likelihood (evaluation.py), where the model has
  one.
Picture parts: `latent_means` ([N, z_dim], the encoder's means),
`codes` ([N, code_dim], what the decoder reads for each image),
`code_input` -> `decoded` (decoder means for fed codes, [M, x_dim]),
`random_images`, and, with `std_noise`, `encoded_images` and
`reconstructions` (the blog's samplers).
"""
import contextlib
import types

from vae_digits import zhusuan as zs
from vae_digits.compat import tf
from vae_digits.saving import restore_checkpoint

_PARTS = ("train_x", "train_labels", "train_metrics", "infer_op",
          "x_input", "labels_input", "n", "n_particles", "std_noise",
          "test_metrics", "proposal", "log_weights_logsumexp",
          "latent_means", "codes", "code_input", "decoded",
          "random_images", "encoded_images", "reconstructions")


class ModelGraph(types.SimpleNamespace):
    """The parts of a model's graph that the shared code runs."""

    def __init__(self, **parts):
        unknown = set(parts) - set(_PARTS)
        if unknown:
            raise TypeError("unknown graph parts {}".format(sorted(unknown)))
        super(ModelGraph, self).__init__(**dict(dict.fromkeys(_PARTS),
                                                **parts))


def adam_step(cost, learning_rate):
    """One Adam step on `cost`.

    TF's default gating (GATE_OP) groups each op's input gradients, which
    keeps alive the gradient with respect to the data: a product nothing
    uses (10% of the blog's matrix work). GATE_GRAPH lets it be pruned and
    still computes every gradient before any weight changes; the updates
    are bit-identical.
    """
    optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
    return optimizer.minimize(cost, gate_gradients=optimizer.GATE_GRAPH)


def importance_sampling(model, observed, variational):
    """(proposal, log_weights_logsumexp) of the tutorial's log-likelihood
    estimate: logsumexp over the `n_particles` draws z ~ q(z | x) of
    log p(x, z) - log q(z | x), per image. `proposal` (the observed x and
    q's parameters) can be fed back to draw more particles without
    running the encoder again: both log-std and std are in it, so that
    feeding them overrides whichever of the two the model computes."""
    z = variational["z"].dist
    proposal = (observed["x"], z.mean, z.logstd, z.std)
    log_weights = zs.is_loglikelihood(model, observed, proposal=variational)
    return proposal, tf.reduce_logsumexp(log_weights, axis=0)


def sampler_parts(model, variational, z_dim, image_shape):
    """The picture parts of a VAE whose decoder reads z alone: from the
    MetaBayesianNet `model` (prior N(0, I), `x_mean` kept) and the
    BayesianNet `variational` q(z | x) of the fed images. Returns a dict
    for ModelGraph (see above)."""
    z_mean = variational["z"].dist.mean
    code_input = tf.placeholder(tf.float32, [None, z_dim], name="z")
    return dict(
        latent_means=z_mean, codes=z_mean, code_input=code_input,
        decoded=model.observe(z=code_input)["x_mean"],
        random_images=tf.reshape(model.observe()["x_mean"],
                                 [-1] + list(image_shape) + [1]),
        encoded_images=model.observe(z=variational["z"])["x_mean"],
        reconstructions=model.observe(z=z_mean)["x_mean"])


def gaussian_kl(mean, std):
    """KL(N(mean, std^2) || N(0, I)) of a diagonal Gaussian, summed over
    the last axis: 0.5 * sum(mean^2 + std^2 - log std^2 - 1), as the
    latent-space and conditioning posts write it."""
    return 0.5 * tf.reduce_sum(tf.square(mean) + tf.square(std)
                               - tf.log(tf.square(std)) - 1., axis=-1)


@contextlib.contextmanager
def restored_session(checkpoint, model_config, seed=None):
    """Yield (session, ModelGraph) on a new finalized graph of the model in
    `model_config`, without optimizer, holding the weights of
    `checkpoint`."""
    from vae_digits import models
    model = models.get(model_config["model"])
    with tf.Graph().as_default():
        if seed is not None:
            tf.set_random_seed(seed)
        graph = model.build(model_config)
        saver = tf.train.Saver(var_list=tf.trainable_variables())
        tf.get_default_graph().finalize()
        with tf.Session() as sess:
            restore_checkpoint(sess, saver, checkpoint)
            yield sess, graph
