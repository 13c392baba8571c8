"""Variational objectives: the evidence lower bound and its SGVB cost.

`elbo(model, observed, variational=q)` draws the latent nodes from the
BayesianNet `q`, observes the model at the data plus those draws and
gives log p(x, z) - log q(z), averaged over `axis` when given.
"""
from vae_digits.core.compat import tf
from vae_digits.zhusuan.tensor_like import TensorLike

__all__ = ["elbo", "EvidenceLowerBoundObjective"]


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


class EvidenceLowerBoundObjective(TensorLike):
    """The ELBO; Tensor-like, with `sgvb()` giving the surrogate cost."""

    def __init__(self, meta_bn, observed, latent=None, axis=None,
                 variational=None):
        self._log_joint, self._log_q = log_importance_weights(
            meta_bn, observed, latent=latent, variational=variational)
        self._axis = axis
        self._value = self._reduce(self._log_joint - self._log_q)

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


def elbo(meta_bn, observed, latent=None, axis=None, variational=None):
    """The evidence lower bound of `meta_bn` at `observed`."""
    return EvidenceLowerBoundObjective(meta_bn, observed, latent=latent,
                                       axis=axis, variational=variational)
