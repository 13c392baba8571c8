"""What every model's graph has in common.

A model's `build(...)` hands the shared
code a `ModelGraph`: the named tensors that training, evaluation and a
trained model's methods (trained/model.py) run. A part a model lacks is None.
Training parts:
- `train_x` (and `train_labels`): placeholders of one fixed-size batch;
- `train_metrics`: {name: scalar tensor} fetched every step and averaged
  over the epoch, the objective's two parts `reconstruction` and `kl`
  among them; `infer_op`: one optimizer step (of `train_cost`, the
  surrogate it minimises, where a model names it).
Evaluation parts, for the N images fed as `x_input` (and `labels_input`):
- `test_metrics`: {name: scalar tensor}, averages over the N images;
- `n`, `n_particles`, `proposal`, `log_weights` ([n_particles, N], each
  draw's log p(x, z) - log q(z | x)) and `log_weights_logsumexp` (their
  logsumexp over the draws) for the importance-sampled log-likelihood
  (trained/scores.py), where the model has one.
Parts of a trained model's methods: `latent_means` and `latent_stds`
([N, z_dim], q(z | x)'s; with `std_noise` added to its log-std where the
model has the blog's noise), `codes` ([N, code_dim], what the decoder
reads for each image), `code_input` -> `decoded` (decoder means for fed
codes, [M, x_dim]).
"""
import types

from vae_digits import zhusuan as zs
from vae_digits.core import config
from vae_digits.core.compat import tf

_PARTS = ("train_x", "train_labels", "train_metrics", "train_cost", "infer_op",
          "x_input", "labels_input", "n", "n_particles", "std_noise",
          "test_metrics", "proposal", "log_weights", "log_weights_logsumexp",
          "latent_means", "latent_stds", "codes", "code_input", "decoded")


class ModelGraph(types.SimpleNamespace):
    """The parts of a model's graph that the shared code runs."""

    def __init__(self, **parts):
        unknown = set(parts) - set(_PARTS)
        if unknown:
            raise TypeError(f"unknown graph parts {sorted(unknown)}")
        super().__init__(**dict(dict.fromkeys(_PARTS), **parts))


def dynamic_binarization(x_input):
    """Dynamic binarisation: each pass sees a fresh binary sample of x."""
    return tf.cast(tf.less(tf.random_uniform(tf.shape(x_input)), x_input),
                   tf.int32)


def bound_training_step(nets, x_dim, z_dim, batch_size, learning_rate,
                        particles=1, objective=zs.variational.elbo,
                        estimator="sgvb"):
    """One Adam step on a bound of digits binarised afresh, for batches of
    exactly `batch_size` digits: the decorated builders `nets` =
    (build_gen(x_dim, z_dim, n, n_particles), build_q_net(x, z_dim,
    n_z_per_x)) on the graph's variables, `particles` draws of z per
    digit, the ZhuSuan `objective` and its gradient `estimator` ("sgvb"
    or "vimco"). With every shape known when the graph is built, the
    graph optimizer folds away the shape arithmetic of each step.
    Returns the ModelGraph parts train_x, train_metrics ({lower_bound:
    the objective, reconstruction and kl: the ELBO's parts}), train_cost
    and infer_op."""
    build_gen, build_q_net = nets
    x_input = tf.placeholder(tf.float32, shape=[batch_size, x_dim],
                             name="train_x")
    x = dynamic_binarization(x_input)
    model = build_gen(x_dim, z_dim, batch_size, particles)
    variational = build_q_net(x, z_dim, particles).observe()
    lower_bound = objective(model, {"x": x}, variational=variational, axis=0)
    cost = tf.reduce_mean(getattr(lower_bound, estimator)())
    elbo = tf.reduce_mean(lower_bound.log_weights)
    lower_bound = tf.reduce_mean(lower_bound)
    # Only the KL part is computed anew (elementwise work on z): the
    # reconstruction is what is left of the ELBO, so no second decoder
    # pass slows the step.
    kl = elbo_parts(model, {"x": x}, variational)["kl"]
    metrics = {"lower_bound": lower_bound, "reconstruction": -elbo - kl,
               "kl": kl}
    return dict(train_x=x_input, train_metrics=metrics, train_cost=cost,
                infer_op=adam_step(cost, learning_rate))


def bound_graph(nets, x_dim, z_dim, learning_rate=None, seed=None,
                batch_size=config.BATCH_SIZE, training_step=None):
    """The graph of a VAE of binarised digits built by `nets` (as above,
    build_q_net also taking `std_noise`): the test figures (the ELBO
    with one particle and its parts), importance sampling and the
    trained model's parts; with `learning_rate`, `training_step(x_dim,
    z_dim, batch_size, learning_rate)`'s parts. A `seed` makes every
    random op repeatable."""
    build_gen, build_q_net = nets
    if seed is not None:
        tf.set_random_seed(seed)
    n_particles = tf.placeholder(tf.int32, shape=[], name="n_particles")
    x_input = tf.placeholder(tf.float32, shape=[None, x_dim], name="x")
    x = dynamic_binarization(x_input)
    n = tf.placeholder(tf.int32, shape=[], name="n")
    std_noise = tf.placeholder_with_default(0., shape=[], name="std_noise")

    model = build_gen(x_dim, z_dim, n, n_particles)
    variational = build_q_net(x, z_dim, n_particles, std_noise).observe()
    lower_bound = tf.reduce_mean(zs.variational.elbo(
        model, {"x": x}, variational=variational, axis=0))
    training = {} if learning_rate is None else training_step(
        x_dim, z_dim, batch_size, learning_rate)
    sampling = importance_sampling(model, {"x": x}, variational)
    test_metrics = {"lower_bound": lower_bound}
    test_metrics.update(elbo_parts(model, {"x": x}, variational))
    graph = ModelGraph(
        x_input=x_input, n=n, n_particles=n_particles, std_noise=std_noise,
        test_metrics=test_metrics, **sampling,
        **sampler_parts(model, variational, z_dim), **training)
    graph.lower_bound = lower_bound
    graph.train_lower_bound = training.get("train_metrics", {}).get(
        "lower_bound")
    return graph


def importance_weighted_test_bound(nets, graph, x_dim, z_dim, particles):
    """L_K of the images fed to a bound_graph `graph`, averaged over them,
    from K = `particles` fresh draws of q(z | x). Built after the
    training step, it leaves that step's seeded draws as they were."""
    build_gen, build_q_net = nets
    x = graph.proposal[0]  # the binarised images, as the graph observes them
    variational = build_q_net(x, z_dim, particles).observe()
    return tf.reduce_mean(zs.variational.importance_weighted_objective(
        build_gen(x_dim, z_dim, graph.n, particles), {"x": x},
        variational=variational, axis=0))


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
    """The ModelGraph parts of the tutorial's log-likelihood estimate:
    `log_weights`, log p(x, z) - log q(z | x) of each of the `n_particles`
    draws z ~ q(z | x) of each image, their logsumexp over the draws
    (`log_weights_logsumexp`), and `proposal`. `proposal` (the observed x and
    q's parameters) can be fed back to draw more particles without
    running the encoder again: a Normal's log-std and std are both in it,
    so that feeding them overrides whichever of the two the model
    computes; a Bernoulli's logits."""
    z = variational["z"].dist
    parameters = (z.logits,) if isinstance(z, zs.distributions.Bernoulli) \
        else (z.mean, z.logstd, z.std)
    log_weights = zs.is_loglikelihood(model, observed, proposal=variational)
    return dict(proposal=(observed["x"],) + parameters,
                log_weights=log_weights,
                log_weights_logsumexp=tf.reduce_logsumexp(log_weights, axis=0))


def sampler_parts(model, variational, z_dim):
    """The parts of a trained model's methods for a VAE whose decoder reads
    z alone: from the MetaBayesianNet `model` (prior N(0, I) or fair
    coins, `x_mean` kept) and the BayesianNet `variational` q(z | x) of
    the fed images. A Normal's mean and standard deviation; a Bernoulli
    code's probabilities of 1 and their standard deviations. Returns a
    dict for ModelGraph (see above)."""
    z = variational["z"].dist
    if isinstance(z, zs.distributions.Bernoulli):
        means = tf.sigmoid(z.logits)
        stds = tf.sqrt(means * (1. - means))
    else:
        means, stds = z.mean, z.std
    code_input = tf.placeholder(tf.float32, [None, z_dim], name="z")
    return dict(latent_means=means, latent_stds=stds, codes=means,
                code_input=code_input,
                decoded=model.observe(z=code_input)["x_mean"])


def elbo_parts(model, observed, variational):
    """{"reconstruction", "kl"}: the two parts of minus the ELBO of the
    images `observed["x"]`, averaged over them, each in nats summed over
    an image's pixels or latent dimensions: -log p(x | z) and
    log q(z | x) - log p(z), at the one draw z of the BayesianNet
    `variational` (the draw the ELBO of the same run uses). The model's
    net is observed anew at x and z; TensorFlow runs only the part a
    fetch needs."""
    z = variational["z"]
    joint = model.observe(z=z, **observed)
    return {"reconstruction": -tf.reduce_mean(joint.cond_log_prob("x")),
            "kl": tf.reduce_mean(variational.cond_log_prob("z")
                                 - joint.cond_log_prob("z"))}


def gaussian_kl(mean, std):
    """KL(N(mean, std^2) || N(0, I)) of a diagonal Gaussian, summed over
    the last axis: 0.5 * sum(mean^2 + std^2 - log std^2 - 1), as the
    latent-space and conditioning posts write it."""
    return 0.5 * tf.reduce_sum(tf.square(mean) + tf.square(std)
                               - tf.log(tf.square(std)) - 1., axis=-1)
