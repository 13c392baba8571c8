"""vae_digits: the ZhuSuan VAE that learns to write handwritten digits.

A faithful, runnable reproduction of the blog post "VAE digits with
ZhuSuan": the model (`model.py`), an SGVB training loop with resumable
checkpoints (`train.py`) and a digit generator (`generate.py`), on
TensorFlow 2.x through `tensorflow.compat.v1` in graph mode, with the
part of the ZhuSuan API it needs carried in `vae_digits.zhusuan`.
"""

__version__ = "0.1.0"
