"""Bayesian networks: BayesianNet, StochasticTensor and MetaBayesianNet.

A builder function adds stochastic nodes (`bn.normal`, `bn.bernoulli`) and
named tensors (`bn.deterministic`) to a BayesianNet. Decorated with
`meta_bayesian_net`, calling it gives a MetaBayesianNet whose `observe()`
runs the builder anew with some nodes observed, sharing one set of
variables across calls, and across MetaBayesianNets of the same builder,
when asked to.
"""
import functools
import threading
import weakref
from collections import OrderedDict

from vae_digits.core.compat import tf
from vae_digits.zhusuan.distributions import Bernoulli, Normal
from vae_digits.zhusuan.tensor_like import TensorLike

__all__ = ["StochasticTensor", "BayesianNet", "MetaBayesianNet",
           "meta_bayesian_net", "reuse_variables"]

# Observations handed from MetaBayesianNet.observe() to the BayesianNet
# that its builder creates with no arguments.
_pending_observations = threading.local()


class StochasticTensor(TensorLike):
    """A node of a BayesianNet: its distribution and its value.

    The value is the observation when the node is observed (cast to the
    distribution's dtype) and otherwise one draw of
    `dist.sample(n_samples)`, made once.
    """

    def __init__(self, bn, name, dist, n_samples=None, observation=None):
        self.bn = bn
        self.name = name
        self.dist = dist
        self.n_samples = n_samples
        self._observation = observation
        self._value = None
        self._log_prob = None

    @property
    def is_observed(self):
        return self._observation is not None

    @property
    def tensor(self):
        if self._value is None:
            if self.is_observed:
                value = tf.convert_to_tensor(self._observation)
                self._value = tf.cast(value, self.dist.dtype) \
                    if value.dtype != self.dist.dtype else value
            else:
                self._value = self.dist.sample(self.n_samples)
        return self._value

    def log_prob(self, given):
        return self.dist.log_prob(given)

    @property
    def cond_log_p(self):
        """log p of this node's own value given its parents (built once)."""
        if self._log_prob is None:
            self._log_prob = self.dist.log_prob(self.tensor)
        return self._log_prob


class BayesianNet:
    """A directed graphical model built node by node."""

    def __init__(self, observed=None):
        if observed is None:
            observed = getattr(_pending_observations, "value", None)
        self._observed = dict(observed or {})
        self._nodes = OrderedDict()

    @property
    def observed(self):
        return dict(self._observed)

    @property
    def nodes(self):
        return OrderedDict(self._nodes)

    def stochastic(self, name, dist, n_samples=None):
        """Add a stochastic node with distribution `dist`."""
        self._check_new_name(name)
        node = StochasticTensor(self, name, dist, n_samples,
                                self._observed.get(name))
        self._nodes[name] = node
        return node

    def normal(self, name, mean=0., std=None, logstd=None, group_ndims=0,
               n_samples=None, is_reparameterized=True):
        dist = Normal(mean, std=std, logstd=logstd, group_ndims=group_ndims,
                      is_reparameterized=is_reparameterized)
        return self.stochastic(name, dist, n_samples)

    def bernoulli(self, name, logits, group_ndims=0, n_samples=None,
                  dtype="int32"):
        dist = Bernoulli(logits, group_ndims=group_ndims, dtype=dtype)
        return self.stochastic(name, dist, n_samples)

    def deterministic(self, name, tensor):
        """Record `tensor` under `name`; returns it."""
        self._check_new_name(name)
        self._nodes[name] = tensor
        return tensor

    def __getitem__(self, name):
        if name not in self._nodes:
            raise KeyError(f"No node named {name!r} in this BayesianNet; it has "
                           f"{list(self._nodes)}.")
        return self._nodes[name]

    def get(self, names):
        """The nodes named in `names` (a list), or the one named `names`."""
        if isinstance(names, str):
            return self[names]
        return [self[name] for name in names]

    def stochastic_names(self):
        return [name for name, node in self._nodes.items()
                if isinstance(node, StochasticTensor)]

    def cond_log_prob(self, names):
        """Each named stochastic node's log_prob of its own value."""
        if isinstance(names, str):
            return self._stochastic_node(names).cond_log_p
        return [self._stochastic_node(name).cond_log_p for name in names]

    local_log_prob = cond_log_prob

    def log_joint(self):
        """The sum of the log_probs of all stochastic nodes."""
        names = self.stochastic_names()
        if not names:
            raise ValueError("This BayesianNet has no stochastic node.")
        return functools.reduce(lambda a, b: a + b, self.cond_log_prob(names))

    def _stochastic_node(self, name):
        node = self[name]
        if not isinstance(node, StochasticTensor):
            raise ValueError(f"Node {name!r} is deterministic; it has no "
                             "log_prob.")
        return node

    def _check_new_name(self, name):
        if name in self._nodes:
            raise ValueError("This BayesianNet already has a node named "
                             f"{name!r}.")


def reuse_variables(scope):
    """Decorator: the variables a function makes in `scope` are shared.

    The first call in a graph creates them under a fresh variable scope
    named `scope` (or `scope_1`, ... if taken); later calls in that graph
    reuse them. Each decorated function has its own set.
    """
    def decorator(f):
        scopes = weakref.WeakKeyDictionary()

        @functools.wraps(f)
        def wrapped(*args, **kwargs):
            graph = tf.get_default_graph()
            if graph not in scopes:
                with tf.variable_scope(None, default_name=scope) as vs:
                    scopes[graph] = vs
                    return f(*args, **kwargs)
            with tf.variable_scope(scopes[graph], reuse=True):
                return f(*args, **kwargs)
        return wrapped
    return decorator


_share_variables = reuse_variables  # reachable where a flag shadows the name
_shared_builders = {}  # (builder, scope) -> the builder sharing its variables


def _shared_in_scope(f, scope):
    """`f` wrapped once per scope by reuse_variables, so that every
    MetaBayesianNet of one builder shares one set of variables, as
    ZhuSuan's builders share theirs by scope name."""
    key = (f, scope)
    if key not in _shared_builders:
        _shared_builders[key] = _share_variables(scope)(f)
    return _shared_builders[key]


class MetaBayesianNet:
    """A builder with its arguments; `observe()` makes BayesianNets."""

    def __init__(self, f, args=(), kwargs=None, scope=None,
                 reuse_variables=False):
        if reuse_variables and scope is None:
            raise ValueError("reuse_variables=True needs a scope.")
        self._args = args
        self._kwargs = dict(kwargs or {})
        if reuse_variables:
            self._f = _shared_in_scope(f, scope)
        elif scope is not None:
            self._f = _in_new_variable_scope(f, scope)
        else:
            self._f = f

    def observe(self, **observed):
        """Run the builder with the named nodes observed at these values."""
        previous = getattr(_pending_observations, "value", None)
        _pending_observations.value = observed
        try:
            bn = self._f(*self._args, **self._kwargs)
        finally:
            _pending_observations.value = previous
        if not isinstance(bn, BayesianNet):
            raise TypeError("A meta_bayesian_net builder must return a "
                            f"BayesianNet, got {type(bn)!r}.")
        return bn


def _in_new_variable_scope(f, scope):
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        with tf.variable_scope(None, default_name=scope):
            return f(*args, **kwargs)
    return wrapped


def meta_bayesian_net(scope=None, reuse_variables=False):
    """Decorator: calling the builder returns a MetaBayesianNet."""
    def decorator(f):
        @functools.wraps(f)
        def wrapped(*args, **kwargs):
            return MetaBayesianNet(f, args, kwargs, scope=scope,
                                   reuse_variables=reuse_variables)
        return wrapped
    return decorator
