"""Writing the pictures of a trained graph in a session.

- `random_samples.png` (and `vae.epoch.N.png` during training): 100
  digits decoded from z ~ N(0, I);
- `i.png`: `n_samples` decodings of z ~ q(z | x) for the i-th chosen
  test digit, with `std_noise` added to the encoder's log-std;
- `reconstructions.png`: chosen test digits, each above the x_mean
  decoded from its encoder's mean;
- `conditioned_samples.png` (a model conditioned on the digit): rows of
  one z from the prior each, decoded with every requested digit.
Used by `generate` and by `train`.
"""
import os

import numpy as np

from vae_digits.config import (CONDITIONED_ROWS, CONDITIONED_SAMPLES_NAME,
                               GRID_SHAPE,
                               ENCODE_BATCH_SIZE, IMAGE_SHAPE, N_CLASSES,
                               RANDOM_SAMPLES_NAME,
                               RECONSTRUCTIONS_NAME)
from vae_digits.images import grid_shape, save_image_collections

__all__ = ["encode_means", "write_random_samples", "write_digit_samples",
           "write_reconstructions", "decode_conditioned", "write_conditioned", "write_all",
           "write_defaults"]


def encode_means(sess, graph, x, batch_size=ENCODE_BATCH_SIZE):
    """The encoder's means of the images `x`, [N, z_dim], in batches."""
    return np.concatenate([
        sess.run(graph.latent_means, {graph.x_input: x[i:i + batch_size]})
        for i in range(0, len(x), batch_size)]) if len(x) else \
        np.zeros((0, int(graph.latent_means.shape[-1])), np.float32)


def write_random_samples(sess, graph, result_dir, name=RANDOM_SAMPLES_NAME):
    """A 10 x 10 grid of digits from the prior, as `name`."""
    n_images = GRID_SHAPE[0] * GRID_SHAPE[1]
    images = sess.run(graph.random_images,
                      feed_dict={graph.n: n_images, graph.n_particles: 1})
    path = os.path.join(result_dir, name)
    save_image_collections(images, path, shape=GRID_SHAPE)
    return [path]


def write_digit_samples(sess, graph, digits, n_samples, std_noise,
                        result_dir):
    """0.png, 1.png, ...: `n_samples` variations of each binarised digit in
    `digits` ([N, x_dim]), all drawn in one run of the graph."""
    samples = sess.run(graph.encoded_images, feed_dict={
        graph.x_input: digits, graph.n: len(digits),
        graph.n_particles: n_samples, graph.std_noise: std_noise})
    paths = []
    for i in range(len(digits)):
        images = samples[:, i].reshape((n_samples,) + IMAGE_SHAPE + (1,))
        path = os.path.join(result_dir, "{}.png".format(i))
        save_image_collections(images, path, shape=grid_shape(n_samples))
        paths.append(path)
    return paths


def write_reconstructions(sess, graph, digits, result_dir):
    """reconstructions.png: rows of up to 10 binarised digits from `digits`
    ([N, x_dim]), each row followed by their reconstructions."""
    reconstructions = sess.run(graph.reconstructions,
                               feed_dict={graph.x_input: digits})
    rows, columns = grid_shape(len(digits))
    pairs = np.zeros((rows * columns, 2) + IMAGE_SHAPE, np.float32)
    pairs[:len(digits), 0] = digits.reshape((-1,) + IMAGE_SHAPE)
    pairs[:len(digits), 1] = reconstructions.reshape((-1,) + IMAGE_SHAPE)
    # [rows, columns, 2, ...] -> [rows, 2, columns, ...]: digit rows
    # alternate with their reconstruction rows
    images = pairs.reshape((rows, columns, 2) + IMAGE_SHAPE).swapaxes(1, 2)
    path = os.path.join(result_dir, RECONSTRUCTIONS_NAME)
    save_image_collections(images.reshape((-1,) + IMAGE_SHAPE), path,
                           shape=(2 * rows, columns))
    return [path]


def write_all(sess, graph, digits, n_samples, std_noise, result_dir):
    """Random samples, then the samples of each binarised digit in `digits`
    ([N, x_dim], N may be 0). Returns the paths written."""
    paths = write_random_samples(sess, graph, result_dir)
    if len(digits):
        paths += write_digit_samples(sess, graph, digits, n_samples,
                                     std_noise, result_dir)
    return paths


def decode_conditioned(sess, graph, labels, n_rows, rng):
    """[n_rows * len(labels), x_dim]: `n_rows` draws z ~ N(0, I) from
    `rng`, each decoded with the one-hot class of every one of `labels`
    in place of the classifier's output."""
    z_dim = int(graph.code_input.shape[-1]) - N_CLASSES
    z = np.repeat(rng.randn(n_rows, z_dim), len(labels), axis=0)
    classes = np.tile(np.eye(N_CLASSES)[list(labels)], [n_rows, 1])
    return sess.run(graph.decoded,
                    {graph.code_input: np.hstack([z, classes])})


def write_conditioned(sess, graph, labels, n_rows, rng, result_dir):
    """conditioned_samples.png: decode_conditioned's images, a row per z,
    so a row shows one style across the digits."""
    images = decode_conditioned(sess, graph, labels, n_rows, rng)
    path = os.path.join(result_dir, CONDITIONED_SAMPLES_NAME)
    save_image_collections(images.reshape((-1,) + IMAGE_SHAPE), path,
                           shape=(n_rows, len(labels)))
    return [path]


def write_defaults(sess, graph, digits, n_samples, std_noise, result_dir,
                   rng):
    """What `generate` writes by default: write_all, or for a model
    conditioned on the digit, random samples and ten rows of the digits
    0-9. Returns the paths written."""
    if graph.labels_input is None:
        return write_all(sess, graph, digits, n_samples, std_noise,
                         result_dir)
    return write_random_samples(sess, graph, result_dir) + write_conditioned(
        sess, graph, range(N_CLASSES), CONDITIONED_ROWS, rng, result_dir)
