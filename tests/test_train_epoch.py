"""The training loop feeds the blog's batches: the same digits in the same
order as the original's in-place np.random.shuffle of the images."""
import numpy as np

from vae_digits.models.graph import ModelGraph
from vae_digits.training import loop


class RecordingSession:
    """Stands in for a session: records each fed batch, returns its mean
    as the lower bound."""

    def __init__(self):
        self.batches = []

    def run(self, fetches, feed_dict):
        batch = feed_dict["train_x"]
        self.batches.append(batch.copy())
        return [None, float(batch.mean())]


def test_batches_are_those_of_the_blogs_in_place_shuffle():
    images = np.random.RandomState(0).rand(1000, 6).astype(np.float32)
    graph = ModelGraph(infer_op="infer_op", train_x="train_x",
                       train_metrics={"lower_bound": "lower_bound"})
    sess, rng, order = RecordingSession(), np.random.RandomState(3), \
        np.arange(len(images))
    means = [loop.train_epoch(sess, graph, images, order, 128, rng, epoch)
             for epoch in (1, 2, 3)]

    blog_images, blog_rng, blog_batches = images.copy(), \
        np.random.RandomState(3), []
    for _ in (1, 2, 3):
        blog_rng.shuffle(blog_images)
        blog_batches += [blog_images[t * 128:(t + 1) * 128].copy()
                         for t in range(len(images) // 128)]
    assert len(sess.batches) == len(blog_batches) == 3 * 7
    for ours, blogs in zip(sess.batches, blog_batches):
        np.testing.assert_array_equal(ours, blogs)
    assert means[0] == {"lower_bound": np.mean(
        [float(b.mean()) for b in blog_batches[:7]])}
