#!/usr/bin/env python3
"""How near `evaluate`'s importance sampling runs to its matrix products.

usage: python benchmarks/evaluate_speed.py CHECKPOINT_DIR DATA_DIR
           [--images 2000] [--particles 1000] [--rounds 2] [--traced 5]

Loads a trained blog's model (vae_digits.load) and times, in the order
evaluate, products, products, evaluate (--rounds times):
- evaluate: `vae.evaluate` on the first --images test images with
  --particles draws of q(z | x) per image, as `python -m
  vae_digits.evaluate --n-images N` computes its figures;
- products: the decoder's three matrix products alone, at the shapes
  evaluate runs them (batches of 400 images, chunks of at most
  IS_ROWS_PER_RUN codes), on codes held in the graph: no random numbers,
  no biases or nonlinearities, no log-probabilities. No implementation
  of the same estimate can do less with TensorFlow's kernels.
Prints each time, the medians, their ratio and the products' GFLOP/s;
then traces --traced runs of one chunk (400 images, the particles that
fit in IS_ROWS_PER_RUN codes) and prints each op type's share of its op
time.
"""
import argparse
import time

import machine
import numpy as np
import tracing

import vae_digits
from vae_digits.core import config
from vae_digits.data import load_test_set
from vae_digits.trained.scores import _feed, particle_chunks


def products_floor(z_dim, chunk_rows):
    """(session, target): one run of `target` is the decoder's three
    products for `chunk_rows` codes."""
    from vae_digits.core.compat import tf
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.RandomState(0)
        z = tf.constant(rng.randn(chunk_rows, z_dim).astype(np.float32))
        h = z
        for width in (config.HIDDEN_UNITS, config.HIDDEN_UNITS, config.X_DIM):
            weights = rng.randn(int(h.shape[-1]), width).astype(np.float32)
            h = tf.matmul(h, tf.constant(weights * 0.05))
    return tf.Session(graph=graph), h.op


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     allow_abbrev=False)
    parser.add_argument("checkpoint_dir")
    parser.add_argument("data_dir", help="MNIST-layout IDX directory")
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--particles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--traced", type=int, default=5,
                        help="chunks traced for the op breakdown")
    args = parser.parse_args()
    print(f"CPU: {machine.describe()}", flush=True)
    batch = config.TEST_BATCH_SIZE
    with vae_digits.load(args.checkpoint_dir) as vae:
        x = load_test_set(vae.dataset, args.data_dir, vae.binarized, 0)[0]
        x = x[:args.images].reshape(-1, config.X_DIM)
        runs = [size * min(batch, len(x) - start)
                for start in range(0, len(x), batch)
                for size in particle_chunks(args.particles,
                                            min(batch, len(x) - start))]
        session, target = products_floor(vae.z_dim, max(runs))
        session.run(target)  # oneDNN's primitives made once

        def products():
            for _ in runs:
                session.run(target)

        times = {"evaluate": [], "products": []}
        for _ in range(args.rounds):
            for name in ("evaluate", "products", "products", "evaluate"):
                start = time.time()
                if name == "evaluate":
                    report = vae.evaluate(x, n_particles=args.particles)
                else:
                    products()
                times[name].append(time.time() - start)
                print(f"{name}: {times[name][-1]:.2f} s", flush=True)
        session.close()
        shares = chunk_op_shares(vae, x[:batch], runs[0] // len(x[:batch]),
                                 args.traced)
    rows = sum(runs)
    flop = 2 * rows * (vae.z_dim * config.HIDDEN_UNITS + config.HIDDEN_UNITS
                       ** 2 + config.HIDDEN_UNITS * config.X_DIM)
    median = {name: float(np.median(t)) for name, t in times.items()}
    print(f"{len(x)} images, {args.particles} particles ({len(runs)} runs "
          f"of at most {max(runs)} codes; {flop / 1e12:.2f} TFLOP of "
          f"products): log-likelihood {report['log_likelihood']:.2f}")
    print(f"evaluate: median {median['evaluate']:.2f} s, minimum "
          f"{min(times['evaluate']):.2f} s")
    print(f"products: median {median['products']:.2f} s, minimum "
          f"{min(times['products']):.2f} s, "
          f"{flop / median['products'] / 1e9:.0f} GFLOP/s")
    print(f"ratio: {median['evaluate'] / median['products']:.3f} "
          "(evaluate / products, medians)")
    print("op time of one chunk, by op type:")
    for kind, share in list(shares.items())[:12]:
        print(f"  {kind:<28} {100 * share:5.1f}%")


def chunk_op_shares(vae, images, particles, runs):
    """{op type: share of the op time} of `runs` traced runs of one chunk
    of `particles` draws for each of `images`, as evaluate runs it."""
    graph, session = vae._graph, vae._session
    feed = _feed(graph, images)
    feed.update(zip(graph.proposal, session.run(graph.proposal, feed)))
    feed[graph.n_particles] = particles
    return tracing.op_time_shares(session, graph.log_weights_logsumexp,
                                  feed, runs)[0]


if __name__ == "__main__":
    main()
