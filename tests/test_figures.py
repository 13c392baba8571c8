"""The figures show what they must, read back where the geometry is
known: the projection of a known cloud, axes that hold every point, each
class in its own colour where it lies, and curves only where there is
data."""
import imageio.v3 as iio
import matplotlib
import numpy as np

from vae_digits.pictures import figures
from vae_digits.training.record import read_metrics

CLASSES = [str(k) for k in range(10)]


def test_the_plane_of_a_cloud_far_from_the_origin_is_its_own():
    """A flat 3-D cloud centred at (50, -20, 7): its first two principal
    components span its plane and the points come back centred."""
    rng = np.random.RandomState(0)
    flat = np.column_stack([3 * rng.randn(500), rng.randn(500),
                            0.01 * rng.randn(500)])
    rotation, _ = np.linalg.qr(rng.randn(3, 3))
    codes = flat @ rotation.T + np.array([50., -20., 7.])
    points, axis_names = figures.project_2d(codes)
    assert axis_names[0].startswith("principal component 1 of the 3-D")
    np.testing.assert_allclose(points.mean(axis=0), 0., atol=1e-9)
    # distances within the plane are kept: the third axis was thin
    np.testing.assert_allclose(np.abs(points[:, 0]), np.abs(flat[:, 0] -
                                                            flat[:, 0].mean()),
                               atol=0.05)
    assert points[:, 0].std() > 2.5 and points[:, 1].std() < 1.5
    two = rng.randn(20, 2) + 5.
    np.testing.assert_array_equal(figures.project_2d(two)[0], two)


def test_the_axes_hold_every_point_outliers_too():
    rng = np.random.RandomState(1)
    points = rng.randn(2000, 2)
    points[:25] *= 4.  # 25 of 2,000 far out, as one conv run had
    limit = figures.nice_limit(points)
    assert np.abs(points).max() <= limit
    assert figures.nice_limit(np.full((3, 2), 0.5)) == 1.


def test_each_class_is_drawn_in_its_colour_where_it_lies(tmp_path):
    """Class k in a vertical band at x = -4.5 + k: from left to right the
    scatter's colours are tab10's in class order."""
    rng = np.random.RandomState(2)
    labels = np.repeat(np.arange(10), 200)
    points = np.column_stack([-4.5 + labels + 0.1 * rng.randn(2000),
                              3 * rng.rand(2000) - 1.5])
    path = str(tmp_path / "latent.png")
    figures.write_latent(points, labels, CLASSES, ("z1", "z2"), "title", path)
    image = iio.imread(path)[..., :3].astype(float)
    columns = []
    for k in range(10):
        colour = np.array(matplotlib.colormaps["tab10"](k)[:3]) * 255
        blended = 0.6 * colour + 0.4 * 255  # alpha 0.6 on white
        near = np.linalg.norm(image - blended, axis=2) < 25
        assert near.sum() > 50, f"class {k} has {near.sum()} pixels"
        columns.append(np.median(np.nonzero(near)[1]))
    assert columns == sorted(columns)
    assert min(np.diff(columns)) > 10


def test_curves_are_drawn_only_where_there_is_data(tmp_path):
    metrics = tmp_path / "metrics.csv"
    metrics.write_text("epoch,seconds,train_loss,test_loss\n"
                       "1,1.0,10.0,\n2,1.0,8.0,\n")
    rows = read_metrics(str(metrics))
    path = str(tmp_path / "curves.png")
    panels = [("loss", [("train_loss", "train"), ("test_loss", "test")]),
              ("log likelihood", [("test_log_likelihood", "test")])]
    figures.write_curves(rows, panels, "model", path)
    # one panel of 5.5 inches at 100 dpi: the empty one is left out
    assert iio.imread(path).shape[1] == 550
    metrics.write_text("epoch,seconds,train_loss,test_loss\n"
                       "1,1.0,10.0,9.0\n")
    figures.write_curves(read_metrics(str(metrics)), panels, "model", path)
    assert iio.imread(path).shape[1] == 550
    panels.append(("loss again", [("train_loss", "train")]))
    figures.write_curves(read_metrics(str(metrics)), panels, "model", path)
    assert iio.imread(path).shape[1] == 1100
