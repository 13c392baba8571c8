"""The models of the package, one module each, found by name.

A model module holds its ZhuSuan builders, its objective and its
defaults, and tells the shared code what it needs:
- NAME, SUMMARY, DIRECTORY (under checkpoints/ and results/);
- DEFAULTS: epochs, batch_size, learning_rate and its hyperparameters;
- HYPERPARAMETERS: arguments.Flag of each hyperparameter, recorded with its
  checkpoints in model_config.json;
- BINARIZED: whether test images are binarised once (as the blog) or
  stay grey levels; TRAIN_SHARE: the leading share of the training
  images it trains on; USES_LABELS: whether training feeds the labels;
- TRAIN_METRICS and TEST_METRICS: names of its figures (metrics.LABELS);
  WHOLE_SET_TRAIN_METRICS: whether the train figures of an epoch are
  measured over the whole training set after it, as the conditioning
  post does, rather than averaged over its steps; LOSS_CURVES: the
  figures drawn in losses.png after every epoch (none: no losses.png);
- EPOCH_PICTURES: the pictures drawn after every epoch (epochs.py);
- build(hparams, learning_rate=None, batch_size=...): a graph.ModelGraph.
Adding a model means adding its module to MODELS.
"""
from vae_digits.errors import UserError
from vae_digits.models import conditional, conv, mlp

MODELS = {module.NAME: module for module in (mlp, conv, conditional)}
DEFAULT = mlp.NAME


def get(name):
    """The model module called `name`; a UserError naming the others."""
    if name not in MODELS:
        raise UserError("unknown model {!r}; choose one of {}.".format(
            name, ", ".join(sorted(MODELS))))
    return MODELS[name]
