#!/usr/bin/env python3
"""The least time a TensorFlow training step of the blog's VAE takes here.

usage: python benchmarks/step_floor.py DATA_DIR [--epochs 3]

Trains, with `python -m vae_digits.train`'s own epoch loop (batch 128),
a network with only the work that no implementation of the blog's step
can skip: the seven dense layers' matrix products and bias additions,
forward and back (to every weight, and to every layer's input but the
data's), and Adam's updates of the same 1.3 million weights. It has no
nonlinearities, no random numbers and no ELBO; its loss is the squared
distance from the decoder's output to the data. Prints "Epoch N (T s)"
after each epoch.
`train_speed.py --floor` runs it beside the baseline: their ratio is the
best any faithful step can do with TensorFlow's kernels on this machine.
"""
import argparse
import time

import numpy as np

from vae_digits import data
from vae_digits.core import config
from vae_digits.core.compat import tf
from vae_digits.models.graph import ModelGraph
from vae_digits.models.layers import dense
from vae_digits.training import loop


def build_floor_step(x_dim, z_dim, batch_size, learning_rate):
    """The linear stand-in for the VAE, with the parts of a ModelGraph
    that `loop.train_epoch` runs."""
    x = tf.placeholder(tf.float32, [batch_size, x_dim])
    with tf.variable_scope("q_net"):
        h = dense(dense(x, config.HIDDEN_UNITS), config.HIDDEN_UNITS)
        z = dense(h, z_dim) + dense(h, z_dim)
    with tf.variable_scope("gen"):
        h = dense(dense(z, config.HIDDEN_UNITS), config.HIDDEN_UNITS)
        x_logits = dense(h, x_dim)
    optimizer = tf.train.AdamOptimizer(learning_rate)
    loss = tf.reduce_sum(tf.square(x_logits - x))
    step = optimizer.minimize(loss, gate_gradients=optimizer.GATE_GRAPH)
    return ModelGraph(train_x=x, train_metrics={"loss": loss},
                      infer_op=step)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     allow_abbrev=False)
    parser.add_argument("data_dir", help="MNIST-layout IDX directory")
    parser.add_argument("--epochs", type=int, default=3,
                        help="epochs to train (default: 3)")
    args = parser.parse_args()

    rng = np.random.RandomState(1234)
    x_train = data.load_training_data(args.data_dir, rng)[0]
    floor = build_floor_step(x_train.shape[1], config.Z_DIM,
                             config.BATCH_SIZE, config.LEARNING_RATE)
    order = np.arange(len(x_train))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for epoch in range(1, args.epochs + 1):
            start = time.time()
            loop.train_epoch(sess, floor, x_train, order, config.BATCH_SIZE,
                              rng, epoch)
            print(f"Epoch {epoch} ({time.time() - start:.2f}s)",
                  flush=True)


if __name__ == "__main__":
    main()
