"""Annealed importance sampling (Neal, 2001), as ZhuSuan's
`zs.evaluation.AIS`, and its reverse chain for bidirectional Monte Carlo
(Grosse et al., 2015; Wu et al., 2017).

AIS anneals `n_chains` chains from a proposal (the prior, or q(z | x))
to the posterior through the geometric averages
log f_t(z) = (1 - beta_t) log proposal(z) + beta_t log p(x, z), beta_t on
a sigmoid schedule from 0 to 1, with one HMC transition per temperature.
Each chain's log weight gains (beta_t - beta_{t-1}) (log p(x, z) -
log proposal(z)) before each transition; log mean exp over the chains is
a stochastic lower bound of log p(x) that tightens as the temperatures
grow. Run backwards from an exact posterior sample (which data simulated
from the model has: the z it was drawn from), the same chain gives a
stochastic upper bound. The graph of one temperature is built once; each
temperature is one run of it.
"""
import numpy as np

from vae_digits.core.compat import tf

__all__ = ["AIS", "sigmoid_schedule"]


def sigmoid_schedule(n_temperatures, radius=4.):
    """The n_temperatures + 1 inverse temperatures beta_0 = 0 < ... <
    beta_T = 1, spaced as a sigmoid of evenly spaced points in
    [-radius, radius] (slow at both ends), rescaled to end exactly at 0
    and 1."""
    if isinstance(n_temperatures, bool) or int(n_temperatures) != \
            n_temperatures or n_temperatures < 1:
        raise ValueError("n_temperatures must be a positive int, got "
                         f"{n_temperatures!r}.")
    sigmoid = 1. / (1. + np.exp(-np.linspace(-radius, radius,
                                             int(n_temperatures) + 1)))
    betas = (sigmoid - sigmoid[0]) / (sigmoid[-1] - sigmoid[0])
    betas[0], betas[-1] = 0., 1.
    return betas


class AIS:
    """Annealed importance sampling from `proposal_meta_bn` to
    `meta_bn` observed at `observed`; see the module's docstring.

    `latent` maps each latent name to a `tf.Variable` of static shape
    [n_chains, ...] holding the chains' state; `proposal_meta_bn.observe()`
    must draw those latents in that shape, and their distributions there
    give log proposal(z) (latents independent given the data, as the
    prior and q(z | x) of a VAE are). `hmc` is a zs.HMC.
    """

    def __init__(self, meta_bn, proposal_meta_bn, hmc, observed, latent,
                 n_chains=25, n_temperatures=1000):
        self.betas = sigmoid_schedule(n_temperatures)
        self.n_chains = n_chains
        names = list(latent)
        for name in names:
            shape = latent[name].shape
            if not shape.is_fully_defined() or shape[0] != n_chains:
                raise ValueError(f"AIS needs the latent {name!r} as a variable "
                                 f"of static shape [{n_chains}, ...] (n_chains "
                                 f"first), got {shape}.")
        proposal = proposal_meta_bn.observe()
        distributions = {name: proposal[name].dist for name in names}
        self._beta = tf.placeholder(tf.float32, [], name="beta")
        self._previous_beta = tf.placeholder(tf.float32, [], name="beta_previous")

        def log_densities(values):
            """(log p(x, z), log proposal(z)) at the latent `values`."""
            log_joint = meta_bn.observe(**dict(observed, **values)).log_joint()
            return log_joint, sum(distributions[name].log_prob(values[name])
                                  for name in names)

        self._step = self._build_step(hmc, latent, log_densities)
        self._start = {name: tf.placeholder_with_default(
            proposal[name].tensor, latent[name].shape, name=f"{name}_start")
            for name in names}
        self._initializer = tf.group(
            hmc.initializer, self._log_weights.initializer,
            *[latent[name].assign(self._start[name]) for name in names])

    def _build_step(self, hmc, latent, log_densities):
        """The op of one temperature: add the log weights' increment at
        the chains' state, then one HMC transition from it."""
        names = list(latent)

        def annealed(values):
            log_joint, log_proposal = log_densities(values)
            return (1. - self._beta) * log_proposal + self._beta * log_joint

        state = {name: tf.identity(latent[name]) for name in names}
        log_joint, log_proposal = log_densities(state)
        increment = (self._beta - self._previous_beta) * (log_joint
                                                          - log_proposal)
        if not increment.shape.is_fully_defined():
            raise ValueError("AIS needs a log density of static shape; got "
                             f"{increment.shape}.")
        self._log_weights = tf.Variable(tf.zeros(increment.shape),
                                        trainable=False, name="log_weights")
        with tf.control_dependencies([self._log_weights.assign_add(increment)]):
            step, self.info = hmc.sample(annealed, {}, latent)
        return step

    def run(self, sess, feed_dict=None):
        """The forward estimate averaged over the data: the mean of
        `forward`."""
        return float(np.mean(self.forward(sess, feed_dict)))

    def forward(self, sess, feed_dict=None, progress=None):
        """Per data point, log mean exp over the chains of the log weights
        of a run from the proposal to the posterior: a stochastic lower
        bound of log p(x). `progress`, if given, is called after each
        temperature."""
        log_weights = self._anneal(sess, feed_dict, self.betas, None, progress)
        return _log_mean_exp(log_weights)

    def reverse(self, sess, feed_dict, posterior_samples, progress=None):
        """Per data point, minus log mean exp over the chains of the log
        weights of a run from the posterior back to the proposal, started
        at `posterior_samples` ({name: [n_chains, ...] array}, exact
        posterior draws): a stochastic upper bound of log p(x)."""
        log_weights = self._anneal(sess, feed_dict, self.betas[::-1],
                                   posterior_samples, progress)
        return -_log_mean_exp(log_weights)

    def _anneal(self, sess, feed_dict, betas, start, progress):
        """The chains' log weights after one transition per temperature
        of `betas`, from `start` ({name: value}) or proposal draws."""
        feed_dict = dict(feed_dict or {})
        start_feed = dict(feed_dict)
        for name, value in (start or {}).items():
            start_feed[self._start[name]] = value
        sess.run(self._initializer, start_feed)
        for previous, beta in zip(betas[:-1], betas[1:]):
            feed_dict[self._previous_beta] = previous
            feed_dict[self._beta] = beta
            sess.run(self._step, feed_dict)
            if progress is not None:
                progress()
        return sess.run(self._log_weights)


def _log_mean_exp(log_weights):
    """log mean exp over the chains (axis 0), in float64."""
    log_weights = np.asarray(log_weights, np.float64)
    return np.logaddexp.reduce(log_weights, axis=0) - np.log(len(log_weights))
