"""Estimates of the log marginal likelihood log p(x): importance sampling
(`is_loglikelihood`) and annealed importance sampling (`AIS`, in
annealing.py), with its reverse chain for bidirectional Monte Carlo."""
from vae_digits.zhusuan.annealing import AIS, sigmoid_schedule
from vae_digits.zhusuan.variational import (
    importance_weighted_objective,
    log_importance_weights,
)

__all__ = ["is_loglikelihood", "AIS", "sigmoid_schedule"]


def is_loglikelihood(meta_bn, observed, latent=None, proposal=None,
                     axis=None):
    """log mean_k exp(log p(x, z_k) - log q(z_k)) over the K samples on
    `axis`, computed stably: the importance-weighted bound with the
    proposal as the variational net. Without `axis`, the per-sample log
    weights."""
    if axis is None:
        log_joint, log_q = log_importance_weights(
            meta_bn, observed, latent=latent, variational=proposal)
        return log_joint - log_q
    return importance_weighted_objective(meta_bn, observed, latent=latent,
                                         axis=axis, variational=proposal).tensor
