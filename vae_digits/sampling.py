"""Writing the blog's pictures from a trained graph in a session.

`random_samples.png` holds 100 digits decoded from z ~ N(0, I); `i.png`
holds `n_samples` decodings of z ~ q(z | x) for the i-th chosen test
digit, with `std_noise` added to the encoder's log-std. Used by
`generate` and at the end of `train`.
"""
import os

from vae_digits.config import GRID_SHAPE, IMAGE_SHAPE, RANDOM_SAMPLES_NAME
from vae_digits.images import grid_shape, save_image_collections

__all__ = ["write_random_samples", "write_digit_samples", "write_all"]


def write_random_samples(sess, graph, result_dir):
    """random_samples.png: a 10 x 10 grid of digits from the prior."""
    n_images = GRID_SHAPE[0] * GRID_SHAPE[1]
    images = sess.run(graph.random_images,
                      feed_dict={graph.n: n_images, graph.n_particles: 1})
    path = os.path.join(result_dir, RANDOM_SAMPLES_NAME)
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


def write_all(sess, graph, digits, n_samples, std_noise, result_dir):
    """Random samples, then the samples of each binarised digit in `digits`
    ([N, x_dim], N may be 0). Returns the paths written."""
    paths = write_random_samples(sess, graph, result_dir)
    if len(digits):
        paths += write_digit_samples(sess, graph, digits, n_samples,
                                     std_noise, result_dir)
    return paths
