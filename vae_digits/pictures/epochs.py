"""Pictures of a model as it trains, kept across a resume.

After every epoch, for the pictures a model (or --epoch-pictures) asks
for, the epoch's data goes to `epochs/` in the result directory and the
pictures are assembled anew from epoch 1 on:
- `latent`: the test images' z means, a frame of `latent.gif` (axes
  shared by all frames, holding every point of every frame);
- `reconstructions`: ten test images reconstructed, a row of
  `reconstructions_by_epoch.png` (the originals on top);
- `conditioned`: one z from the prior decoded with each digit 0-9, a row
  of `conditioned_by_epoch.png` (the conditioning post's figure).
With each checkpoint and at the end of training, `curves.png` plots
metrics.csv; a model with whole-set train figures also gets
`losses.png` after every epoch, as the conditioning post draws it.
"""
import glob
import os

import imageio.v3 as iio
import numpy as np

from vae_digits.core.config import IMAGE_SHAPE, N_CLASSES
from vae_digits.core.files import atomic_path, write_bytes
from vae_digits.models.base import ELBO_PARTS, label
from vae_digits.pictures import figures
from vae_digits.pictures.grids import save_image_collections

__all__ = ["EpochPictures", "learning_curves"]

EPOCHS_DIR = "epochs"


def learning_curves(model, rows, path, names=None, split="train"):
    """The curves of a model's metrics.csv `rows`: by default one panel per
    figure of the model, train and test together; with `names`, one panel
    for each of those figures of `split` only."""
    if names is None:
        names = list(model.train_metrics) + [
            name for name in model.test_metrics
            if name not in model.train_metrics] + list(ELBO_PARTS)
        panels = [(label(name), [(split_ + "_" + name, split_)
                                 for split_ in ("train", "test")])
                  for name in names]
    else:
        panels = [(label(name), [(split + "_" + name, split)])
                  for name in names]
    figures.write_curves(rows, panels, f"{model.name} model", path)


class EpochPictures:
    """Draws `kinds` of pictures after every epoch into `result_dir`."""

    def __init__(self, kinds, result_dir, x_test, t_test, class_names,
                 shown_digits, seed=None):
        self.kinds, self.result_dir = tuple(kinds), result_dir
        self.x_test, self.t_test = x_test, t_test
        self.class_names, self.shown = class_names, shown_digits
        self.directory = os.path.join(result_dir, EPOCHS_DIR)
        self.rng = np.random.RandomState(seed)
        # epoch -> the axis limit its frame, epochs/latent_frame.E.png, has:
        # the frames wait on disk, not in memory (a MB each)
        self._frame_limits = {}
        if self.kinds:
            os.makedirs(self.directory, exist_ok=True)

    def _data_path(self, kind, epoch):
        return os.path.join(self.directory, f"{kind}.{epoch}.npy")

    def _saved(self, kind, last_epoch):
        """{epoch: data} of `kind` for epochs 1..last_epoch."""
        saved = {}
        for path in glob.glob(os.path.join(glob.escape(self.directory),
                                           kind + ".*.npy")):
            epoch = int(os.path.basename(path).split(".")[1])
            if epoch <= last_epoch:
                saved[epoch] = np.load(path)
        return [saved[epoch] for epoch in sorted(saved)], sorted(saved)

    def _frame_path(self, epoch):
        return os.path.join(self.directory, f"latent_frame.{epoch}.png")

    def _keep(self, kind, epoch, data):
        with atomic_path(self._data_path(kind, epoch)) as partial, \
                open(partial, "wb") as f:
            np.save(f, np.asarray(data, np.float32))

    def draw(self, vae, epoch):
        """Record this epoch's data of the trained.TrainedModel `vae` and
        rewrite the pictures; returns the paths written."""
        paths = []
        if "latent" in self.kinds:
            codes = vae.encode(self.x_test)
            points, self.axis_names = figures.project_2d(codes)
            self._keep("latent", epoch, points)
            paths.append(self._write_gif(epoch))
        if "reconstructions" in self.kinds:
            self._keep("reconstructions", epoch,
                       vae.reconstruct(self.shown))
            rows, _ = self._saved("reconstructions", epoch)
            paths.append(self._write_rows(
                [self.shown] + rows, "reconstructions_by_epoch.png"))
        if "conditioned" in self.kinds:
            self._keep("conditioned", epoch,
                       vae.draw(list(range(N_CLASSES)), 1, self.rng)[0])
            rows, _ = self._saved("conditioned", epoch)
            paths.append(self._write_rows(rows, "conditioned_by_epoch.png"))
        return paths

    def _write_rows(self, rows, name):
        rows = [np.reshape(row, (-1,) + IMAGE_SHAPE) for row in rows]
        path = os.path.join(self.result_dir, name)
        save_image_collections(np.concatenate(rows), path,
                               shape=(len(rows), len(rows[0])))
        return path

    def _write_gif(self, epoch):
        all_points, epochs = self._saved("latent", epoch)
        limit = figures.nice_limit(np.concatenate(all_points))
        # Render a frame only when it is new or the axes grew (a frame of
        # this epoch is always new: a resumed run retrains it).
        self._frame_limits.pop(epoch, None)
        for points, e in zip(all_points, epochs):
            if self._frame_limits.get(e) != limit:
                write_bytes(self._frame_path(e), iio.imwrite(
                    "<bytes>", figures.latent_frame(
                        points, self.t_test, self.class_names, limit,
                        self.axis_names, f"epoch {e}"), extension=".png"))
                self._frame_limits[e] = limit
        frames = [iio.imread(self._frame_path(e)) for e in epochs]
        path = os.path.join(self.result_dir, "latent.gif")
        write_bytes(path, iio.imwrite("<bytes>", np.stack(frames),
                                      extension=".gif", duration=500, loop=0))
        return path
