"""What the explore page asks of a trained model, as JSON-ready answers:
the model's description, the map of its test images' codes, decodings,
encodings, the blog's noised variations, test images, and the "human or
machine?" game. One `Explorer` holds the loaded model (vae_digits.load) and
the test images; with `follow`, a thread loads each newer complete
checkpoint of the directory as training saves it.

Every method takes plain JSON values and raises ValueError (or
TypeError) with one sentence for a request that is not well formed; the
server (server.py) answers those with a 400.
"""
import sys
import threading

import numpy as np

from vae_digits import data, models
from vae_digits.checkpoints.model_config import read_model_config
from vae_digits.checkpoints.names import epoch_of, latest_checkpoint
from vae_digits.core import config
from vae_digits.pictures import figures
from vae_digits.trained import inputs, load

__all__ = ["Explorer", "MAX_ROWS", "latent_map", "describe"]

MAX_ROWS = 1024  # rows of one request
MAP_POINTS = 10000  # test images on the map
FOLLOW_SECONDS = 2.


class Explorer:
    """The model at `path` (a checkpoint directory or one checkpoint) and
    the test images of `dataset` at `data_path` (None: a map without
    points)."""

    def __init__(self, path, dataset, data_path, seed=0, follow=False):
        self.path, self.dataset, self.seed = path, dataset, seed
        self._lock = threading.Lock()
        self._vae = load(path, seed=seed)
        self.x_test = self.t_test = None
        if data_path is not None:
            self.x_test, self.t_test = data.load_test_set(
                dataset, data_path, self._vae.binarized, seed)
            self.x_test = self.x_test[:MAP_POINTS]
            self.t_test = self.t_test[:MAP_POINTS]
        self._latent = self._map(self._vae)
        self._stop = threading.Event()
        if follow:
            threading.Thread(target=self._follow, daemon=True).start()

    @property
    def vae(self):
        return self._vae

    def close(self):
        self._stop.set()
        self._vae.close()

    def _map(self, vae):
        codes = np.zeros((0, vae.z_dim)) if self.x_test is None \
            else vae.encode(self.x_test)
        return latent_map(codes, self.t_test)

    def _follow(self):
        """Load each newer complete checkpoint of the directory that holds
        the same model; say once of each other one why it is skipped."""
        skipped = set()
        while not self._stop.wait(FOLLOW_SECONDS):
            newest = latest_checkpoint(self.path)
            if newest is None or newest in skipped or \
                    epoch_of(newest) <= (self._vae.epoch or 0):
                continue
            try:
                vae = self._load_newer(newest)
                latent = self._map(vae)
            except Exception as e:  # noqa: BLE001 (said once, then skipped)
                skipped.add(newest)
                print(f"warning: skipping {newest}: {e} (still serving "
                      f"{self._vae.checkpoint})", file=sys.stderr,
                      flush=True)
                continue
            with self._lock:
                old, self._vae, self._latent = self._vae, vae, latent
            print(f"Loaded {vae.checkpoint} (epoch {vae.epoch})",
                  file=sys.stderr, flush=True)
            old.close()

    def _load_newer(self, newest):
        """The model of the checkpoint `newest`, if it is the model served
        (a ValueError otherwise)."""
        served = self._vae.hparams
        found = read_model_config(self.path)
        if {k: v for k, v in found.items() if k != "data_path"} != \
                {k: v for k, v in served.items() if k != "data_path"}:
            raise ValueError(f"it holds another model ({found['model']}, "
                             f"z_dim {found['z_dim']})")
        vae = load(newest, seed=self.seed)
        if vae.epoch is None or vae.epoch <= (self._vae.epoch or 0):
            vae.close()
            raise ValueError("it is no newer than the model served")
        return vae

    def _call(self, method, *args, **kwargs):
        """A method of the current model; once more if a newer one
        replaced (and closed) it between the lookup and the call."""
        vae = self._vae
        try:
            return getattr(vae, method)(*args, **kwargs)
        except ValueError:
            if vae is self._vae:
                raise
        return getattr(self._vae, method)(*args, **kwargs)

    def model(self):
        return describe(self._vae, self.dataset, self.t_test)

    def latent(self):
        return dict(self._latent, epoch=self._vae.epoch)

    def decode(self, body):
        codes = _rows(body, "codes")
        return {"images": _images_json(self._call("decode", codes))}

    def encode(self, body):
        images = _rows(body, "images")
        answer = {"means": self._call("encode", images).tolist()}
        if self._vae.has_labels:
            answer["probabilities"] = self._call("classify", images).tolist()
        return answer

    def vary(self, body):
        """The blog's i.png for the test image `index`: `n` decodings of
        z ~ q(z | x) with `std_noise` added to the encoder's log-std."""
        index = self._index(_field(body, "index"))
        n = inputs.count(body.get("n", 25), "n")
        if n > MAX_ROWS:
            raise ValueError(f"n must be at most {MAX_ROWS}, got {n}.")
        std_noise = inputs.finite_number(
            body.get("std_noise", config.STD_NOISE), "std_noise")
        if not 0. <= std_noise <= 3.:
            raise ValueError(f"std_noise must lie in [0, 3], got {std_noise}.")
        images = self._call("vary", self.x_test[index], n, std_noise,
                            seed=body.get("seed", 0))
        return {"image": _images_json(self.x_test[index:index + 1])[0],
                "images": _images_json(images)}

    def elbo(self, body):
        """What the ELBO of the test image `index`, or of `image` (784
        grey levels: a drawn digit), is made of (vae.elbo_parts): its
        reconstruction and KL terms in nats, the KL of each latent
        dimension, and `n` decodings of z ~ q(z | x)."""
        if "index" in body:
            image = self.x_test[self._index(body["index"])]
        else:
            image = _rows({"images": [_field(body, "image")]}, "images")[0]
        n = inputs.count(body.get("n", config.ELBO_SAMPLES), "n")
        if n > 16:
            raise ValueError(f"n must be at most 16, got {n}.")
        parts = self._call("elbo_parts", image, n, seed=body.get("seed", 0))
        return {"reconstruction": parts["reconstruction"], "kl": parts["kl"],
                "elbo": parts["elbo"],
                "kl_per_dimension": np.round(parts["kl_per_dimension"],
                                             5).tolist(),
                "image": _images_json(parts["image"][None])[0],
                "decodings": _images_json(parts["decodings"])}

    def test_images(self, body):
        indices = body.get("indices")
        if not isinstance(indices, list) or not indices:
            raise ValueError("indices must be a list of test image indices.")
        if len(indices) > MAX_ROWS:
            raise ValueError(f"at most {MAX_ROWS} indices per request, got {len(indices)}.")
        chosen = [self._index(index) for index in indices]
        return {"images": _images_json(self.x_test[chosen]),
                "labels": [int(self.t_test[index]) for index in chosen]}

    def human_or_machine(self, body):
        """`n` images, about half real test images and half drawn from the
        prior, shuffled and binarised alike; `machine` says which the
        model drew."""
        if self.x_test is None:
            raise ValueError("no test images are loaded; start explore "
                             "with --data-path.")
        n = inputs.count(body.get("n", 16), "n", minimum=2)
        if n > 64:
            raise ValueError(f"n must be at most 64, got {n}.")
        rng = inputs.seed_rng(body.get("seed"))
        machine = np.arange(n) < n // 2
        rng.shuffle(machine)
        images = np.zeros((n, 784), np.float32)
        real = rng.choice(len(self.x_test), n - n // 2, replace=False)
        images[~machine] = self.x_test[real]
        images[machine] = self._call(
            "sample", n // 2, seed=rng).reshape(-1, 784)
        images = _black_and_white(images)
        return {"images": _images_json(images),
                "machine": [bool(flag) for flag in machine]}

    def _index(self, index):
        if self.x_test is None:
            raise ValueError("no test images are loaded; start explore "
                             "with --data-path.")
        index = inputs.count(index, "index", minimum=0)
        if index >= len(self.x_test):
            raise ValueError(f"index must be a test image, 0 to "
                             f"{len(self.x_test) - 1}, got {index}.")
        return index


def latent_map(codes, labels):
    """The map of test images: their encoder means `codes` projected on
    the plane (the identity for 2-D codes, else the first two principal
    components), their integer `labels` (None: none) and the projection
    itself."""
    mean, components, axis_names = figures.principal_plane(codes)
    points = (codes - mean) @ components.T
    return {"points": np.round(points, 4).tolist(),
            "labels": [] if labels is None else
            [int(label) for label in labels],
            "mean": mean.tolist(), "components": components.tolist(),
            "axis_names": list(axis_names),
            "limit": figures.nice_limit(points) if len(points) else 3.}


def describe(vae, dataset, labels, checkpoint=None):
    """The page's description of the model `vae` of `dataset` with test
    images of `labels` (None: no test images): the blog's digits among
    them are the noise slider's choices. `checkpoint`: its name (default:
    the path it was loaded from)."""
    n_test = 0 if labels is None else len(labels)
    digits = [] if labels is None else [
        index for index in data.default_digits(dataset, labels, quiet=True)
        if index < n_test]
    return {"model": vae.model, "dataset": vae.dataset, "epoch": vae.epoch,
            "checkpoint": checkpoint or vae.checkpoint, "z_dim": vae.z_dim,
            "code_dim": vae.code_dim, "class_names": vae.class_names,
            "has_labels": vae.has_labels, "binary_codes": vae.binary_codes,
            "pixels": models.get(vae.model).pixel_distribution(vae.hparams),
            "elbo_samples": config.ELBO_SAMPLES,
            # the blog's model: a grey pixel is 1 from this level up
            "grey_threshold": config.GREY_THRESHOLD if vae.binarized
            else None,
            "n_test": n_test,
            "digits": [{"index": index, "label": int(labels[index])}
                       for index in digits]}


def _field(body, name):
    if name not in body:
        raise ValueError(f"the request needs {name!r}.")
    return body[name]


def _rows(body, name):
    rows = _field(body, name)
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{name} must be a non-empty list of rows.")
    if any(isinstance(value, bool) for row in rows
           for value in (row if isinstance(row, list) else [row])):
        raise ValueError(f"{name} must be numbers; true and false are "
                         "not.")
    if len(rows) > MAX_ROWS:
        raise ValueError(f"at most {MAX_ROWS} {name} per request, got {len(rows)}.")
    return rows


def _black_and_white(images):
    """Both halves of the game shown alike: each image black and white,
    its brightest pixels white, as many as its grey levels add up to. The
    blog's binary test digits stay as they are, the decoder's smooth means
    keep their ink, and a threshold would thin them."""
    counts = np.rint(images.sum(axis=1)).astype(int)
    ranks = np.argsort(np.argsort(-images, axis=1, kind="stable"), axis=1)
    return (ranks < counts[:, None]).astype(np.float32)


def _images_json(images):
    """Images as rows of 784 pixel values rounded to 1/1000."""
    return np.round(np.reshape(images, (len(images), -1)).astype(np.float64),
                    3).tolist()
