"""`--format html`: the explore page and a trained model in one file that
opens from `file://`, with no server and no network, on a phone too.

The file is the served page itself (page/static/index.html), each of its
`<link rel="stylesheet">` and `<script src>` inlined, with three more
scripts before backend.js: the data (window.vaeData: the model's
description, the map of the test images' codes, the layers the page runs
(networks.py), the weights and the test images, base64),
page/static/layers.js (the operations) and page/static/network.js, which
runs the model in plain JavaScript and sets window.vaeBackend, so that the
views talk to it as they talk to the server. Nothing is copied: the served
page and the file are the same HTML, CSS and JavaScript.

The test images are stored as 8-bit grey levels (k / 255, as MNIST's
files hold them); the blog's model's are stored binarised once, as the
blog binarises its test digits (numpy's binomial from seed 0), binary
images that the page and `vae.encode` read alike. A grey image (a digit
drawn on the pad) the page reads as `vae.encode` does: 1 from the
model's `grey_threshold` up (network.js).
"""
from __future__ import annotations

import base64
import json
import os
import re

import numpy as np

from vae_digits import data
from vae_digits.core.config import ELBO_SAMPLES, IMAGE_SHAPE, N_CLASSES, X_DIM
from vae_digits.core.errors import UserError
from vae_digits.page.api import describe, latent_map
from vae_digits.page.handler import PAGE_DIR
from vae_digits.sharing.networks import pack, read_network
from vae_digits.sharing.savedmodel import decode_with
from vae_digits.trained import TrainedModel

__all__ = ["write_html", "page", "float16_error", "FLOAT16_LIMIT",
           "ERROR_CODES"]

FLOAT16_LIMIT = 1 / 255  # the pixel error --float16 may cost
ERROR_CODES = 100  # random codes on which it is measured
NETWORK_SCRIPTS = ("layers.js", "network.js")
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^":/]+)">')
_SCRIPT = re.compile(r'<script src="([^":/]+)"></script>')


def _inline(kind, name):
    """The file `name` of the page as an inline <script> or <style>."""
    with open(os.path.join(PAGE_DIR, name), encoding="utf-8") as f:
        text = f.read()
    if f"</{kind}" in text.lower():
        raise ValueError(f"{name} holds </{kind}, which would end it early")
    return f"<{kind}>\n{text}</{kind}>"


def page(data_script: str) -> str:
    """The served page as one file: its stylesheets and scripts inlined,
    and `data_script` (a script's text), layers.js and network.js before backend.js,
    whose `window.vaeBackend` they set."""
    with open(os.path.join(PAGE_DIR, "index.html"), encoding="utf-8") as f:
        html = f.read()
    html = _STYLESHEET.sub(lambda m: _inline("style", m.group(1)), html)
    names = _SCRIPT.findall(html)
    if "backend.js" not in names:
        raise ValueError("index.html loads no backend.js")
    own = f"<script>\n{data_script}\n</script>\n" + "".join(
        f"{_inline('script', name)}\n" for name in NETWORK_SCRIPTS)
    return _SCRIPT.sub(lambda m: (own if m.group(1) == "backend.js" else "")
                       + _inline("script", m.group(1)), html)


def _test_images(vae, images):
    """The test images as stored (uint8 [n, 784]) and as the model reads
    them (float32 [n, 784]): grey levels, or for the blog's model those
    binarised once as the blog binarises its test digits."""
    pixels = np.rint(np.reshape(images, (-1, X_DIM)) * 255.).astype(np.uint8)
    x = pixels.astype(np.float32) / np.float32(255.)
    if vae.binarized:
        x = data.binarize(x, np.random.RandomState(0))
        pixels = x.astype(np.uint8) * 255
    return pixels, x


def float16_error(vae: TrainedModel, seed: int = 0) -> float:
    """The largest change in a pixel that float16 weights make to the
    decodings of ERROR_CODES random codes (z ~ N(0, I), with a random
    digit's one-hot class for the conditional model)."""
    rng = np.random.RandomState(seed)
    codes = rng.randn(ERROR_CODES, vae.z_dim)
    if vae.has_labels:
        codes = np.hstack([codes, np.eye(N_CLASSES)[
            rng.randint(N_CLASSES, size=ERROR_CODES)]])
    codes = codes.astype(np.float32)
    rounded = decode_with(vae, lambda w: w.astype(np.float16).astype(
        np.float32), codes)
    return float(np.abs(rounded - vae.decode(codes).reshape(
        -1, X_DIM)).max())


def _data(vae, test_set, dtype):
    """window.vaeData of the page (see above)."""
    images, labels, _ = test_set
    pixels, x = _test_images(vae, images)
    codes = vae.encode(x.reshape((-1,) + IMAGE_SHAPE))
    net, weights = read_network(vae)
    blob, table = pack(weights, dtype)
    return {"model": describe(vae, vae.dataset, labels,
                              os.path.basename(vae.checkpoint)),
            "latent": dict(latent_map(codes, labels), epoch=vae.epoch),
            "network": net, "tensors": table, "dtype": dtype,
            # seed 0's draws of q, which the page's ELBO of an image takes
            # as vae.elbo_parts takes them: the same numbers
            "elbo_noise": vae.q_noise(ELBO_SAMPLES, np.random.RandomState(0)
                                      ).tolist(),
            "weights": base64.b64encode(blob).decode("ascii"),
            "images": base64.b64encode(pixels.tobytes()).decode("ascii")}


def write_html(vae: TrainedModel, path: str,
               test_set: tuple[np.ndarray, np.ndarray, list[str]],
               float16: bool = False) -> str:
    """Write the page of `vae` with `test_set` (images [n, 784] in [0, 1],
    their integer labels, the class names) to the file `path`; with
    `float16`, its weights as float16 (UserError if that changes a pixel
    of a decoding by FLOAT16_LIMIT or more). Returns what it holds, in
    words."""
    dtype = "float16" if float16 else "float32"
    note = ""
    if float16:
        error = float16_error(vae)
        if error >= FLOAT16_LIMIT:
            raise UserError(f"float16 weights change the {vae.model} model's "
                            f"pixels by up to {error:.1e}, more than "
                            f"1/{round(1 / FLOAT16_LIMIT)}; "
                            "export it without --float16.")
        note = f", pixels within {error:.1e} of float32's"
    text = json.dumps(_data(vae, test_set, dtype), separators=(",", ":"))
    # "<" escaped, so that no text in the data can end its script
    html = page("window.vaeData = " + text.replace("<", "\\u003c") + ";")
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    return (f"a page of {len(test_set[1]):,} test images and {dtype} "
            f"weights{note} ({os.path.getsize(path) / 1e6:.1f} MB)")
