"""A trained model as a Python object: `vae = vae_digits.load(PATH)`.

Layer 5: imports `core`, `data`, `models` and `checkpoints`.
- loading: `load`, which restores a checkpoint once;
- model: `TrainedModel`, whose methods (encode, decode,
  sample, vary, ...) the commands, the notebooks and the page all call;
- inputs: what a caller hands those methods, checked;
- scores: the test figures and the importance-sampled
  log-likelihood.
"""
from vae_digits.trained.loading import load
from vae_digits.trained.model import TrainedModel

__all__ = ["load", "TrainedModel"]
