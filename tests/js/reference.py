"""The explore page's logic computed apart from its JavaScript, in numpy,
for the fixtures of tests/js/ (make_fixtures.py writes them): the
canvas's coordinates, the map's projection, the pad's MNIST
normalisation, the page's seeded draws (mulberry32 and Box-Muller), the
game's draw and its black and white, and the exported page's network
(dense layers, convolutions with TensorFlow's `same` padding, their
transposes as the adjoint of the convolution's matrix, float16 weights).
Each is written from its definition, not from the JavaScript's loops."""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

SIDE, MARGIN, PIXELS = 28, 44, 784
BOX, INK_WIDTH, SUPERSAMPLE, MIN_SPAN = 20, 3.0, 8, 0.02
MASK = 0xFFFFFFFF


# ---- where a pointer is: CSS pixels, the canvas's pixels, the plane ----
def canvas_point(client, box):
    """The canvas pixel under the CSS point `client`: its offset in the
    canvas's content box, as a part of the box's CSS size, times the
    canvas's own size."""
    left = box["left"] + box["border"]
    top = box["top"] + box["border"]
    return [(client[0] - left) / box["clientWidth"] * box["width"],
            (client[1] - top) / box["clientHeight"] * box["height"]]


def plane_of_canvas(point, limit, width):
    """The plane's point of a canvas pixel: [-limit, limit] on both axes
    spans the square inside the margins, y up."""
    u, v = ((np.asarray(point, float) - MARGIN) / (width - 2 * MARGIN))
    return [limit * (2 * u - 1), limit * (1 - 2 * v)]


def canvas_of_plane(point, limit, width):
    """The inverse of plane_of_canvas, solved as a linear map."""
    scale = (width - 2 * MARGIN) / (2 * limit)
    matrix = np.array([[scale, 0], [0, -scale]])
    return list(matrix @ np.asarray(point, float) + [MARGIN + limit * scale] * 2)


def code_of_plane(point, mean, components, digit=None):
    z = np.asarray(mean) + np.asarray(point) @ np.asarray(components)
    return list(z) + ([] if digit is None else list(np.eye(10)[digit]))


def plane_of_code(z, mean, components):
    return list(np.asarray(components) @ (np.asarray(z) - mean))


def font_size(css_px, width, shown):
    return math.ceil(css_px * max(1, width / shown))


# ---- the pad: strokes to an MNIST digit ----
def rasterise(strokes, size, k, offset, width):
    """1 where a pixel's centre lies within width / 2 of a stroke (its
    segments, or its one point), mapped by k and offset."""
    ys, xs = np.mgrid[:size, :size] + 0.5
    ink = np.zeros((size, size), bool)
    for stroke in strokes:
        points = [np.array(offset) + k * np.array(p) for p in stroke]
        for a, b in zip(points, points[1:] or points):
            d = b - a
            t = 0 if not d.any() else np.clip(
                ((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / (d @ d), 0, 1)
            gap = np.hypot(xs - a[0] - t * d[0], ys - a[1] - t * d[1])
            ink |= gap <= width / 2
    return ink


def averaged(ink):
    """Each 8 x 8 block's mean: 28 x 28 values in 0..1."""
    return ink.reshape(SIDE, SUPERSAMPLE, SIDE, SUPERSAMPLE).mean(axis=(1, 3))


def centre_of_mass(image):
    image = np.asarray(image).reshape(SIDE, SIDE)
    if not image.sum():
        return [SIDE / 2, SIDE / 2]
    rows, columns = np.mgrid[:SIDE, :SIDE] + 0.5
    return [(image * columns).sum() / image.sum(), (image * rows).sum() / image.sum()]


def normalise(strokes):
    """MNIST's way: the bounding box into 20 x 20 less the pen, centred,
    then moved so that the centre of mass is the image's centre."""
    points = np.array([p for stroke in strokes for p in stroke])
    low, high = points.min(axis=0), points.max(axis=0)
    k = (BOX - INK_WIDTH) / max(*(high - low), MIN_SPAN)
    offset = SIDE / 2 - k * (low + high) / 2

    def draw(offset):
        return averaged(rasterise(strokes, SIDE * SUPERSAMPLE, k * SUPERSAMPLE,
                                  np.asarray(offset) * SUPERSAMPLE,
                                  INK_WIDTH * SUPERSAMPLE))
    mass = centre_of_mass(draw(offset))
    return draw(offset + SIDE / 2 - np.array(mass)).ravel()


# ---- the page's seeded draws ----
class Mulberry32:
    """mulberry32 on unsigned 32-bit integers, and Box-Muller normals."""

    def __init__(self, seed):
        self.state = seed & MASK

    def uniform(self):
        self.state = (self.state + 0x6D2B79F5) & MASK
        s = self.state
        t = ((s ^ (s >> 15)) * (1 | s)) & MASK
        t = ((t + (((t ^ (t >> 7)) * (61 | t)) & MASK)) & MASK) ^ t
        return ((t ^ (t >> 14)) & MASK) / 2 ** 32

    def normal(self):
        u = self.uniform()
        return math.sqrt(-2 * math.log(1 - u)) * math.cos(2 * math.pi * self.uniform())

    def below(self, n):
        return math.floor(self.uniform() * n)


def game_draw(n, n_test, z_dim, has_labels, seed):
    """Fisher-Yates over the tiles (the model's half first), a partial
    Fisher-Yates over the test images, then the codes."""
    random, half = Mulberry32(seed), n // 2
    machine = [i < half for i in range(n)]
    for i in range(n - 1, 0, -1):
        j = random.below(i + 1)
        machine[i], machine[j] = machine[j], machine[i]
    indices = list(range(n_test))
    for i in range(n - half):
        j = i + random.below(n_test - i)
        indices[i], indices[j] = indices[j], indices[i]
    codes = []
    for _ in range(half):
        z = [random.normal() for _ in range(z_dim)]
        if has_labels:
            z += list(np.eye(10)[random.below(10)])
        codes.append(list(np.float32(z).astype(float)))
    return {"machine": machine, "indices": indices[:n - half], "codes": codes}


def black_and_white(image):
    """The round(sum) brightest pixels white (ties: the first), numpy's
    round half to even."""
    image = np.asarray(image, float)
    count = int(np.rint(image.sum()))
    order = np.argsort(-image, kind="stable")
    out = np.zeros(len(image))
    out[order[:count]] = 1
    return list(out)


# ---- the exported page's network ----
def halves_to_floats(bits):
    return list(np.array(bits, np.uint16).view(np.float16).astype(np.float64))


def dense(x, kernel, bias):
    return np.asarray(x, float) @ kernel + bias


def same_padding(size, k, strides):
    out = -(-size // strides)
    return out, max((out - 1) * strides + k - size, 0) // 2


def conv2d(x, kernel, bias, strides):
    """TensorFlow's conv2d, `same` padding: x [..., h, w, c], kernel
    [k, k, c, f]: each output pixel the kernel's sum over its patch."""
    h, w, c = x.shape[-3:]
    k = kernel.shape[0]
    (oh, top), (ow, left) = same_padding(h, k, strides), same_padding(w, k, strides)
    size = ((oh - 1) * strides + k, (ow - 1) * strides + k)
    padded = np.zeros(x.shape[:-3] + size + (c,))
    rows, columns = min(h, size[0] - top), min(w, size[1] - left)
    padded[..., top:top + rows, left:left + columns, :] = x[..., :rows, :columns, :]
    patches = sliding_window_view(padded, (k, k), axis=(-3, -2))[
        ..., ::strides, ::strides, :, :, :]
    return np.einsum("...ijcab,abcf->...ijf", patches, kernel) + bias


def conv2d_transpose(y, kernel, bias, strides):
    """TensorFlow's conv2d_transpose, `same` padding: y [h, w, c], kernel
    [k, k, f, c] (as tf.layers keeps it), out [h * s, w * s, f]: the
    adjoint of conv2d from [h * s, w * s, f] to [h, w, c], as a matrix."""
    h, w, c = y.shape
    shape = (h * strides, w * strides, kernel.shape[2])
    basis = np.eye(np.prod(shape)).reshape((-1,) + shape)
    matrix = conv2d(basis, kernel, 0., strides).reshape(len(basis), -1)
    return (matrix @ y.ravel()).reshape(shape) + bias


FUNCTIONS = {"relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
             "tanh": np.tanh, "softplus": lambda v: np.logaddexp(0, v), "exp": np.exp,
             "sqrt": np.sqrt}


def layer(kind, x, kernel, bias, strides):
    if kind == "dense":
        return dense(np.ravel(x), kernel, bias)
    return (conv2d if kind == "conv2d" else conv2d_transpose)(x, kernel, bias, strides)


def run(ops, x, weights):
    """A network's operation list (vae_digits/sharing/networks.py) on x."""
    for op in ops:
        kind = op["op"]
        if kind == "reshape":
            x = np.reshape(x, op["shape"])
        elif kind == "softmax":
            e = np.exp(x - x.max())
            x = e / e.sum()
        elif kind == "add":
            x = x + np.float32(op["value"])
        elif "weights" not in op:
            x = FUNCTIONS[kind](x)
        else:
            x = layer(kind, x, weights[op["weights"] + "/kernel"],
                      weights[op["weights"] + "/bias"], op.get("strides"))
            if op.get("activation"):
                x = FUNCTIONS[op["activation"]](x)
    return np.ravel(x)


def pixel_log_likelihood(x, means, pixels):
    if pixels["kind"] == "normal":
        variance = pixels["std"] ** 2
        return float(np.sum(-0.5 * ((x - means) ** 2 / variance + np.log(2 * np.pi * variance))))
    means = np.clip(means, 1e-6, 1 - 1e-6)
    return float(np.sum(x * np.log(means) + (1 - x) * np.log1p(-means)))


def latent_kl(mean, std):
    """KL(q || p) of each dimension: Gaussians against N(0, 1), or bits
    of probability `mean` against fair coins (std None)."""
    if std is not None:
        return list(0.5 * (mean ** 2 + std ** 2 - np.log(std ** 2) - 1))
    p = np.clip(mean, 1e-12, 1 - 1e-12)
    return list(p * np.log(2 * p) + (1 - p) * np.log(2 * (1 - p)))
