"""What every model's graph has in common.

A model's `build(...)` hands the shared
code a `ModelGraph`: the named tensors that training, evaluation and a
trained model's methods (trained/model.py) run. A part a model lacks is None.
Training parts:
- `train_x` (and `train_labels`): placeholders of one fixed-size batch;
- `train_metrics`: {name: scalar tensor} fetched every step and averaged
  over the epoch, the objective's two parts `reconstruction` and `kl`
  among them; `infer_op`: one optimizer step.
Evaluation parts, for the N images fed as `x_input` (and `labels_input`):
- `test_metrics`: {name: scalar tensor}, averages over the N images;
- `n`, `n_particles`, `proposal` and `log_weights_logsumexp` for the
  importance-sampled log-likelihood (trained/scores.py), where the model has
  one.
Parts of a trained model's methods: `latent_means` and `latent_stds`
([N, z_dim], q(z | x)'s; with `std_noise` added to its log-std where the
model has the blog's noise), `codes` ([N, code_dim], what the decoder
reads for each image), `code_input` -> `decoded` (decoder means for fed
codes, [M, x_dim]).
"""
import types

from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf

_PARTS = ("train_x", "train_labels", "train_metrics", "infer_op",
          "x_input", "labels_input", "n", "n_particles", "std_noise",
          "test_metrics", "proposal", "log_weights_logsumexp",
          "latent_means", "latent_stds", "codes", "code_input", "decoded")


class ModelGraph(types.SimpleNamespace):
    """The parts of a model's graph that the shared code runs."""

    def __init__(self, **parts):
        unknown = set(parts) - set(_PARTS)
        if unknown:
            raise TypeError(f"unknown graph parts {sorted(unknown)}")
        super().__init__(**dict(dict.fromkeys(_PARTS), **parts))


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


def sampler_parts(model, variational, z_dim):
    """The parts of a trained model's methods for a VAE whose decoder reads
    z alone: from the MetaBayesianNet `model` (prior N(0, I), `x_mean`
    kept) and the BayesianNet `variational` q(z | x) of the fed images.
    Returns a dict for ModelGraph (see above)."""
    z = variational["z"].dist
    code_input = tf.placeholder(tf.float32, [None, z_dim], name="z")
    return dict(latent_means=z.mean, latent_stds=z.std, codes=z.mean,
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
