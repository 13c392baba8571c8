"""Importance-sampling estimate of the log marginal likelihood log p(x)."""
from vae_digits.core.compat import tf
from vae_digits.zhusuan.variational import log_importance_weights

__all__ = ["is_loglikelihood"]


def is_loglikelihood(meta_bn, observed, latent=None, proposal=None,
                     axis=None):
    """log mean_k exp(log p(x, z_k) - log q(z_k)) over the K samples on
    `axis`, computed stably; without `axis`, the per-sample log weights."""
    log_joint, log_q = log_importance_weights(
        meta_bn, observed, latent=latent, variational=proposal)
    log_weights = log_joint - log_q
    if axis is None:
        return log_weights
    n_samples = tf.cast(tf.shape(log_weights)[axis], log_weights.dtype)
    return tf.reduce_logsumexp(log_weights, axis=axis) - tf.log(n_samples)
