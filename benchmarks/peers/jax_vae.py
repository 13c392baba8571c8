#!/usr/bin/env python3
"""The blog's VAE in idiomatic JAX: a peer to time the package against.

usage: python benchmarks/peers/jax_vae.py DATA_DIR [EPOCHS] [N_TRAIN]

The same model and math as the package's default path: 784-500-500-40
Gaussian encoder, 40-500-500-784 Bernoulli decoder, Glorot-uniform
kernels and zero biases, digits binarised afresh each step, one sample
of z, the SGVB estimate of the ELBO, Adam at 1e-3 (written out: the same
update as TensorFlow's, epsilon 1e-8 outside the square root), batches
of 128 of the digits shuffled every epoch. The whole step, the
binarisation and the noise from `jax.random` included, is one
`jax.jit`-compiled function; the parameters and Adam's moments live on
the device between steps, and only the batch goes in. Prints one line
per epoch as the original script did: "Epoch N (T.Ts): Lower bound =
LB". Needs the `bench` extra (pip install -e ".[bench]"); the package
never imports JAX.
"""
import gzip
import os
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

LAYERS = {"q_net": [(784, 500), (500, 500), (500, 40), (500, 40)],
          "gen": [(40, 500), (500, 500), (500, 784)]}
LEARNING_RATE, BETA1, BETA2, EPSILON = 1e-3, 0.9, 0.999, 1e-8
BATCH_SIZE = 128
LOG_2PI = float(np.log(2 * np.pi))


def load_images(data_dir):
    with gzip.open(os.path.join(data_dir, "train-images-idx3-ubyte.gz")) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    return (x / 255.0).astype(np.float32)


def init_params(key):
    """{net: [(kernel, bias)]}, Glorot-uniform kernels and zero biases."""
    params = {}
    for net, shapes in LAYERS.items():
        params[net] = []
        for fan_in, fan_out in shapes:
            key, sub = jax.random.split(key)
            limit = np.sqrt(6. / (fan_in + fan_out))
            params[net].append((jax.random.uniform(
                sub, (fan_in, fan_out), jnp.float32, -limit, limit),
                jnp.zeros(fan_out, jnp.float32)))
    return params


def lower_bound(params, x, eps):
    """The batch's mean one-sample ELBO of binary digits x, with noise eps."""
    (w1, b1), (w2, b2), (wm, bm), (ws, bs) = params["q_net"]
    h = jax.nn.relu(jax.nn.relu(x @ w1 + b1) @ w2 + b2)
    z_mean, z_logstd = h @ wm + bm, h @ ws + bs
    z = z_mean + jnp.exp(z_logstd) * eps
    (v1, c1), (v2, c2), (vo, co) = params["gen"]
    logits = jax.nn.relu(jax.nn.relu(z @ v1 + c1) @ v2 + c2) @ vo + co
    log_px_z = jnp.sum(x * logits - jax.nn.softplus(logits), -1)
    log_pz = jnp.sum(-0.5 * z ** 2 - 0.5 * LOG_2PI, -1)
    log_qz = jnp.sum(-0.5 * eps ** 2 - z_logstd - 0.5 * LOG_2PI, -1)
    return jnp.mean(log_px_z + log_pz - log_qz)


@jax.jit
def step(params, moments, t, key, x_grey):
    """One Adam step on a batch of grey digits: (params, moments, t + 1,
    the next key, the batch's lower bound)."""
    key, binarise, noise = jax.random.split(key, 3)
    x = (jax.random.uniform(binarise, x_grey.shape) < x_grey).astype(
        jnp.float32)
    eps = jax.random.normal(noise, (x.shape[0], 40))
    value, grads = jax.value_and_grad(lower_bound)(params, x, eps)
    t = t + 1
    rate = LEARNING_RATE * jnp.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t)
    tree_map = jax.tree_util.tree_map
    first = tree_map(lambda m, g: BETA1 * m + (1 - BETA1) * g,
                     moments[0], grads)
    second = tree_map(lambda v, g: BETA2 * v + (1 - BETA2) * g * g,
                      moments[1], grads)
    # ascent on the bound: TensorFlow's descent on minus it, term for term
    params = tree_map(lambda p, m, v: p + rate * m / (jnp.sqrt(v) + EPSILON),
                      params, first, second)
    return params, (first, second), t, key, value


def main():
    data_dir = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    x_train = load_images(data_dir)
    if len(sys.argv) > 3:
        x_train = x_train[:int(sys.argv[3])]
    rng = np.random.RandomState(1234)
    key = jax.random.PRNGKey(1234)
    key, sub = jax.random.split(key)
    params = init_params(sub)
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    moments, t = (zeros, zeros), jnp.zeros((), jnp.float32)
    iters = len(x_train) // BATCH_SIZE
    for epoch in range(1, epochs + 1):
        start = time.time()
        rng.shuffle(x_train)
        values = []
        for i in range(iters):
            batch = x_train[i * BATCH_SIZE:(i + 1) * BATCH_SIZE]
            params, moments, t, key, value = step(params, moments, t, key,
                                                  batch)
            values.append(value)
        lb = float(np.mean(jax.device_get(values)))
        print(f"Epoch {epoch} ({time.time() - start:.1f}s): Lower bound = "
              f"{lb}", flush=True)


if __name__ == "__main__":
    main()
