"""`vae_digits.load(PATH)`: find the checkpoint to restore, build its
model's graph once, restore the weights into one session and hand them
to a TrainedModel (model.py)."""
from __future__ import annotations

import os

from vae_digits import models
from vae_digits.checkpoints.model_config import check_named_model, read_model_config
from vae_digits.checkpoints.names import complete_checkpoints, resolve_checkpoint
from vae_digits.core.config import X_DIM
from vae_digits.core.errors import UserError
from vae_digits.trained.model import TrainedModel

__all__ = ["load"]


def load(path: str | os.PathLike, seed: int | None = None,
         model: str | None = None) -> TrainedModel:
    """The trained model at `path`: a checkpoint directory (its newest
    checkpoint that can be read; newer unreadable ones are skipped with a
    warning) or one checkpoint (vae.epoch.N.ckpt). A directory written by
    the original script (no model_config.json) holds the blog's model.
    `seed` fixes the graph's own random draws (evaluate's particles).
    `model`: the model it must hold (None: any built-in one). A model of
    your own, outside the package, is imported only when named here (or
    already imported at your request): a checkpoint runs no code you did
    not ask for.
    Raises UserError (a ValueError) with the fix when there is nothing to
    load."""
    from vae_digits.checkpoints.saving import restore_readable
    from vae_digits.core.compat import tf

    path = os.fspath(path)
    candidates = _candidates(path)
    model_config = _model_config(path, candidates, model)
    with tf.Graph().as_default() as tf_graph:
        if seed is not None:
            tf.set_random_seed(seed)
        graph = models.get(model_config["model"]).build(model_config)
        saver = tf.train.Saver(var_list=tf.trainable_variables())
        tf_graph.finalize()
    # a directory that a training run rotates is looked at again
    rescan = (lambda: complete_checkpoints(path)) if os.path.isdir(path) \
        else None
    session = tf.Session(graph=tf_graph)
    try:
        checkpoint = restore_readable(session, saver, candidates, rescan)
    except BaseException:
        session.close()
        raise
    return TrainedModel(session, graph, model_config, checkpoint,
                        owns_session=True)


def _model_config(path, candidates, model):
    """The model configuration of the `candidates` at `path`, checked to
    be the `model` named (None: any) and of MNIST-sized images."""
    model_config = read_model_config(os.path.dirname(candidates[0]) or ".",
                                     model)
    check_named_model(path, model_config, model)
    if model_config["x_dim"] != X_DIM:
        raise UserError(f"{path} holds a model of {model_config['x_dim']} "
                        f"pixels, not MNIST's {X_DIM}; pass a checkpoint "
                        "trained on MNIST.")
    return model_config


def _candidates(path):
    """The checkpoints `path` names, oldest first: a directory's complete
    ones, or the one checkpoint."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"{os.fsencode(path)!r} is not a UTF-8 name, which "
                        "TensorFlow's checkpoint reader needs; rename it."
                        ) from None
    if os.path.isdir(path):
        candidates = complete_checkpoints(path)
        if not candidates:
            raise UserError(f"no checkpoint in {path}: train first with "
                            "`python -m vae_digits.train`, or pass another "
                            "directory.")
        return candidates
    if os.path.exists(path) and not os.path.exists(path + ".index") \
            and not path.endswith(".index"):
        raise UserError(f"{path} is neither a checkpoint directory nor a "
                        "checkpoint (vae.epoch.N.ckpt); pass one of those.")
    if not os.path.exists(path + ".index") and not path.endswith(
            (".ckpt", ".index")):
        # a directory that is not there, e.g. a model not yet trained
        raise UserError(f"no checkpoint directory {path}: train first with "
                        "`python -m vae_digits.train` (`--model NAME` for "
                        "another model than the blog's), or pass the "
                        "directory or checkpoint of a trained model.")
    return [resolve_checkpoint(os.path.dirname(path) or ".", path)]
