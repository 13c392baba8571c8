"""The figures show what they must, read back where the geometry is
known: the projection of a known cloud, axes that hold every point, each
class in its own colour where it lies, and curves only where there is
data."""
import os
import re

import imageio.v3 as iio
import matplotlib
import numpy as np
import pytest

from vae_digits.pictures import figures
from vae_digits.training.record import read_metrics

CLASSES = [str(k) for k in range(10)]


def test_the_plane_of_a_cloud_far_from_the_origin_is_its_own():
    """A flat 3-D cloud centred at (50, -20, 7), its axes uncorrelated
    with spreads 3, 1 and 0.01: its first two principal components are
    its first two axes, and the points come back as they were about its
    centre."""
    rng = np.random.RandomState(0)
    centred = rng.randn(500, 3)
    axes, _ = np.linalg.qr(centred - centred.mean(axis=0))
    flat = axes * np.sqrt(500) * np.array([3., 1., 0.01])
    rotation, _ = np.linalg.qr(rng.randn(3, 3))
    codes = flat @ rotation.T + np.array([50., -20., 7.])
    points, axis_names = figures.project_2d(codes.astype(np.float32))
    assert axis_names == ("principal component 1 of the 3-D z means",
                          "principal component 2")
    assert points.shape == (500, 2) and points.dtype == np.float64
    # the cloud's own two axes, each up to its sign
    np.testing.assert_allclose(np.abs(points), np.abs(flat[:, :2]),
                               atol=1e-4)
    two = rng.randn(20, 2) + 5.
    points, axis_names = figures.project_2d(two)
    np.testing.assert_array_equal(points, two)
    assert axis_names == ("z1", "z2")


def test_two_codes_are_projected_on_their_line_and_one_as_it_is():
    a, b = np.array([1., 2., 3.]), np.array([4., 6., 3.])
    points, _ = figures.project_2d(np.stack([a, b]))
    np.testing.assert_allclose(np.abs(points), [[2.5, 0.], [2.5, 0.]],
                               atol=1e-12)  # 5 apart, about their middle
    points, axis_names = figures.project_2d(a[None])
    np.testing.assert_array_equal(points, [[1., 2.]])
    assert axis_names == ("z1", "z2")
    line = np.array([[1.], [3.], [8.]])  # a 1-D latent space
    points, _ = figures.project_2d(line)
    np.testing.assert_allclose(np.abs(points), [[3., 0.], [1., 0.],
                                                [4., 0.]], atol=1e-12)


def test_the_axes_hold_every_point_outliers_too():
    rng = np.random.RandomState(1)
    points = rng.randn(2000, 2)
    points[:25] *= 4.  # 25 of 2,000 far out, as one conv run had
    limit = figures.nice_limit(points)
    assert np.abs(points).max() <= limit
    assert figures.nice_limit(np.full((3, 2), 0.5)) == 1.
    steps = (1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 40, 50, 60, 80, 100)
    for below, step in zip((0,) + steps, steps):
        assert figures.nice_limit(np.array([[step, -0.5]])) == step
        assert figures.nice_limit(np.array([[0., -(below + 0.01)]])) == step
    for extent, limit in ((100.5, 1000.), (1000., 1000.), (1001., 10000.)):
        assert figures.nice_limit(np.array([[extent, 0.]])) == limit
    assert figures.nice_limit(np.zeros((0, 2))) == 1.


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


@pytest.fixture
def drawn(monkeypatch):
    """The matplotlib figures drawn, to read back what they show."""
    made, real = [], figures.new_figure

    def record(**kwargs):
        made.append(real(**kwargs))
        return made[-1]
    monkeypatch.setattr(figures, "new_figure", record)
    return made


def _bands():
    """Class k about x = -4.5 + k, spread over y in [-1.5, 1.5]."""
    rng = np.random.RandomState(3)
    labels = np.repeat(np.arange(10), 20)
    return np.column_stack([-4.5 + labels + 0.1 * rng.randn(200),
                            3 * rng.rand(200) - 1.5]), labels


def test_the_scatter_names_its_axes_classes_and_title(tmp_path, drawn):
    points, labels = _bands()
    path = str(tmp_path / "latent.png")
    figures.write_latent(points, labels, CLASSES, ("first", "second"),
                         "the title", path)
    assert iio.imread(path).shape[:2] == (540, 640)
    (ax,) = drawn[-1].axes
    assert ax.get_xlim() == ax.get_ylim() == (-5., 5.)
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "first", "second", "the title")
    legend = ax.get_legend()
    assert [text.get_text() for text in legend.get_texts()] == CLASSES
    for k, collection in enumerate(ax.collections):
        np.testing.assert_array_equal(collection.get_offsets(),
                                      points[labels == k])
        np.testing.assert_allclose(collection.get_facecolor()[0][:3],
                                   matplotlib.colormaps["tab10"](k)[:3])
    # the legend: right of the axes, level with their middle, in the picture
    renderer = drawn[-1].canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    axes_box = ax.get_window_extent(renderer)
    assert axes_box.x1 < box.x0 < axes_box.x1 + 20 and box.x1 <= 640
    assert abs(box.y0 + box.y1 - axes_box.y0 - axes_box.y1) < 4


def test_a_frame_of_the_gif_is_the_picture_of_its_epoch(tmp_path):
    points, labels = _bands()
    path = str(tmp_path / "latent.png")
    figures.write_latent(points, labels, CLASSES, ("z1", "z2"), "epoch 3",
                         path)
    frame = figures.latent_frame(points, labels, CLASSES, 5., ("z1", "z2"),
                                 "epoch 3")
    assert frame.shape == (540, 640, 3) and frame.dtype == np.uint8
    np.testing.assert_array_equal(frame, iio.imread(path)[..., :3])


def test_the_manifold_is_drawn_beside_the_scatter_in_its_place(tmp_path,
                                                               drawn):
    """A manifold whose top-left quarter (z1 < 0, z2 > 0) is light grey
    and the rest dark grey, on [-2, 2]^2, shows so on the right."""
    manifold = np.full((56, 56), 0.25)
    manifold[:28, :28] = 0.75
    points, labels = _bands()
    path = str(tmp_path / "latent_and_manifold.png")
    figures.write_latent_and_manifold(points / 3., labels, CLASSES,
                                      manifold, 2., "conv model", path)
    image = iio.imread(path)[..., :3].astype(int)
    assert image.shape == (540, 1200, 3)
    scatter, grid = drawn[-1].axes
    renderer = drawn[-1].canvas.get_renderer()
    box = grid.get_window_extent(renderer)  # from the bottom left
    top, bottom = 540 - int(box.y1) + 3, 540 - int(box.y0) - 3
    left, right = int(box.x0) + 3, int(box.x1) - 3
    shown = image[top:bottom, left:right].mean(axis=2)
    rows, columns = shown.shape
    quarters = [shown[:rows // 2 - 3, :columns // 2 - 3],
                shown[:rows // 2 - 3, columns // 2 + 3:],
                shown[rows // 2 + 3:, :columns // 2 - 3],
                shown[rows // 2 + 3:, columns // 2 + 3:]]
    # 0.75 and 0.25 of 255 on the grey map from vmin 0 to vmax 1
    assert [(q.min(), q.max()) for q in quarters] == [(192., 192.)] + [
        (64., 64.)] * 3
    assert grid.get_images()[0].get_extent() == [-2., 2., -2., 2.]
    assert scatter.get_xlim() == scatter.get_ylim() == (-2., 2.)
    assert [(ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) for ax in (
        scatter, grid)] == [("z1", "z2", "test images' z means"),
                            ("z1", "z2", "decoded grid")]
    assert drawn[-1]._suptitle.get_text() == "conv model"
    for k, collection in enumerate(scatter.collections):
        np.testing.assert_array_equal(collection.get_offsets(),
                                      points[labels == k] / 3.)
    legend = scatter.get_legend()
    assert [text.get_text() for text in legend.get_texts()] == CLASSES
    inner, outer = (legend.get_window_extent(renderer),
                    scatter.get_window_extent(renderer))
    assert 0 < inner.x0 - outer.x0 < 20 and 0 < outer.y1 - inner.y1 < 20
    assert legend._ncols == 2


def test_curves_plot_each_column_by_epoch(tmp_path, drawn):
    rows = [{"epoch": e, "train_loss": 10. / e,
             "test_loss": 9. / e if e % 2 == 0 else None}
            for e in range(1, 40)]
    panels = [("loss", [("train_loss", "train"), ("test_loss", "test")]),
              ("other", [("not_there", "never")])]
    path = str(tmp_path / "curves.png")
    assert figures.write_curves(rows, panels, "mlp model", path) is None
    assert iio.imread(path).shape[:2] == (400, 550)
    (ax,) = drawn[-1].axes
    train, test = ax.get_lines()
    assert list(train.get_xdata()) == list(range(1, 40))
    assert list(train.get_ydata()) == [10. / e for e in range(1, 40)]
    assert list(test.get_xdata()) == list(range(2, 40, 2))
    assert list(test.get_ydata()) == [9. / e for e in range(2, 40, 2)]
    assert train.get_marker() == test.get_marker() == "."
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "train", "test"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "epoch", "loss", "loss")
    assert any(line.get_visible() for line in ax.get_xgridlines())
    assert drawn[-1]._suptitle.get_text() == "mlp model"
    rows.append({"epoch": 40, "train_loss": 0.25})  # 40 epochs: no markers
    figures.write_curves(rows, panels, "mlp model", path)
    assert drawn[-1].axes[0].get_lines()[0].get_marker() == "None"
    assert figures.write_curves(rows, panels[1:], "mlp model",
                                str(tmp_path / "none.png")) is None
    assert not os.path.exists(tmp_path / "none.png")


def test_the_curves_mark_whole_epochs_only(tmp_path, drawn):
    for last in (1, 2, 5, 13, 400):
        rows = [{"epoch": e, "train_loss": 1. / e} for e in range(1, last + 1)]
        figures.write_curves(rows, [("loss", [("train_loss", "train")])],
                             "t", str(tmp_path / "curves.png"))
        (ax,) = drawn[-1].axes
        low, high = ax.get_xlim()
        shown = [label.get_text() for label in ax.get_xticklabels()
                 if low <= label.get_position()[0] <= high]
        assert shown and all(re.fullmatch(r"\d+", text) for text in shown), \
            (last, shown)


def test_a_notebooks_settings_change_no_picture(tmp_path, drawn):
    """Jupyter draws at 72 dpi, a style may set other colours and
    another file format: the pictures keep their own."""
    points, labels = _bands()
    rows = [{"epoch": 1, "a": 1., "b": 2.}, {"epoch": 2, "a": 0.5, "b": 1.}]
    panels = [("a", [("a", "a")]), ("b", [("b", "b")])]
    manifold = np.zeros((28, 28))
    style = {"figure.dpi": 72, "savefig.format": "svg",
             "axes.prop_cycle": matplotlib.cycler(color=["black"])}
    with matplotlib.rc_context(style):
        figures.write_latent(points, labels, CLASSES, ("z1", "z2"), "t",
                             str(tmp_path / "latent.png"))
        frame = figures.latent_frame(points, labels, CLASSES, 5.,
                                     ("z1", "z2"), "t")
        figures.write_latent_and_manifold(points, labels, CLASSES, manifold,
                                          5., "t", str(tmp_path / "both.png"))
        figures.write_curves(rows, panels, "t", str(tmp_path / "curves.png"))
    assert iio.imread(tmp_path / "latent.png").shape[:2] == frame.shape[:2] \
        == (540, 640)
    assert iio.imread(tmp_path / "both.png").shape[:2] == (540, 1200)
    assert iio.imread(tmp_path / "curves.png").shape[:2] == (400, 1100)
    for figure in drawn[:3]:
        colours = [c.get_facecolor()[0][:3] for c in figure.axes[0].collections]
        np.testing.assert_allclose(colours, [matplotlib.colormaps["tab10"](k)[:3]
                                             for k in range(10)])
    # the two panels side by side, each with its own curve
    first, second = drawn[3].axes
    assert first.get_position().y0 == second.get_position().y0
    assert first.get_position().x1 < second.get_position().x0
    assert [list(ax.get_lines()[0].get_ydata()) for ax in (first, second)] \
        == [[1., 0.5], [2., 1.]]


def test_codes_in_float32_are_projected_in_float64():
    codes = np.random.RandomState(4).randn(300, 5).astype(np.float32) * 30
    exact, _ = figures.project_2d(codes.astype(np.float64))
    np.testing.assert_allclose(figures.project_2d(codes)[0], exact,
                               rtol=0, atol=1e-12)


def test_the_figures_keep_their_look(tmp_path, drawn):
    """The pictures stay as they were drawn: small half-clear dots, a
    legend without a frame with markers four times larger (font 8 beside
    the scatter, 7 in the two-column one over the manifold), faint grids."""
    points, labels = _bands()
    figures.write_latent(points, labels, CLASSES, ("z1", "z2"), "t",
                         str(tmp_path / "latent.png"))
    (ax,) = drawn[-1].axes
    assert {float(size) for c in ax.collections for size in c.get_sizes()} == {2.}
    assert {c.get_alpha() for c in ax.collections} == {0.6}
    legend = ax.get_legend()
    assert (legend.markerscale, legend.get_frame_on()) == (4, False)
    assert {text.get_fontsize() for text in legend.get_texts()} == {8.}
    figures.write_latent_and_manifold(points, labels, CLASSES,
                                      np.zeros((28, 28)), 5., "t",
                                      str(tmp_path / "both.png"))
    legend = drawn[-1].axes[0].get_legend()
    assert legend.markerscale == 4
    assert {text.get_fontsize() for text in legend.get_texts()} == {7.}
    rows = [{"epoch": 1, "lower_bound": -100.}, {"epoch": 2, "lower_bound": -90.}]
    figures.write_curves(rows, [("bound", [("lower_bound", "test")])], "t",
                         str(tmp_path / "curves.png"))
    grid = drawn[-1].axes[0].xaxis.get_gridlines()
    assert grid and {line.get_alpha() for line in grid} == {0.3}
    assert all(line.get_visible() for line in grid)
