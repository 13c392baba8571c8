"""The part of the ZhuSuan 0.4 API that the package's VAEs use.

Layer 1: imports `core` only. Written from ZhuSuan's documentation (see
docs/zhusuan.md), on `tensorflow.compat.v1` in graph mode: distributions,
BayesianNet and MetaBayesianNet (framework), the variational objectives
(the ELBO and the importance-weighted bound, with SGVB and VIMCO),
Hamiltonian Monte Carlo (hmc), and the estimates of log p(x) by
importance sampling and by annealed importance sampling (evaluation).
Import it as ZhuSuan was imported:

    from vae_digits import zhusuan as zs
"""
from vae_digits.zhusuan import distributions, evaluation, variational
from vae_digits.zhusuan.evaluation import is_loglikelihood
from vae_digits.zhusuan.framework import (
    BayesianNet,
    MetaBayesianNet,
    StochasticTensor,
    meta_bayesian_net,
    reuse_variables,
)
from vae_digits.zhusuan.hmc import HMC

__all__ = ["BayesianNet", "HMC", "MetaBayesianNet", "StochasticTensor",
           "distributions", "evaluation", "is_loglikelihood",
           "meta_bayesian_net", "reuse_variables", "variational"]
