"""vae_digits: the ZhuSuan VAE that learns to write handwritten digits.

A faithful, runnable reproduction of the blog post "VAE digits with
ZhuSuan" (the default model, `model.py` and `models/mlp.py`), and of the
convolutional VAE of the latent-space post and the digit-conditioned VAE
of the conditioning post (`models/`), trained, drawn and measured by the
same commands: an SGVB training loop with resumable checkpoints
(`train.py`), a generator of pictures (`generate.py`), an evaluator
(`evaluate.py`) and a page in the browser to play with a model
(`explore.py`), on TensorFlow 2.x through `tensorflow.compat.v1` in
graph mode, with the part of the ZhuSuan API they need carried in
`vae_digits.zhusuan`.

From Python: `vae = vae_digits.load(PATH)` gives a trained model that
stays loaded (trained.py), and `vae_digits.train(model="conv", ...)`
trains one as the command does.
"""
import importlib

from vae_digits.trained import TrainedModel, load

__version__ = "0.1.0"
__all__ = ["load", "train", "TrainedModel"]


def __getattr__(name):
    # `train` is the module of `python -m vae_digits.train`, made callable
    # (see train.py); it is imported on first use, as TensorFlow is.
    if name == "train":
        return importlib.import_module("vae_digits.train")
    raise AttributeError("module 'vae_digits' has no attribute "
                         "{!r}".format(name))
