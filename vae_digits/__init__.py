"""vae_digits: the ZhuSuan VAE that learns to write handwritten digits.

A faithful, runnable reproduction of the blog post "VAE digits with
ZhuSuan" (the default model, `model.py` and `models/mlp.py`), and of the
convolutional VAE of the latent-space post and the digit-conditioned VAE
of the conditioning post (`models/`), trained, drawn and measured by the
same commands: an SGVB training loop with resumable checkpoints
(`train.py`), a generator of pictures (`generate.py`) and an evaluator
(`evaluate.py`), on TensorFlow 2.x through `tensorflow.compat.v1` in
graph mode, with the part of the ZhuSuan API they need carried in
`vae_digits.zhusuan`.
"""

__version__ = "0.1.0"
