"""Write the fixtures of the page's JavaScript unit tests (tests/js/*.json)
from tests/js/reference.py: python tests/js/make_fixtures.py. Seeded:
the same files each run (tests/test_javascript.py holds them to it).
--check-tensorflow first holds reference.py's convolutions and their
transposes to TensorFlow's on the fixtures' cases."""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")


def plain(value):
    """numpy inside `value` as JSON's lists and numbers."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    return value


def coordinates(rng):
    """Pointers over the map shown at its own size and shrunk (a phone),
    the plane's points under them, and the projection both ways."""
    cases = []
    for shown, border, limit in ((520, 1, 3.), (358, 1, 8.), (301.5, 0, 40.)):
        box = {"left": rng.uniform(0, 50), "top": rng.uniform(100, 900), "border": border,
               "width": 520, "height": 520, "clientWidth": shown, "clientHeight": shown}
        for _ in range(4):
            client = [box["left"] + rng.uniform(0, shown), box["top"] + rng.uniform(0, shown)]
            point = ref.canvas_point(client, box)
            cases.append({"box": box, "client": client, "limit": limit, "canvas": point,
                          "plane": ref.plane_of_canvas(point, limit, 520)})
    mean, (q, _) = rng.normal(size=5), np.linalg.qr(rng.normal(size=(5, 2)))
    components = q.T
    points = rng.uniform(-3, 3, size=(4, 2))
    projection = {"mean": mean, "components": components, "points": points,
                  "codes": [ref.code_of_plane(p, mean, components) for p in points],
                  "labelled": [ref.code_of_plane(p, mean, components, d)
                               for p, d in zip(points, (0, 4, 7, 9))],
                  "digits": [0, 4, 7, 9]}
    z = rng.normal(size=(3, 5))
    projection["z"] = z
    projection["planes"] = [ref.plane_of_code(v, mean, components) for v in z]
    a, b = rng.normal(size=4), rng.normal(size=4)
    return {"pointer": cases, "projection": projection, "colours": colours(),
            "toCanvas": [{"plane": p, "limit": 4., "width": 520,
                          "canvas": ref.canvas_of_plane(p, 4., 520)} for p in points],
            "interpolation": {"a": a, "b": b,
                              "codes": [a + (b - a) * t for t in np.linspace(0, 1, 10)]},
            "fontSize": [[c, w, s, ref.font_size(c, w, s)]
                         for c, w, s in ((13, 520, 520), (13, 520, 358), (12, 560, 300.5),
                                         (13, 520, 700))]}


def colours():
    """matplotlib's tab10, the colours of the classes in the package's figures."""
    from matplotlib import colormaps, colors  # noqa: PLC0415
    return [colors.to_hex(c) for c in colormaps["tab10"].colors]


def strokes_of(rng, kind):
    if kind == "dot":
        return [[[0.4, 0.6]]]
    if kind == "one":
        return [[[0.5, 0.2 + 0.025 * k] for k in range(25)]]
    if kind == "wide":  # wider than tall: the box's width sets the scale
        return [[[0.1 + 0.04 * k, 0.5 + 0.01 * np.sin(k)] for k in range(20)]]
    return [np.cumsum(rng.normal(0, 0.03, size=(rng.integers(1, 30), 2)), axis=0) + 0.5
            for _ in range(rng.integers(1, 4))]


def pad(rng):
    drawings = []
    for kind in ("dot", "one", "wide", "random", "random", "random"):
        strokes = plain(strokes_of(rng, kind))
        drawings.append({"kind": kind, "strokes": strokes, "image": ref.normalise(strokes)})
    grids = []  # strokes running off a small grid, every pen width
    for width in (1.0, 2.5, 4.0):
        strokes = plain([rng.uniform(-0.2, 1.2, size=(5, 2)), rng.uniform(0, 1, size=(1, 2))])
        ink = ref.rasterise(strokes, 16, 16, (0.3, -0.2), width)
        grids.append({"strokes": strokes, "width": width, "ink": ink.ravel().astype(int)})
    images = [rng.uniform(size=784) * (rng.uniform(size=784) < 0.2) for _ in range(3)]
    return {"drawings": drawings, "grids": grids,
            "mass": [{"image": image, "centre": ref.centre_of_mass(image)} for image in images]}


def sequence(seed, method, count, *args):
    """`count` draws of Mulberry32(seed).method(*args), in order."""
    generator = ref.Mulberry32(seed)
    return [getattr(generator, method)(*args) for _ in range(count)]


def draws():
    seeds = (0, 1, 7, 123456789, 2 ** 32 - 1)
    return {"uniform": [{"seed": s, "values": sequence(s, "uniform", 12)} for s in seeds],
            "normal": [{"seed": s, "values": sequence(s, "normal", 8)} for s in seeds],
            "below": [{"seed": s, "n": n, "values": sequence(s, "below", 20, n)}
                      for s, n in ((3, 10), (5, 2), (11, 1000))],
            "game": [dict(args=args, **ref.game_draw(*args))
                     for args in ((16, 500, 2, False, 7), (16, 500, 10, True, 3),
                                  (9, 12, 3, True, 1), (64, 64, 1, True, 99))]}


def sparse(rng, *shape):
    """Normal values with a fifth of them 0 (the page skips zeros)."""
    return rng.normal(size=shape) * (rng.uniform(size=shape) > 0.2)


def operations(rng):
    """Dense layers and convolutions (odd sizes, even kernels, strides 1 to
    3), float16 bits of every kind, and the elementwise functions."""
    f32 = lambda *shape: rng.normal(size=shape).astype(np.float32)  # noqa: E731
    dense = []
    for inputs, units in ((5, 3), (12, 7), (1, 4)):
        x, kernel, bias = sparse(rng, inputs).astype(np.float32), f32(inputs, units), f32(units)
        dense.append({"x": x, "kernel": kernel.ravel(), "bias": bias, "shape": [inputs, units],
                      "out": ref.dense(x, kernel, bias)})
    conv, transposed = [], []
    for (h, w, c), k, f, s in (((7, 7, 2), 3, 3, 1), ((6, 5, 3), 4, 2, 2),
                               ((9, 8, 1), 3, 2, 3), ((5, 5, 2), 2, 1, 2), ((4, 3, 2), 5, 2, 1)):
        x, kernel, bias = sparse(rng, h, w, c).astype(np.float32), f32(k, k, c, f), f32(f)
        out = ref.conv2d(x.astype(float), kernel, bias, s)
        conv.append({"x": x.ravel(), "shape": [h, w, c], "kernel": kernel.ravel(), "k": k,
                     "kernelShape": [k, k, c, f], "bias": bias, "strides": s,
                     "out": out.ravel(), "outShape": list(out.shape)})
        # the transpose: kernel [k, k, f, c] as tf.layers keeps it
        y = sparse(rng, h, w, c).astype(np.float32)
        kernel, bias = f32(k, k, f, c), f32(f)
        out = ref.conv2d_transpose(y.astype(float), kernel, bias, s)
        transposed.append({"x": y.ravel(), "shape": [h, w, c], "kernel": kernel.ravel(), "k": k,
                           "kernelShape": [k, k, f, c], "bias": bias, "strides": s,
                           "out": out.ravel(), "outShape": list(out.shape)})
    bits = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0xBC00, 0x3555, 0x7BFF,
            0xFBFF, 0x7C00, 0xFC00, 0x4248, 0xC248, 0x1234, 0x5678]
    values = [-40., -31., -3., -0.5, 0., 0.25, 2., 29.9, 30.5, 45.]
    functions = {name: f(np.array(values)) for name, f in ref.FUNCTIONS.items()
                 if name != "sqrt"}
    functions["sqrt"] = np.sqrt(np.abs(values))
    same = [[size, k, s, *ref.same_padding(size, k, s)]
            for size in (1, 5, 7, 8, 28) for k in (1, 2, 3, 5) for s in (1, 2, 3)]
    return {"dense": dense, "conv2d": conv, "conv2d_transpose": transposed,
            # JSON has no NaN nor infinity: null and the strings
            "halves": {"bits": bits, "values": [None if np.isnan(v) else str(v) if np.isinf(v)
                                                else v for v in ref.halves_to_floats(bits)]},
            "functions": {"inputs": values, "outputs": functions}, "same": same}


def game_images(rng):
    """Grey images for black and white: ties, and sums at a half."""
    images = [rng.uniform(size=784) * (rng.uniform(size=784) < 0.15) for _ in range(3)]
    tied = np.zeros(784)
    tied[100:140] = 0.25  # 40 pixels of 0.25 add up to 10: the first 10 white
    for count in (21, 23):  # 10.5 and 11.5: numpy's rint makes them 10 and 12
        half = np.zeros(784)
        half[-count:] = 0.5
        images.append(half)
    images.append(tied)
    return [{"image": image, "out": ref.black_and_white(image)} for image in images]


def likelihoods(rng):
    x = (rng.uniform(size=784) < 0.3).astype(float)
    means = rng.uniform(size=784)
    means[:3] = (0., 1., 1e-9)
    grey = rng.uniform(size=784)
    mean, std = rng.normal(size=4), rng.uniform(0.2, 2, size=4)
    probabilities = np.array([0., 0.5, 0.9, 1.])
    return {"bernoulli": {"x": x, "means": means,
                          "value": ref.pixel_log_likelihood(x, means, {"kind": "bernoulli"})},
            "normal": {"x": grey, "means": means, "std": 0.3, "value": ref.pixel_log_likelihood(
                grey, means, {"kind": "normal", "std": 0.3})},
            "gaussianKl": {"mean": mean, "std": std, "kl": ref.latent_kl(mean, std)},
            "bitsKl": {"mean": probabilities, "kl": ref.latent_kl(probabilities, None)}}


def write(name, value):
    with open(os.path.join(FIXTURES, f"{name}.json"), "w") as f:
        json.dump(plain(value), f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


def build():
    """{name: fixture} of every fixture file, from seeded draws."""
    rng = np.random.default_rng(31)
    from model_pages import models  # noqa: PLC0415 (the synthetic models, beside)
    return {"coordinates": coordinates(rng), "pad": pad(rng), "draws": draws(),
            "operations": dict(operations(rng), blackAndWhite=game_images(rng),
                               likelihoods=likelihoods(rng)),
            # one file a model, each well under 512 KB
            **{f"model-{name}": model for name, model in models(rng).items()}}


def check_tensorflow(operations):
    """reference.py's conv2d and conv2d_transpose against tf.nn's."""
    import tensorflow as tf  # noqa: PLC0415
    for kind in ("conv2d", "conv2d_transpose"):
        for case in operations[kind]:
            x = np.reshape(case["x"], case["shape"])[None].astype(np.float64)
            kernel = np.reshape(case["kernel"], case["kernelShape"]).astype(np.float64)
            if kind == "conv2d":
                out = tf.nn.conv2d(x, kernel, case["strides"], "SAME")
            else:
                out = tf.nn.conv2d_transpose(x, kernel, [1] + case["outShape"],
                                             case["strides"], "SAME")
            out = out.numpy()[0] + case["bias"]
            error = np.abs(out.ravel() - case["out"]).max()
            assert error < 1e-9, f"{kind} {case['shape']}: {error}"
    print("reference.py's convolutions are TensorFlow's")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check-tensorflow", action="store_true",
                        help="hold the convolutions to TensorFlow's first")
    fixtures = build()
    if parser.parse_args().check_tensorflow:
        check_tensorflow(plain(fixtures["operations"]))
    os.makedirs(FIXTURES, exist_ok=True)
    for name, value in fixtures.items():
        write(name, value)
        print(f"wrote {os.path.relpath(os.path.join(FIXTURES, name + '.json'))}")


if __name__ == "__main__":
    main()
