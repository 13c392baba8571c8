#!/usr/bin/env python3
"""Where a training step's time goes: TensorFlow's step stats by op type.

usage: python benchmarks/profile_step.py DATA_DIR [--steps 200]
           [--rounds 1] [--traced-steps 20] [--inter-op-threads N]

Builds the package's training graph (as `python -m vae_digits.train`
does), runs --steps steps of batch 128 to time them, then traces
--traced-steps more with RunOptions.FULL_TRACE and prints each op type's
share of the op time (summed over both cores, so it exceeds the step's
wall time when ops overlap). Set TF_ENABLE_ONEDNN_OPTS=0 to see
TensorFlow's own kernels instead of oneDNN's, TF_XLA_FLAGS="--tf_xla_auto_jit=2
--tf_xla_cpu_global_jit" to have XLA compile what it can of the step,
and --inter-op-threads to change the session's thread split: the
candidates docs/performance.md reports. --rounds times --steps that many times.
"""
import argparse
import collections
import time

import numpy as np
from tracing import op_type

from vae_digits import data
from vae_digits.core import config
from vae_digits.core.compat import tf
from vae_digits.models.mlp import build_graph


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     allow_abbrev=False)
    parser.add_argument("data_dir", help="MNIST-layout IDX directory")
    parser.add_argument("--steps", type=int, default=200,
                        help="timed steps (default: 200)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="time --steps steps this many times (default: 1)")
    parser.add_argument("--traced-steps", type=int, default=20,
                        help="traced steps (default: 20)")
    parser.add_argument("--inter-op-threads", type=int, default=0,
                        help="the session's inter-op threads (default: 0, "
                             "TensorFlow's choice)")
    args = parser.parse_args()

    batch_size = config.BATCH_SIZE
    x_train = data.load_training_data(args.data_dir,
                                       np.random.RandomState(0))[0]
    with tf.Graph().as_default() as tf_graph:
        graph = build_graph(x_train.shape[1], config.Z_DIM,
                            learning_rate=config.LEARNING_RATE, seed=0,
                            batch_size=batch_size)
        init = tf.global_variables_initializer()
        tf_graph.finalize()
    n_batches = x_train.shape[0] // batch_size
    session_config = tf.ConfigProto(
        inter_op_parallelism_threads=args.inter_op_threads)
    with tf.Session(graph=tf_graph, config=session_config) as sess:
        sess.run(init)

        def step(t, **kwargs):
            batch = x_train[(t % n_batches) * batch_size:
                            (t % n_batches + 1) * batch_size]
            sess.run([graph.infer_op, graph.train_lower_bound],
                     feed_dict={graph.train_x: batch}, **kwargs)

        for t in range(20):  # warm-up: memory pools, oneDNN primitives
            step(t)
        for _ in range(args.rounds):
            start = time.time()
            for t in range(args.steps):
                step(t)
            seconds = (time.time() - start) / args.steps
            print(f"{seconds * 1e3:.2f} ms per step untraced, "
                  f"{seconds * n_batches:.2f} s per epoch of {n_batches} "
                  "steps", flush=True)

        micros = collections.Counter()
        counts = collections.Counter()
        options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        for t in range(args.traced_steps):
            metadata = tf.RunMetadata()
            step(t, options=options, run_metadata=metadata)
            for device in metadata.step_stats.dev_stats:
                for node in device.node_stats:
                    micros[op_type(node)] += node.all_end_rel_micros
                    counts[op_type(node)] += 1
    total = sum(micros.values())
    print(f"op time per traced step: {total / args.traced_steps / 1e3:.2f} "
          "ms (summed over threads)")
    print(f"{'ms/step':>8} {'share':>6} {'ops':>6}  op")
    for name, value in micros.most_common(15):
        print(f"{value / args.traced_steps / 1e3:8.2f} "
              f"{100. * value / total:5.1f}% "
              f"{counts[name] / args.traced_steps:6.0f}  {name}")


if __name__ == "__main__":
    main()
