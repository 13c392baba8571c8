"""The part of the ZhuSuan 0.4 API that the blog's VAE uses.

Written from ZhuSuan's documentation (see README), on
`tensorflow.compat.v1` in graph mode. Import it as ZhuSuan was imported:

    from vae_digits import zhusuan as zs
"""
from vae_digits.zhusuan import distributions, variational
from vae_digits.zhusuan.evaluation import is_loglikelihood
from vae_digits.zhusuan.framework import (
    BayesianNet, MetaBayesianNet, StochasticTensor, meta_bayesian_net,
    reuse_variables)

__all__ = ["BayesianNet", "MetaBayesianNet", "StochasticTensor",
           "distributions", "is_loglikelihood", "meta_bayesian_net",
           "reuse_variables", "variational"]
