"""The two univariate distributions the VAE uses: Normal and Bernoulli.

Parameters broadcast against each other and their broadcast shape is the
batch shape; `group_ndims=k` treats the last k batch dimensions as one
event, so `log_prob` sums over them. `sample(n_samples)` prepends a
dimension of size `n_samples` unless it is None.
"""
import numpy as np

from vae_digits.core.compat import tf

__all__ = ["Distribution", "Normal", "Bernoulli"]

_HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _check_group_ndims(group_ndims):
    if isinstance(group_ndims, bool) or not isinstance(group_ndims, int) \
            or group_ndims < 0:
        raise ValueError("group_ndims must be a non-negative int, got "
                         f"{group_ndims!r}.")
    return group_ndims


def _check_n_samples(n_samples):
    if n_samples is None or isinstance(n_samples, (tf.Tensor, tf.Variable)):
        return n_samples
    if isinstance(n_samples, bool) or \
            not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError("n_samples must be None, a positive int or a scalar "
                         f"int32 tensor, got {n_samples!r}.")
    return int(n_samples)


class Distribution:
    """Base class: batch shape, sampling with n_samples, grouped log_prob."""

    def __init__(self, dtype, param_dtype, is_reparameterized, group_ndims):
        self.dtype = tf.as_dtype(dtype)
        self.param_dtype = tf.as_dtype(param_dtype)
        self.is_reparameterized = is_reparameterized
        self.group_ndims = _check_group_ndims(group_ndims)

    def batch_shape(self):
        """The broadcast shape of the parameters, as an int32 tensor."""
        raise NotImplementedError

    def sample(self, n_samples=None):
        """One sample of the batch shape, or `n_samples` stacked in front."""
        n_samples = _check_n_samples(n_samples)
        if n_samples is None:
            return self._sample(self.batch_shape())
        shape = tf.concat([[n_samples], self.batch_shape()], axis=0)
        return self._sample(shape)

    def log_prob(self, given):
        """Log density of `given`, summed over the last group_ndims axes."""
        log_p = self._log_prob(given)
        if self.group_ndims == 0:
            return log_p
        return tf.reduce_sum(log_p, axis=list(range(-self.group_ndims, 0)))

    def prob(self, given):
        return tf.exp(self.log_prob(given))

    def _sample(self, shape):
        raise NotImplementedError

    def _log_prob(self, given):
        raise NotImplementedError


class Normal(Distribution):
    """Univariate Normal with `mean` and exactly one of `std` / `logstd`."""

    def __init__(self, mean=0., std=None, logstd=None, group_ndims=0,
                 is_reparameterized=True, dtype="float32"):
        if (std is None) == (logstd is None):
            raise ValueError("Normal takes exactly one of std and logstd.")
        self.mean = tf.convert_to_tensor(mean, dtype=dtype)
        if std is None:
            self.logstd = tf.convert_to_tensor(logstd, dtype=dtype)
            self.std = tf.exp(self.logstd)
        else:
            self.std = tf.convert_to_tensor(std, dtype=dtype)
            self.logstd = tf.log(self.std)
        super().__init__(dtype, dtype, is_reparameterized,
                                     group_ndims)

    def batch_shape(self):
        return tf.broadcast_dynamic_shape(tf.shape(self.mean),
                                          tf.shape(self.std))

    def _sample(self, shape):
        mean, std = self.mean, self.std
        if not self.is_reparameterized:
            mean, std = tf.stop_gradient(mean), tf.stop_gradient(std)
        epsilon = tf.random_normal(shape, dtype=self.dtype)
        return mean + std * epsilon

    def _log_prob(self, given):
        given = tf.cast(given, self.dtype)
        return (-_HALF_LOG_2PI - self.logstd
                - 0.5 * tf.square((given - self.mean) / self.std))


class Bernoulli(Distribution):
    """Univariate Bernoulli given by its log-odds `logits`."""

    def __init__(self, logits, group_ndims=0, dtype="int32"):
        self.logits = tf.convert_to_tensor(logits)
        if not self.logits.dtype.is_floating:
            self.logits = tf.cast(self.logits, tf.float32)
        super().__init__(dtype, self.logits.dtype, False,
                                        group_ndims)

    def batch_shape(self):
        return tf.shape(self.logits)

    def _sample(self, shape):
        uniform = tf.random_uniform(shape, dtype=self.param_dtype)
        return tf.cast(tf.less(uniform, tf.sigmoid(self.logits)), self.dtype)

    def _log_prob(self, given):
        # x * logits - softplus(logits) = log sigmoid(l) or log sigmoid(-l):
        # stable for any logits, and it broadcasts given against logits.
        given = tf.cast(given, self.param_dtype)
        return given * self.logits - tf.nn.softplus(self.logits)
