"""The layers the exported page runs (`--format html`): each model of the
package as lists of operations on its checkpoint's variables, which
page/static/network.js carries out in the browser, and those variables
packed into one block of bytes.

A network is a dict of operation lists:
- `encoder`: from an image (784 values) to the hidden values that
  `mean` and `std` read; `mean` and `std` give q(z | x)'s mean and
  standard deviation (the bernoulli model: `mean`, the bits'
  probabilities, and `logits`, the same before the sigmoid);
- `classifier` (the conditional model): from an image to its ten digit
  probabilities;
- `decoder`: from a code (what TrainedModel.decode takes) to the 784
  pixel means.
An operation is {"op": "dense" | "conv2d" | "conv2d_transpose", "weights":
the variable scope of its `kernel` and `bias`, "strides" (convolutions,
`same` padding as TensorFlow pads), "activation"}, {"op": "reshape",
"shape": [height, width, channels]}, {"op": "add", "value": v}, or an
elementwise function {"op": "relu" | "sigmoid" | "tanh" | "softplus" |
"exp" | "sqrt" | "softmax"}. They are the models' builders
(models/mlp.py, iwae.py (the same nets), bernoulli.py, conv.py,
conditional.py) written out; the export's test holds the page to
vae_digits.load's answers within 1e-4.
"""
from __future__ import annotations

import numpy as np

from vae_digits.core.errors import UserError
from vae_digits.models.conv import DECODER_INPUTS
from vae_digits.sharing.savedmodel import read_weights
from vae_digits.trained import TrainedModel

__all__ = ["network", "variables", "pack", "read_network", "MODELS"]

MODELS = ("mlp", "iwae", "bernoulli", "conv", "conditional")
DTYPES = {"float32": np.dtype("<f4"), "float16": np.dtype("<f2")}


def _name(scope, kind, index):
    """The scope of the index-th layer of `kind` in `scope`, numbered as
    tf.layers numbered them (dense, dense_1, ...)."""
    return f"{scope}/{kind}" if index == 0 else f"{scope}/{kind}_{index}"


def _dense(scope, index, activation=None):
    return {"op": "dense", "weights": _name(scope, "dense", index),
            "activation": activation}


def _mlp(hparams):
    """The blog's model: 2 x 500 ReLU layers each way, Bernoulli pixels;
    std = exp(log-std)."""
    return {"encoder": [_dense("q_net", 0, "relu"), _dense("q_net", 1, "relu")],
            "mean": [_dense("q_net", 2)],
            "std": [_dense("q_net", 3), {"op": "exp"}],
            "decoder": [_dense("gen", 0, "relu"), _dense("gen", 1, "relu"),
                        _dense("gen", 2), {"op": "sigmoid"}]}


def _bernoulli(hparams):
    """The blog's nets with bits for z: q's bit probabilities are
    sigmoid(logits); the noise slider divides the logits by e^std_noise."""
    net = _mlp(hparams)
    del net["std"]
    net["logits"] = [_dense("q_net", 2)]
    net["mean"] = net["logits"] + [{"op": "sigmoid"}]
    return net


def _conv(hparams):
    """The latent-space post's model: three convolutions to the mean and
    softplus std; dense layers, three transposed convolutions at 7 x 7
    and two dense layers back."""
    side = int(DECODER_INPUTS ** 0.5)
    convolutions = [{"op": "conv2d", "weights": _name("encoder", "conv2d", i),
                     "strides": strides, "activation": "relu"}
                    for i, strides in enumerate((2, 2, 1))]
    transposed = [{"op": "conv2d_transpose", "strides": 1, "activation": "relu",
                   "weights": _name("decoder", "conv2d_transpose", i)}
                  for i in range(3)]
    return {"encoder": [{"op": "reshape", "shape": [28, 28, 1]}] + convolutions,
            "mean": [_dense("encoder", 0)],
            "std": [_dense("encoder", 1), {"op": "softplus"}],
            "decoder": [_dense("decoder", 0, "relu"), _dense("decoder", 1, "relu"),
                        {"op": "reshape", "shape": [side, side, 1]}] + transposed +
            [_dense("decoder", 2), _dense("decoder", 3), {"op": "sigmoid"}]}


def _conditional(hparams):
    """The conditioning post's model: hidden layers of one activation in
    each net; std = sqrt(1e-5 + exp(.)); the classifier's softmax."""
    depth, activation = len(hparams["hidden_layers"]), hparams["activation"]

    def hidden(scope):
        return [_dense(scope, i, activation) for i in range(depth)]
    return {"encoder": hidden("encoder"),
            "mean": [_dense("encoder", depth)],
            "std": [_dense("encoder", depth + 1), {"op": "exp"},
                    {"op": "add", "value": 1e-5}, {"op": "sqrt"}],
            "classifier": hidden("digit_classifier") + [
                _dense("digit_classifier", depth), {"op": "softmax"}],
            "decoder": hidden("decoder") + [_dense("decoder", depth),
                                            {"op": "sigmoid"}]}


_BUILDERS = {"mlp": _mlp, "iwae": _mlp, "bernoulli": _bernoulli,
             "conv": _conv, "conditional": _conditional}


def network(vae: TrainedModel) -> dict[str, list[dict]]:
    """The operation lists of the model of `vae` (see above); UserError
    for a model outside the package, whose layers the page cannot know."""
    if vae.model not in _BUILDERS:
        raise UserError(f"--format html runs the layers of the package's "
                        f"models ({', '.join(MODELS)}), and {vae.model} is "
                        "not one of them; export it with --format "
                        "savedmodel.")
    return _BUILDERS[vae.model](vae.hparams)


def variables(net: dict[str, list[dict]]) -> list[str]:
    """The names of the variables the operations of `net` read."""
    return [f"{op['weights']}/{part}" for ops in net.values() for op in ops
            if "weights" in op for part in ("kernel", "bias")]


def pack(weights: dict[str, np.ndarray], dtype: str = "float32"
         ) -> tuple[bytes, dict[str, dict]]:
    """(the bytes of `weights` as little-endian `dtype`, one after the
    other, each at a multiple of 4 bytes; {name: {"offset": bytes,
    "shape": [...]}})."""
    blob, table, offset = [], {}, 0
    for name, value in weights.items():
        raw = np.ascontiguousarray(value, DTYPES[dtype]).tobytes()
        raw += b"\0" * (-len(raw) % 4)
        table[name] = {"offset": offset, "shape": list(np.shape(value))}
        blob.append(raw)
        offset += len(raw)
    return b"".join(blob), table


def read_network(vae: TrainedModel) -> tuple[dict, dict[str, np.ndarray]]:
    """(the operation lists of `vae`'s model, {name: float32 array} of the
    variables they read, from its checkpoint)."""
    net = network(vae)
    return net, read_weights(vae.checkpoint, variables(net))
