"""Tests for bugs that once survived the suite when planted: checkpoint
epochs ordered as numbers, a short last batch weighted by its size, a
label out of 0-9 in a data file, the conditional model sampling every
digit, the manifold inside latent_and_manifold.png in its place, and
figures checked against values computed apart (where the old checks
could not fail)."""
import os
import types

import imageio.v3 as iio
import numpy as np
import pytest

import vae_digits
from tests.helpers import write_idx_dir
from vae_digits.checkpoints import saving
from vae_digits.checkpoints.names import complete_checkpoints, latest_checkpoint
from vae_digits.core.errors import UserError
from vae_digits.pictures import figures, latent_space
from vae_digits.pictures.grids import tile
from vae_digits.trained.scores import mean_metrics


def _empty_checkpoints(directory, epochs):
    os.makedirs(directory, exist_ok=True)
    for epoch in epochs:
        for suffix in (".index", ".data-00000-of-00001"):
            with open(os.path.join(directory,
                                   f"vae.epoch.{epoch}.ckpt{suffix}"), "w"):
                pass


def test_checkpoint_epochs_are_ordered_as_numbers_not_text(tmp_path):
    directory = str(tmp_path)
    _empty_checkpoints(directory, [2, 9, 10])
    assert [os.path.basename(p) for p in complete_checkpoints(directory)] \
        == ["vae.epoch.2.ckpt", "vae.epoch.9.ckpt", "vae.epoch.10.ckpt"]
    assert latest_checkpoint(directory).endswith("vae.epoch.10.ckpt")
    kept = saving._delete_old_checkpoints(directory, 10, 2)
    assert [os.path.basename(p) for p in kept] == ["vae.epoch.9.ckpt",
                                                    "vae.epoch.10.ckpt"]
    assert sorted(os.listdir(directory)) == sorted(
        f"vae.epoch.{e}.ckpt{s}" for e in (9, 10)
        for s in (".index", ".data-00000-of-00001"))


def test_a_short_last_batch_counts_by_its_size():
    """400 zeros and 100 ones in batches of 400: the mean is 0.2, not the
    mean of the two batch means (0.5)."""
    x = np.concatenate([np.zeros(400), np.ones(100)])[:, None]
    graph = types.SimpleNamespace(
        test_metrics={"value": "value"}, x_input="x", n=None,
        labels_input=None, log_weights_logsumexp=None)
    session = types.SimpleNamespace(
        run=lambda fetches, feed: {"value": float(np.mean(feed["x"]))})
    assert mean_metrics(session, graph, x, None, 400)["value"] == \
        pytest.approx(0.2)


def test_a_label_beyond_nine_is_a_clear_error(tmp_path):
    rng = np.random.RandomState(0)
    labels = rng.randint(10, size=60)
    labels[7] = 10
    directory = write_idx_dir(str(tmp_path), rng.randint(256, size=(60, 28, 28)),
                              labels, rng.randint(256, size=(10, 28, 28)),
                              rng.randint(10, size=10))
    with pytest.raises(UserError, match="are not 0-9"):
        vae_digits.data.load_mnist_realval(directory)


@pytest.fixture(scope="module")
def conditional_dir(tmp_path_factory, small_mnist):
    root = tmp_path_factory.mktemp("gaps_conditional")
    return vae_digits.train(model="conditional", epochs=1, seed=3,
                            train_images=300, data_path=small_mnist,
                            checkpoint_dir=root / "c", result_dir=root / "r")


def test_the_conditional_model_samples_every_digit(conditional_dir,
                                                   monkeypatch):
    with vae_digits.load(conditional_dir) as vae:
        decoded = []
        real_decode = vae.decode
        monkeypatch.setattr(vae, "decode", lambda codes: (
            decoded.append(np.asarray(codes)), real_decode(codes))[1])
        vae.sample(500, seed=1)
    digits = decoded[0][:, vae.z_dim:].argmax(axis=1)
    assert set(digits) == set(range(10))
    assert np.bincount(digits).min() > 25  # each about 50 of 500


def test_accuracy_is_the_share_the_classifier_gets_right(conditional_dir,
                                                         small_mnist):
    x, t = vae_digits.data.load_mnist_test(small_mnist, one_hot=False)
    with vae_digits.load(conditional_dir) as vae:
        report = vae.evaluate(x[:300], t[:300])
        guessed = vae.classify(x[:300]).argmax(axis=1)
    assert report["classifier_accuracy"] == pytest.approx(
        np.mean(guessed == t[:300]), abs=1e-6)


def test_the_kl_is_the_analytic_kl_of_the_encoder(served_conv_dir,
                                                  small_mnist):
    x, _ = vae_digits.data.load_mnist_test(small_mnist, one_hot=False)
    with vae_digits.load(served_conv_dir) as vae:
        report = vae.evaluate(x[:100], n_particles=2)
        means, stds = vae.encode(x[:100], std=True)
    kl = 0.5 * np.sum(means ** 2 + stds ** 2 - np.log(stds ** 2) - 1, axis=1)
    assert report["kl"] == pytest.approx(kl.mean(), rel=1e-4)


def test_the_manifold_beside_the_scatter_is_the_decoded_grid(
        served_conv_dir, small_mnist, tmp_path, monkeypatch):
    shown = {}
    real = figures.write_latent_and_manifold
    monkeypatch.setattr(figures, "write_latent_and_manifold",
                        lambda *args: (shown.update(manifold=args[3]),
                                       real(*args))[1])
    x, t = vae_digits.data.load_mnist_test(small_mnist, one_hot=False)
    with vae_digits.load(served_conv_dir) as vae:
        latent_space.write_manifold(vae, x[:50], t[:50], 5, 2., str(tmp_path))
        grid = vae.decode(latent_space.grid_codes(5, 2.))
    png = iio.imread(tmp_path / "manifold.png")
    np.testing.assert_array_equal(png, tile(grid, (5, 5)))
    np.testing.assert_allclose(shown["manifold"] * 255., png, atol=0.5)
    # the top left image is z = (-2, 2), the bottom right (2, -2)
    np.testing.assert_allclose(shown["manifold"][:28, :28],
                               grid[0], atol=1e-6)
    np.testing.assert_allclose(shown["manifold"][-28:, -28:],
                               grid[-1], atol=1e-6)


def test_the_plane_keeps_distances_within_a_flat_cloud():
    rng = np.random.RandomState(0)
    flat = np.column_stack([3 * rng.randn(200), rng.randn(200),
                            0.001 * rng.randn(200)])
    rotation, _ = np.linalg.qr(rng.randn(3, 3))
    points, _ = figures.project_2d(flat @ rotation.T + 40.)

    def distances(a):
        return np.linalg.norm(a[:, None] - a[None], axis=-1)
    np.testing.assert_allclose(distances(points), distances(flat[:, :2]),
                               atol=0.01)


def test_the_latent_picture_draws_each_class_in_its_colour(tmp_path):
    import matplotlib
    points = np.repeat(np.arange(10.)[:, None], 2, axis=1)
    labels = np.arange(10)
    path = str(tmp_path / "latent.png")
    figures.write_latent(np.repeat(points, 30, axis=0) + np.random.RandomState(
        1).randn(300, 2) * 0.05, np.repeat(labels, 30), [str(k) for k in
                                                          range(10)],
                         ("z1", "z2"), "title", path)
    pixels = iio.imread(path)[..., :3].reshape(-1, 3).astype(int)
    for k in range(10):
        colour = np.array(matplotlib.colormaps["tab10"](k)[:3]) * 255
        assert (np.abs(pixels - colour).max(axis=1) < 40).sum() > 20, k
