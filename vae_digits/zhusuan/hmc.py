"""Hamiltonian Monte Carlo, as ZhuSuan's `zs.HMC`.

`HMC(...).sample(meta_bn, observed, latent)` builds, once, the graph of
one Metropolis-corrected leapfrog trajectory for every chain: `latent`
maps each latent name to a `tf.Variable` holding the chains' state, and
running the returned op moves it. The target is `meta_bn`'s log joint
with `observed` and the latents observed at the state (or, when
`meta_bn` is a plain function, its value on that dict); each element of
the target's batch shape is a chain with its own Metropolis test. With
`adapt_step_size`, the step size follows Nesterov dual averaging
(Hoffman and Gelman, 2014) towards `target_acceptance_rate`; with
`adapt_mass`, each coordinate's mass becomes the inverse of its running
variance once `mass_collect_iters` samples are in.
"""
import math

from vae_digits.core.compat import tf

__all__ = ["HMC", "HMCInfo"]


class HMCInfo:
    """What one run of HMC's sample op reports: `acceptance_rate` (per
    chain), `updated_step_size`, `orig_log_prob` and `log_prob` (the
    target's log density before and after, per chain)."""

    def __init__(self, acceptance_rate, updated_step_size, orig_log_prob,
                 log_prob):
        self.acceptance_rate = acceptance_rate
        self.updated_step_size = updated_step_size
        self.orig_log_prob = orig_log_prob
        self.log_prob = log_prob


class HMC:
    """A Hamiltonian Monte Carlo sampler; see the module's docstring."""

    def __init__(self, step_size=0.1, n_leapfrogs=10, adapt_step_size=None,
                 target_acceptance_rate=0.8, gamma=0.05, t0=100, kappa=0.75,
                 adapt_mass=None, mass_collect_iters=10, mass_decay=0.99):
        if not (step_size > 0 and math.isfinite(step_size)):
            raise ValueError(f"step_size must be positive, got {step_size}.")
        if isinstance(n_leapfrogs, bool) or int(n_leapfrogs) != n_leapfrogs \
                or n_leapfrogs < 1:
            raise ValueError("n_leapfrogs must be a positive int, got "
                             f"{n_leapfrogs!r}.")
        if not 0 < target_acceptance_rate < 1:
            raise ValueError("target_acceptance_rate must lie in (0, 1), got "
                             f"{target_acceptance_rate}.")
        self.initial_step_size = float(step_size)
        self.n_leapfrogs = int(n_leapfrogs)
        self.adapt_step_size = adapt_step_size
        self.target_acceptance_rate = float(target_acceptance_rate)
        self.gamma, self.t0, self.kappa = float(gamma), float(t0), float(kappa)
        self.adapt_mass = adapt_mass
        self.mass_collect_iters = int(mass_collect_iters)
        self.mass_decay = float(mass_decay)
        self.initializer = None  # resets the adaptation; set by sample()

    def sample(self, meta_bn, observed, latent):
        """(sample_op, HMCInfo) of one trajectory per chain; see above."""
        if not latent:
            raise ValueError("HMC needs at least one latent variable.")
        names = list(latent)
        variables = [latent[name] for name in names]

        def log_prob_and_gradients(values):
            log_p = _log_density(meta_bn, observed, dict(zip(names, values)))
            return log_p, tf.gradients(tf.reduce_sum(log_p), values)

        with tf.variable_scope(None, default_name="hmc"):
            state = _AdaptationState(self, variables)
        start = [tf.identity(v) for v in variables]
        log_p0, gradients0 = log_prob_and_gradients(start)
        event_ndims = [v.shape.ndims - log_p0.shape.ndims for v in variables]
        masses = state.masses()
        momenta = [tf.sqrt(m) * tf.random_normal(tf.shape(v))
                   for v, m in zip(start, masses)]
        end, end_momenta, log_p1 = self._leapfrogs(
            start, momenta, gradients0, log_p0, masses, state.step_size,
            log_prob_and_gradients)
        kinetic0 = _kinetic(momenta, masses, event_ndims)
        kinetic1 = _kinetic(end_momenta, masses, event_ndims)
        log_accept = (log_p1 - kinetic1) - (log_p0 - kinetic0)
        acceptance = tf.where(tf.is_nan(log_accept), tf.zeros_like(log_accept),
                              tf.exp(tf.minimum(log_accept, 0.)))
        accept = tf.random_uniform(tf.shape(acceptance)) < acceptance
        new_values = [tf.where(_expand(accept, v, n), e, s)
                      for v, n, e, s in zip(variables, event_ndims, end, start)]
        log_p = tf.where(accept, log_p1, log_p0)
        new_step_size, adaptation = state.updates(
            tf.reduce_mean(acceptance), new_values)
        sample_op = tf.group(
            *[v.assign(value) for v, value in zip(variables, new_values)],
            *adaptation)
        self.initializer = state.initializer
        return sample_op, HMCInfo(acceptance, new_step_size, log_p0, log_p)

    def _leapfrogs(self, position, momenta, gradients, log_p, masses,
                   step_size, log_prob_and_gradients):
        """(position, momenta, log p) after n_leapfrogs leapfrog steps."""
        momenta = [p + 0.5 * step_size * g for p, g in zip(momenta, gradients)]

        def step(i, position, momenta, gradients, log_p):
            position = [q + step_size * p / m
                        for q, p, m in zip(position, momenta, masses)]
            log_p, gradients = log_prob_and_gradients(position)
            momenta = [p + step_size * g for p, g in zip(momenta, gradients)]
            return i + 1, position, momenta, gradients, log_p

        _, position, momenta, gradients, log_p = tf.while_loop(
            lambda i, *_: i < self.n_leapfrogs, step,
            (tf.constant(0), position, momenta, gradients, log_p),
            back_prop=False, parallel_iterations=1)
        # the last momentum step was a full one; a leapfrog ends on a half
        momenta = [p - 0.5 * step_size * g for p, g in zip(momenta, gradients)]
        return position, momenta, log_p


def _log_density(meta_bn, observed, values):
    """The target's log density at the latent `values`."""
    if callable(meta_bn) and not hasattr(meta_bn, "observe"):
        return meta_bn(dict(observed, **values))
    return meta_bn.observe(**dict(observed, **values)).log_joint()


def _kinetic(momenta, masses, event_ndims):
    """The kinetic energy of each chain, p^2 / 2m summed over its event."""
    energy = 0.
    for p, m, n in zip(momenta, masses, event_ndims):
        half = 0.5 * tf.square(p) / m
        energy += tf.reduce_sum(half, axis=list(range(-n, 0))) if n else half
    return energy


def _expand(accept, value, event_ndims):
    """`accept` (per chain) broadcast against a latent's value."""
    for _ in range(event_ndims):
        accept = tf.expand_dims(accept, -1)
    return tf.broadcast_to(accept, tf.shape(value))


class _AdaptationState:
    """The variables of the step size and mass adaptation, read once at
    the start of a trajectory, and their updates after it."""

    def __init__(self, hmc, latent_variables):
        self.hmc = hmc
        step = hmc.initial_step_size

        def scalar(name, value):
            return tf.Variable(value, name=name, trainable=False,
                               dtype=tf.float32)

        # made outside the caller's control dependencies, which are for
        # the trajectory, not for starting afresh
        with tf.control_dependencies(None):
            self.variables = dict(step_size=scalar("step_size", step),
                                  iteration=scalar("iteration", 0.),
                                  h_bar=scalar("h_bar", 0.),
                                  log_step_bar=scalar("log_step_bar",
                                                      math.log(step)))
            self.moments = []  # (mean, variance) of each latent, adapt_mass
            if _switched_on(hmc.adapt_mass):
                for v in latent_variables:
                    self.moments.append((
                        tf.Variable(tf.zeros(v.shape), trainable=False,
                                    name="mean"),
                        tf.Variable(tf.zeros(v.shape), trainable=False,
                                    name="variance")))
            self.initializer = tf.variables_initializer(
                list(self.variables.values())
                + [v for pair in self.moments for v in pair])
        self.now = {name: tf.identity(v) for name, v in self.variables.items()}
        self.moments_now = [(tf.identity(m), tf.identity(v))
                            for m, v in self.moments]
        self.n_latents = len(latent_variables)

    @property
    def step_size(self):
        return self.now["step_size"]

    def masses(self):
        """Each latent's mass: 1, or once enough samples are in and mass
        adaptation is on, the inverse of its running variance."""
        if not self.moments:
            return [tf.constant(1.)] * self.n_latents
        ready = tf.logical_and(
            tf.cast(self.hmc.adapt_mass, tf.bool),
            self.now["iteration"] >= self.hmc.mass_collect_iters)
        return [tf.where(tf.fill(tf.shape(var), ready),
                         1. / tf.maximum(var, 1e-10), tf.ones_like(var))
                for _, var in self.moments_now]

    def updates(self, mean_acceptance, new_values):
        """(the step size for the next trajectory, the update ops, which
        run once the trajectory's new values are in)."""
        with tf.control_dependencies(new_values + [mean_acceptance]):
            iteration = self.now["iteration"] + 1.
            step_size, values = self._step_size(iteration, mean_acceptance)
            values["iteration"] = iteration
            ops = [self.variables[name].assign(value)
                   for name, value in values.items()]
            ops += self._mass_updates(iteration, new_values)
        return step_size, ops

    def _step_size(self, iteration, mean_acceptance):
        """(the next step size, {state name: its new value}): dual
        averaging while adapt_step_size holds; after it, the average
        step size it reached."""
        hmc, now = self.hmc, self.now
        if not _switched_on(hmc.adapt_step_size):
            return tf.identity(now["step_size"]), {}
        mu = math.log(10. * hmc.initial_step_size)
        rate = 1. / (iteration + hmc.t0)
        h_bar = (1. - rate) * now["h_bar"] + rate * (
            hmc.target_acceptance_rate - mean_acceptance)
        log_step = mu - tf.sqrt(iteration) / hmc.gamma * h_bar
        weight = iteration ** -hmc.kappa
        log_step_bar = weight * log_step + (1. - weight) * now["log_step_bar"]
        adapt = tf.cast(hmc.adapt_step_size, tf.bool)
        step_size = tf.where(adapt, tf.exp(log_step),
                             tf.exp(now["log_step_bar"]))
        return step_size, dict(
            step_size=step_size,
            h_bar=tf.where(adapt, h_bar, now["h_bar"]),
            log_step_bar=tf.where(adapt, log_step_bar, now["log_step_bar"]))

    def _mass_updates(self, iteration, new_values):
        """Each coordinate's running mean and variance: exponentially
        weighted, started at the first sample."""
        ops = []
        decay = self.hmc.mass_decay
        for (mean, var), (mean_now, var_now), value in zip(
                self.moments, self.moments_now, new_values):
            first = tf.fill(tf.shape(value), tf.equal(iteration, 1.))
            difference = value - mean_now
            increment = (1. - decay) * difference
            ops += [mean.assign(tf.where(first, value, mean_now + increment)),
                    var.assign(tf.where(first, tf.zeros_like(value),
                                        decay * (var_now
                                                 + difference * increment)))]
        return ops


def _switched_on(flag):
    """Whether an adapt_* argument asks for adaptation: a bool or a bool
    tensor (whose value decides at run time)."""
    return flag is not None and flag is not False
