"""Figures with axes, colours and legends, drawn with matplotlib's
non-interactive Agg backend (no display needed):
- the latent space: the test images' encoder means coloured by class
  (the first two principal components where z has more than two
  dimensions), also as frames of the training GIF;
- the latent space beside the decoder's manifold over the same range;
- learning curves from metrics.csv.
Every file is written whole or not at all.
"""
import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from vae_digits.core.files import write_bytes

__all__ = ["new_figure", "save_png", "principal_plane", "project_2d", "nice_limit",
           "latent_frame", "write_latent",
           "write_latent_and_manifold", "write_curves"]

_FRAME_SIZE = (6.4, 5.4)  # inches, at 100 dpi: every GIF frame alike


def new_figure(**kwargs):
    """A figure drawn on Agg's canvas, apart from pyplot: a notebook's own
    backend and figures stay as they are."""
    figure = Figure(**kwargs)
    FigureCanvasAgg(figure)
    return figure


def principal_plane(codes):
    """(mean [K], components [2, K], axis names) of the plane the codes
    [N, K] are drawn on, point = (z - mean) @ components.T: the codes
    themselves for a 2-D latent space (mean 0), else their first two
    principal components."""
    codes = np.asarray(codes, np.float64)
    size = codes.shape[1]
    if size == 2 or len(codes) < 2:
        return np.zeros(size), np.eye(2, size), ("z1", "z2")
    mean = codes.mean(axis=0)
    _, _, components = np.linalg.svd(codes - mean, full_matrices=False)
    if len(components) < 2:  # a 1-D latent space: a line
        components = np.vstack([components, np.zeros_like(components)])
    return mean, components[:2], (
        f"principal component 1 of the {size}-D z means",
        "principal component 2")


def project_2d(codes):
    """(points [N, 2], axis names) of the codes on principal_plane."""
    mean, components, axis_names = principal_plane(codes)
    return (np.asarray(codes, np.float64) - mean) @ components.T, axis_names


def nice_limit(points):
    """A round half-width of a square view holding every one of
    `points`."""
    extent = float(np.abs(points).max()) if len(points) else 1.
    for limit in (1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 40, 50, 60, 80, 100):
        if extent <= limit:
            return float(limit)
    return float(10 ** np.ceil(np.log10(extent)))


def _scatter(ax, points, labels, class_names, limit, axis_names):
    colours = matplotlib.colormaps["tab10"]
    for k, name in enumerate(class_names):
        mine = labels == k
        ax.scatter(points[mine, 0], points[mine, 1], s=2, alpha=0.6,
                   color=colours(k % 10), label=name, rasterized=True)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xlabel(axis_names[0])
    ax.set_ylabel(axis_names[1])
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8,
              markerscale=4, frameon=False)


def save_png(figure, path):
    """`figure` as a PNG at `path`, written whole or not at all."""
    png = io.BytesIO()
    figure.savefig(png, format="png")
    write_bytes(path, png.getvalue())


def latent_frame(points, labels, class_names, limit, axis_names, title):
    """One frame of the latent-space GIF as an RGB array; every frame has
    the same size."""
    figure = new_figure(figsize=_FRAME_SIZE, dpi=100)
    ax = figure.add_axes([0.12, 0.1, 0.6, 0.8])
    _scatter(ax, points, labels, class_names, limit, axis_names)
    ax.set_title(title)
    figure.canvas.draw()
    frame = np.asarray(figure.canvas.buffer_rgba())[..., :3].copy()
    return frame


def write_latent(points, labels, class_names, axis_names, title, path):
    """The latent scatter as a PNG."""
    figure = new_figure(figsize=_FRAME_SIZE, dpi=100)
    ax = figure.add_axes([0.12, 0.1, 0.6, 0.8])
    _scatter(ax, points, labels, class_names, nice_limit(points),
             axis_names)
    ax.set_title(title)
    save_png(figure, path)


def write_latent_and_manifold(points, labels, class_names, manifold,
                              grid_range, title, path):
    """The latent scatter and the decoder's manifold (an image covering
    [-grid_range, grid_range]^2, top row at z2 = +grid_range) side by side
    on the same axes range, as the post's comparison figure."""
    figure = new_figure(figsize=(12, 5.4), dpi=100)
    left, right = figure.subplots(1, 2)
    _scatter(left, points, labels, class_names, grid_range, ("z1", "z2"))
    left.get_legend().remove()
    left.legend(loc="upper left", fontsize=7, markerscale=4, ncol=2)
    left.set_title("test images' z means")
    right.imshow(manifold, cmap="gray", vmin=0., vmax=1.,
                 extent=(-grid_range, grid_range, -grid_range, grid_range))
    right.set_xlabel("z1")
    right.set_ylabel("z2")
    right.set_title("decoded grid")
    figure.suptitle(title)
    figure.tight_layout()
    save_png(figure, path)


def write_curves(rows, panels, title, path):
    """Learning curves: one panel per (panel title, [(column, legend)])
    of `panels`, each column plotted by epoch over `rows` (metrics.csv),
    skipping epochs where it is empty. Only columns with values are drawn
    and named, and only panels with some."""
    drawn = []
    for panel_title, columns in panels:
        lines = []
        for column, legend in columns:
            kept = [row for row in rows if row.get(column) is not None]
            if kept:
                lines.append(([row["epoch"] for row in kept],
                              [row[column] for row in kept], legend))
        if lines:
            drawn.append((panel_title, lines))
    if not drawn:
        return None
    figure = new_figure(figsize=(5.5 * len(drawn), 4), dpi=100)
    axes = figure.subplots(1, len(drawn), squeeze=False)
    for ax, (panel_title, lines) in zip(axes[0], drawn):
        for epochs, values, legend in lines:
            ax.plot(epochs, values, marker="." if len(epochs) < 40 else None,
                    label=legend)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))  # whole epochs
        ax.set_ylabel(panel_title)
        ax.set_title(panel_title)
        ax.legend()
        ax.grid(alpha=0.3)
    figure.suptitle(title)
    figure.tight_layout()
    save_png(figure, path)
