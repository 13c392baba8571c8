"""The part of the ZhuSuan 0.4 API that the blog's VAE uses.

Layer 1: imports `core` only. Written from ZhuSuan's documentation (see
docs/zhusuan.md), on `tensorflow.compat.v1` in graph mode: distributions,
BayesianNet and MetaBayesianNet (framework), the variational objectives
and the importance-sampled log-likelihood. Import it as ZhuSuan was
imported:

    from vae_digits import zhusuan as zs
"""
from vae_digits.zhusuan import distributions, variational
from vae_digits.zhusuan.evaluation import is_loglikelihood
from vae_digits.zhusuan.framework import (
    BayesianNet,
    MetaBayesianNet,
    StochasticTensor,
    meta_bayesian_net,
    reuse_variables,
)

__all__ = ["BayesianNet", "MetaBayesianNet", "StochasticTensor",
           "distributions", "is_loglikelihood", "meta_bayesian_net",
           "reuse_variables", "variational"]
