"""Variational objectives: the evidence lower bound and the
importance-weighted bound, with their gradient estimators.

`elbo(model, observed, variational=q)` draws the latent nodes from the
BayesianNet `q`, observes the model at the data plus those draws and
gives log p(x, z) - log q(z), averaged over `axis` when given; `.sgvb()`
is its reparameterisation-gradient cost. `importance_weighted_objective`
(Burda et al., 2016) is the K-sample bound
L_K = log (1/K) sum_k p(x, z_k) / q(z_k) over the K draws on `axis`;
`.sgvb()` is Burda's IWAE cost and `.vimco()` the multi-sample
score-function cost of Mnih and Rezende (2016), for latents that are not
reparameterised (Bernoulli codes).
"""
from vae_digits.core.compat import tf
from vae_digits.zhusuan.tensor_like import TensorLike

__all__ = ["elbo", "EvidenceLowerBoundObjective",
           "importance_weighted_objective", "iw_objective",
           "ImportanceWeightedObjective"]


def log_importance_weights(meta_bn, observed, latent=None, variational=None):
    """log p(x, z) - log q(z) for z drawn from `variational` or `latent`.

    `variational` is a BayesianNet whose stochastic nodes are the latent
    variables; `latent` maps each latent name to a pair (samples,
    log q(samples)). Returns (log_joint, log_q) as tensors.
    """
    if (variational is None) == (latent is None):
        raise ValueError("Pass exactly one of variational and latent.")
    if variational is not None:
        names = variational.stochastic_names()
        if not names:
            raise ValueError("The variational net has no stochastic node.")
        latent = {name: (variational[name].tensor,
                         variational.cond_log_prob(name)) for name in names}
    latent_values = {name: tf.convert_to_tensor(pair[0])
                     for name, pair in latent.items()}
    overlap = set(latent_values) & set(observed)
    if overlap:
        raise ValueError(f"Nodes {sorted(overlap)} are both observed and latent.")
    joint_observed = dict(observed)
    joint_observed.update(latent_values)
    log_joint = meta_bn.observe(**joint_observed).log_joint()
    log_q = sum(tf.convert_to_tensor(log_q) for _, log_q in latent.values())
    return log_joint, log_q


class _Objective(TensorLike):
    """The log weights log p(x, z) - log q(z) of a variational objective."""

    def __init__(self, meta_bn, observed, latent=None, axis=None,
                 variational=None):
        self._log_joint, self._log_q = log_importance_weights(
            meta_bn, observed, latent=latent, variational=variational)
        self._log_weights = self._log_joint - self._log_q
        self._axis = axis

    @property
    def log_weights(self):
        """log p(x, z) - log q(z) of each sample (beyond ZhuSuan's API:
        their mean over the samples is the ELBO, whatever the objective,
        which the package records beside it)."""
        return self._log_weights


class EvidenceLowerBoundObjective(_Objective):
    """The ELBO; Tensor-like, with `sgvb()` giving the surrogate cost."""

    def __init__(self, meta_bn, observed, latent=None, axis=None,
                 variational=None):
        super().__init__(meta_bn, observed, latent, axis, variational)
        self._value = self._reduce(self.log_weights)

    @property
    def tensor(self):
        return self._value

    def sgvb(self):
        """Surrogate cost whose gradient is the reparameterisation
        gradient of -ELBO; valid when the latents are reparameterised."""
        return self._reduce(self._log_q - self._log_joint)

    def _reduce(self, per_sample):
        if self._axis is None:
            return per_sample
        return tf.reduce_mean(per_sample, axis=self._axis)


class ImportanceWeightedObjective(_Objective):
    """The K-sample bound L_K over the samples on `axis`; Tensor-like,
    with `sgvb()` and `vimco()` giving surrogate costs."""

    def __init__(self, meta_bn, observed, latent=None, axis=None,
                 variational=None):
        if axis is None:
            raise ValueError("importance_weighted_objective is a multi-sample "
                             "objective: pass the axis of the samples.")
        super().__init__(meta_bn, observed, latent, axis, variational)
        self._value = log_mean_exp(self.log_weights, axis)

    @property
    def tensor(self):
        return self._value

    def sgvb(self):
        """-L_K: its gradient is Burda's IWAE gradient when the latents
        are reparameterised (each sample's gradient weighted by its
        normalised importance weight)."""
        return -self._value

    def vimco(self):
        """The VIMCO surrogate cost, for latents that are not
        reparameterised: minus L_K (whose gradient, the samples held
        fixed, is the weighted gradient of the log weights) plus, for each
        sample, its learning signal times log q of it, the signal held
        constant. The signal of sample k is L_K minus the bound with k's
        log weight replaced by the mean of the others' (a baseline that
        does not depend on sample k, so the gradient stays unbiased).
        Needs K >= 2 samples."""
        log_weights = _to_front(self.log_weights, self._axis)
        log_q = _to_front(self._log_q, self._axis)
        static_k = tf.dimension_value(log_weights.shape[0])
        if static_k is not None and static_k < 2:
            raise ValueError("vimco needs at least 2 samples on the axis, "
                             f"got {static_k}.")
        checks = [] if static_k is not None else [
            tf.assert_greater_equal(tf.shape(log_weights)[0], 2,
                                    message="vimco needs at least 2 samples")]
        with tf.control_dependencies(checks):
            signal = tf.stop_gradient(
                self._value - _leave_one_out_bounds(log_weights))
        return -(self._value + tf.reduce_sum(signal * log_q, axis=0))


def log_mean_exp(x, axis):
    """log mean exp of `x` over `axis`, computed stably."""
    count = tf.cast(tf.shape(x)[axis], x.dtype)
    return tf.reduce_logsumexp(x, axis=axis) - tf.log(count)


def _to_front(x, axis):
    """`x` with its axis `axis` moved to the front."""
    x = tf.convert_to_tensor(x)
    rank = x.shape.ndims
    if rank is None:
        raise ValueError("vimco needs log weights of known rank.")
    axis = axis % rank
    if axis == 0:
        return x
    return tf.transpose(x, [axis] + [i for i in range(rank) if i != axis])


def _leave_one_out_bounds(log_weights):
    """[K, ...]: for each k, log (1/K) of the sum of the weights with the
    k-th log weight replaced by the mean of the other K - 1, from the
    [K, ...] log weights; a [K, K, ...] matrix whose diagonal holds those
    means, reduced stably."""
    k = tf.shape(log_weights)[0]
    k_float = tf.cast(k, log_weights.dtype)
    mean_of_others = (tf.reduce_sum(log_weights, axis=0, keepdims=True)
                      - log_weights) / (k_float - 1.)
    shape = tf.concat([[k], tf.shape(log_weights)], axis=0)  # [K, K, ...]
    trailing = tf.ones([tf.rank(log_weights) - 1], tf.int32)
    diagonal = tf.reshape(tf.eye(k, dtype=tf.bool),
                          tf.concat([[k, k], trailing], axis=0))
    replaced = tf.where(tf.broadcast_to(diagonal, shape),
                        tf.broadcast_to(mean_of_others[:, None], shape),
                        tf.broadcast_to(log_weights[None], shape))
    return tf.reduce_logsumexp(replaced, axis=1) - tf.log(k_float)


def elbo(meta_bn, observed, latent=None, axis=None, variational=None):
    """The evidence lower bound of `meta_bn` at `observed`."""
    return EvidenceLowerBoundObjective(meta_bn, observed, latent=latent,
                                       axis=axis, variational=variational)


def importance_weighted_objective(meta_bn, observed, latent=None, axis=None,
                                  variational=None):
    """The importance-weighted bound L_K of `meta_bn` at `observed`, with
    the K samples of the latents on `axis` (required)."""
    return ImportanceWeightedObjective(meta_bn, observed, latent=latent,
                                       axis=axis, variational=variational)


iw_objective = importance_weighted_objective
