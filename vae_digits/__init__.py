"""vae_digits: the ZhuSuan VAE that learns to write handwritten digits.

A faithful, runnable reproduction of the blog post "VAE digits with
ZhuSuan" (the default model, models/mlp.py), and of the convolutional VAE
of the latent-space post and the digit-conditioned VAE of the
conditioning post, trained, drawn and measured by the same commands, on
TensorFlow 2.x through `tensorflow.compat.v1` in graph mode, with the
part of the ZhuSuan API they need carried in `vae_digits.zhusuan`.

The commands are the modules at the top: `python -m vae_digits.train`,
`.generate`, `.evaluate`, `.explore`, `.export` (each parses its flags
and calls one function; cli.py is what they share). The rest is in subpackages, in the
order data flows; `LAYERS` lists them bottom up, and a module imports
only from its own layer and the layers below it.

From Python: `vae = vae_digits.load(PATH)` gives a trained model that
stays loaded, and `vae_digits.train(model="conv", ...)` trains one as the
command does.
"""
import importlib

from vae_digits.trained import TrainedModel, load

__version__ = "0.1.0"
__all__ = ["load", "train", "TrainedModel", "LAYERS"]

LAYERS = (
    "core",         # defaults, errors, argument types, files, TensorFlow
    "zhusuan",      # the ZhuSuan API the models are written in
    "data",         # MNIST and Fashion-MNIST: read, checked, downloaded
    "models",       # one class per model, its builders and its graph
    "checkpoints",  # checkpoint files and model_config.json
    "trained",      # a trained model as an object: load(), its methods
    "pictures",     # PNG grids and figures of a trained model
    "training",     # a training run, its loop and record
    "page",         # the explore page and its HTTP server
    "sharing",      # a trained model exported: SavedModel, projector
    "labs",         # experiments on what a VAE's numbers mean
    "commands",     # the modules at the top: cli and the commands
)


def __getattr__(name):
    # `train` is the module of `python -m vae_digits.train`, made callable
    # (see train.py); it is imported on first use, as TensorFlow is.
    if name == "train":
        return importlib.import_module("vae_digits.train")
    raise AttributeError(f"module 'vae_digits' has no attribute {name!r}")
