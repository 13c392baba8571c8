"""Small models of random weights in the exported page's format
(window.vaeData: vae_digits/sharing/html.py), each with what its page
should answer, computed by reference.py: a conditional one that runs
every operation (convolutions and their transposes, the classifier's
softmax, std = sqrt(1e-5 + exp(.))), the blog's kind with Normal pixels
and float16 weights, and one with bits for z."""
import base64

import numpy as np
import reference as ref

N_TEST = 6
ELBO_SAMPLES = 2


def dense(scope, activation=None):
    return {"op": "dense", "weights": scope, "activation": activation}


def conditional_net():
    conv = lambda scope, kind, s, a: {"op": kind, "weights": scope, "strides": s,  # noqa: E731
                                      "activation": a}
    return {"encoder": [{"op": "reshape", "shape": [28, 28, 1]},
                        conv("e/c0", "conv2d", 2, "relu"), conv("e/c1", "conv2d", 2, "tanh"),
                        dense("e/d0", "softplus")],
            "mean": [dense("e/mean")],
            "std": [dense("e/std"), {"op": "exp"}, {"op": "add", "value": 1e-5}, {"op": "sqrt"}],
            "classifier": [dense("c/d0"), {"op": "softmax"}],
            "decoder": [dense("d/d0", "relu"), {"op": "reshape", "shape": [7, 7, 1]},
                        conv("d/t0", "conv2d_transpose", 2, "relu"),
                        conv("d/t1", "conv2d_transpose", 2, None), {"op": "sigmoid"}]}


def blog_net(bits):
    net = {"encoder": [dense("q/d0", "relu")], "decoder": [dense("g/d0", "relu"), dense("g/d1"),
                                                           {"op": "sigmoid"}]}
    if bits:
        net["logits"] = [dense("q/logits")]
        net["mean"] = net["logits"] + [{"op": "sigmoid"}]
    else:
        net["mean"], net["std"] = [dense("q/mean")], [dense("q/std"), {"op": "exp"}]
    return net


SHAPES = {"e/c0": (3, 3, 1, 2), "e/c1": (3, 3, 2, 2), "e/d0": (98, 6), "e/mean": (6, 3),
          "e/std": (6, 3), "c/d0": (784, 10), "d/d0": (13, 49), "d/t0": (3, 3, 2, 1),
          "d/t1": (3, 3, 1, 2), "q/d0": (784, 8), "q/mean": (8, 2), "q/std": (8, 2),
          "q/logits": (8, 4), "g/d0": (2, 8), "g/d1": (8, 784)}


def weights_of(net, rng, dtype, code_dim):
    """{name: float32 array} of the variables `net` reads, as stored in
    `dtype` (float16 rounds them)."""
    weights = {}
    for ops in net.values():
        for op in ops:
            if "weights" in op and op["weights"] + "/kernel" not in weights:
                shape = SHAPES[op["weights"]]
                if op["weights"] == "g/d0":
                    shape = (code_dim, 8)
                scale = (6 if op["weights"] == "q/logits" else 1) / np.sqrt(np.prod(shape[:-1]))
                units = shape[2] if op["op"] == "conv2d_transpose" else shape[-1]
                for part, size in (("kernel", shape), ("bias", (units,))):
                    value = (rng.normal(size=size) * scale).astype(dtype).astype(np.float32)
                    weights[f"{op['weights']}/{part}"] = value
    return weights


def packed(weights, dtype):
    """The weights one after the other as little-endian `dtype`, each at
    a multiple of 4 bytes, and their table."""
    blob, table = b"", {}
    for name, value in weights.items():
        table[name] = {"offset": len(blob), "shape": list(value.shape)}
        raw = value.astype(np.dtype(dtype).newbyteorder("<")).tobytes()
        blob += raw + b"\0" * (-len(raw) % 4)
    return base64.b64encode(blob).decode("ascii"), table


class Page:
    """A model page's weights run by reference.py."""

    def __init__(self, data, net, weights, images):
        self.model, self.net, self.weights = data["model"], net, weights
        self.bits, self.test = "logits" in net, images.astype(float) / 255

    def decode(self, code):
        return ref.run(self.net["decoder"], np.asarray(code, float), self.weights)

    def classify(self, x):
        return ref.run(self.net["classifier"], x, self.weights)

    def posterior(self, x):
        hidden = ref.run(self.net["encoder"], x, self.weights)
        q = {"mean": ref.run(self.net["mean"], hidden, self.weights)}
        other = "logits" if self.bits else "std"
        q[other] = ref.run(self.net[other], hidden, self.weights)
        return q

    def elbo(self, x, noise, n):
        """vae.elbo_parts of x with n codes of q drawn from `noise`."""
        q = self.posterior(x)
        extra = list(self.classify(x)) if "classifier" in self.net else []
        zs = [np.float32([float(noise[s][k] < m) if self.bits else m + q["std"][k] * noise[s][k]
                          for k, m in enumerate(q["mean"])] + extra) for s in range(n)]
        decodings = [self.decode(z) for z in zs]
        reconstruction = -sum(ref.pixel_log_likelihood(x, d, self.model["pixels"])
                              for d in decodings) / n
        kl = ref.latent_kl(q["mean"], q.get("std"))
        return {"reconstruction": reconstruction, "kl": sum(kl),
                "elbo": -(reconstruction + sum(kl)), "kl_per_dimension": kl, "image": x,
                "decodings": decodings}

    def vary(self, index, noise, n, seed):
        """n decodings of z ~ N(mean, (std e^noise)^2), or of bits of
        sigmoid(logits / e^noise), seeded."""
        q, g, scale = self.posterior(self.test[index]), ref.Mulberry32(seed), np.exp(noise)
        if self.bits:
            draw = lambda: [float(g.uniform() < 1 / (1 + np.exp(-v / scale)))  # noqa: E731
                            for v in q["logits"]]
        else:
            draw = lambda: [m + s * scale * g.normal()  # noqa: E731
                            for m, s in zip(q["mean"], q["std"])]
        return {"args": [index, noise, n, seed], "image": self.test[index],
                "images": [self.decode(np.float32(draw())) for _ in range(n)]}

    def game(self, n, seed):
        draw = ref.game_draw(n, N_TEST, self.model["z_dim"], self.model["has_labels"], seed)
        drawn, real = iter(draw["codes"]), iter(draw["indices"])
        return {"args": [n, seed], "machine": draw["machine"],
                "images": [ref.black_and_white(self.decode(next(drawn)) if m
                                               else self.test[next(real)])
                           for m in draw["machine"]]}


def answers(data, page, rng):
    """What the page of `data` should answer: decodings, encodings,
    classes, the noise slider, the ELBO, the game."""
    codes = rng.normal(size=(3, page.model["code_dim"])).astype(np.float32)
    grey = rng.uniform(size=(2, 784)).astype(np.float32)
    out = {"codes": codes, "decodings": [page.decode(c) for c in codes], "images": grey,
           "means": [page.posterior(x)["mean"] for x in grey]}
    if "classifier" in page.net:
        out["classes"] = [page.classify(x) for x in grey]
    generator = ref.Mulberry32(5)
    seeded = [[generator.uniform() if page.bits else generator.normal()
               for _ in range(page.model["z_dim"])] for _ in range(3)]
    noise = data["elbo_noise"]
    out["elbo"] = [
        {"request": {"index": 2}, "parts": page.elbo(page.test[2], noise, ELBO_SAMPLES)},
        {"request": {"image": list(grey[0]), "n": 1},
         "parts": page.elbo(grey[0].astype(float), noise, 1)},
        {"request": {"index": 4, "n": 3, "seed": 5}, "parts": page.elbo(page.test[4], seeded, 3)}]
    if not page.model["has_labels"]:
        out["vary"] = [page.vary(1, 0.7, 3, 0), page.vary(5, 1.4, 2, 9)]
    out["game"] = page.game(4, 11)
    return out


def model_page(rng, net, model, dtype):
    """window.vaeData of a model and what its page should answer."""
    weights = weights_of(net, rng, dtype, model["code_dim"])
    blob, table = packed(weights, dtype)
    images = (rng.uniform(size=(N_TEST, 784)) < 0.25) * rng.integers(1, 256, size=(N_TEST, 784))
    noise = (rng.uniform(size=(ELBO_SAMPLES, model["z_dim"])) if "logits" in net
             else rng.normal(size=(ELBO_SAMPLES, model["z_dim"])))
    data = {"model": dict(model, n_test=N_TEST, elbo_samples=ELBO_SAMPLES),
            "latent": {"limit": 3.0}, "network": net, "tensors": table, "dtype": dtype,
            "elbo_noise": noise, "weights": blob,
            "images": base64.b64encode(images.astype(np.uint8).tobytes()).decode("ascii")}
    page = Page(data, net, weights, images.astype(np.uint8))
    return {"data": data, "expected": answers(data, page, rng)}


def models(rng):
    base = {"class_names": [str(k) for k in range(10)], "binary_codes": False}
    return {
        "conditional": model_page(rng, conditional_net(), dict(
            base, model="conditional", z_dim=3, code_dim=13, has_labels=True,
            pixels={"kind": "bernoulli"}), "float32"),
        "normal16": model_page(rng, blog_net(False), dict(
            base, model="conv", z_dim=2, code_dim=2, has_labels=False,
            pixels={"kind": "normal", "std": 0.5}), "float16"),
        "bits": model_page(rng, blog_net(True), dict(
            base, model="bernoulli", z_dim=4, code_dim=4, has_labels=False, binary_codes=True,
            pixels={"kind": "bernoulli"}), "float32")}
