"""A linear-Gaussian latent model whose log p(x) and posterior are known
in closed form, for checking the estimators of log p(x):
z ~ N(0, I_d), x | z ~ N(W z + b, s^2 I_D), so p(x) = N(b, W W^T + s^2 I).
W's columns are orthogonal, so the posterior is a diagonal Gaussian,
N(mu(x), diag(1 / (1 + lambda^2 / s^2))), which the package's Normal can
be."""
import numpy as np

from vae_digits import zhusuan as zs
from vae_digits.core.compat import tf


class LinearGaussian:
    """The model with latent dimension `d`, data dimension `D`, column
    norms `scales` (d of them) and noise `s`, drawn from `seed`."""

    def __init__(self, d=5, D=12, s=0.5, scales=None, seed=0):
        rng = np.random.RandomState(seed)
        basis = np.linalg.qr(rng.randn(D, d))[0]
        self.scales = np.linspace(0.5, 3., d) if scales is None \
            else np.asarray(scales, float)
        self.W = basis * self.scales
        self.b = rng.randn(D)
        self.s, self.d, self.D = s, d, D

    def log_marginal(self, x):
        """log p(x) of each row of `x`, exactly."""
        cov = self.W @ self.W.T + self.s ** 2 * np.eye(self.D)
        diff = np.atleast_2d(x) - self.b
        _, logdet = np.linalg.slogdet(cov)
        mahalanobis = np.einsum("nd,de,ne->n", diff, np.linalg.inv(cov), diff)
        return -0.5 * (self.D * np.log(2 * np.pi) + logdet + mahalanobis)

    def posterior(self, x):
        """(means [n, d], standard deviations [d]) of p(z | x)."""
        variance = 1. / (1. + self.scales ** 2 / self.s ** 2)
        means = (np.atleast_2d(x) - self.b) @ self.W * variance / self.s ** 2
        return means, np.sqrt(variance)

    def simulate(self, n, rng):
        """(x [n, D], the z [n, d] each was drawn from)."""
        z = rng.randn(n, self.d)
        return z @ self.W.T + self.b + self.s * rng.randn(n, self.D), z

    def meta_bn(self):
        """The model as a MetaBayesianNet: build(n, n_particles)."""
        W = tf.constant(self.W.T, tf.float32)
        b = tf.constant(self.b, tf.float32)

        @zs.meta_bayesian_net()
        def build(n, n_particles=None):
            bn = zs.BayesianNet()
            z = bn.normal("z", tf.zeros([n, self.d]), std=1., group_ndims=1,
                          n_samples=n_particles)
            bn.normal("x", tf.tensordot(z, W, 1) + b, std=self.s,
                      group_ndims=1)
            return bn
        return build

    def exact_posterior(self, x, n_particles=None):
        """p(z | x) as a MetaBayesianNet drawing `n_particles`."""
        means, stds = self.posterior(x)

        @zs.meta_bayesian_net()
        def build():
            bn = zs.BayesianNet()
            bn.normal("z", means.astype(np.float32),
                      std=np.broadcast_to(stds, means.shape).astype(np.float32),
                      group_ndims=1, n_samples=n_particles)
            return bn
        return build()
