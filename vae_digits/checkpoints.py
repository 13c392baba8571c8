"""Checkpoint files: names, the newest one, and the model configuration.

Checkpoints are TensorFlow checkpoints named `vae.epoch.N.ckpt`, as the
blog's script wrote them. Beside them `model_config.json` records the
model they hold (its name, dataset, x_dim and hyperparameters); a
directory written by the original script has none and is read as the
blog's model. Nothing here imports
TensorFlow, so the command lines can check their inputs before paying
for that import.
"""
import argparse
import glob
import json
import os
import re

from vae_digits.atomic import atomic_path
from vae_digits.config import (CHECKPOINT_PREFIX, MODEL_CONFIG_NAME, X_DIM,
                               Z_DIM)
from vae_digits.errors import UserError

__all__ = ["checkpoint_path", "epoch_of", "complete_checkpoints",
           "latest_checkpoint",
           "resolve_checkpoint", "resolve_trained_model",
           "read_model_config", "check_model_config",
           "write_model_config"]

_EPOCH_PATTERN = re.compile(r"vae\.epoch\.(\d+)\.ckpt$")
BLOG_MODEL_CONFIG = {"model": "mlp", "dataset": "mnist", "x_dim": X_DIM,
                     "z_dim": Z_DIM}


def checkpoint_path(checkpoint_dir, epoch):
    return os.path.join(checkpoint_dir, CHECKPOINT_PREFIX.format(epoch))


def epoch_of(path, strict=True):
    """The epoch N of a checkpoint named like vae.epoch.N.ckpt; for another
    name a UserError, or None if not `strict`."""
    match = _EPOCH_PATTERN.search(path)
    if match is None and not strict:
        return None
    if match is None:
        raise UserError("cannot tell the epoch of checkpoint {}: its name "
                        "must end in vae.epoch.N.ckpt.".format(path))
    return int(match.group(1))


def complete_checkpoints(checkpoint_dir):
    """Paths of the checkpoints in `checkpoint_dir` whose index is in place
    (the last file a save writes), oldest epoch first."""
    indexes = glob.glob(os.path.join(glob.escape(checkpoint_dir),
                                     "vae.epoch.*.ckpt.index"))
    matches = (_EPOCH_PATTERN.search(index[:-len(".index")])
               for index in indexes)
    epochs = sorted(int(match.group(1)) for match in matches if match)
    return [checkpoint_path(checkpoint_dir, epoch) for epoch in epochs]


def latest_checkpoint(checkpoint_dir):
    """The checkpoint of the highest epoch in `checkpoint_dir`, or None."""
    paths = complete_checkpoints(checkpoint_dir)
    return paths[-1] if paths else None


def resolve_checkpoint(checkpoint_dir, checkpoint=None):
    """The checkpoint to restore: `checkpoint` if given, else the newest in
    `checkpoint_dir`. UserError if there is none."""
    if checkpoint is not None:
        if checkpoint.endswith(".index"):
            checkpoint = checkpoint[:-len(".index")]
        if not os.path.isfile(checkpoint + ".index"):
            raise UserError("no checkpoint {} (its .index file is missing); "
                            "pass a path like {}.".format(
                                checkpoint, checkpoint_path(checkpoint_dir,
                                                            100)))
        return checkpoint
    latest = latest_checkpoint(checkpoint_dir)
    if latest is None:
        raise UserError("no checkpoint in {}: train first with `python -m "
                        "vae_digits.train`, or pass --checkpoint-dir.".format(
                            checkpoint_dir))
    return latest


def resolve_trained_model(checkpoint_dir, checkpoint=None, model=None):
    """(checkpoint, model configuration) to restore for generate and
    evaluate: resolve_checkpoint, checked to hold a model of MNIST-sized
    images, and the `model` named if one is."""
    checkpoint = resolve_checkpoint(checkpoint_dir, checkpoint)
    model_config = read_model_config(os.path.dirname(checkpoint))
    if model is not None and model != model_config["model"]:
        raise UserError("{} holds the {} model, not {}: pass --model {}, or "
                        "the --checkpoint-dir of a {} model.".format(
                            checkpoint, model_config["model"], model,
                            model_config["model"], model))
    if model_config["x_dim"] != X_DIM:
        raise UserError("{} holds a model of {} pixels, not MNIST's {}; pass "
                        "a checkpoint trained on MNIST.".format(
                            checkpoint, model_config["x_dim"], X_DIM))
    return checkpoint, model_config


def read_model_config(checkpoint_dir):
    """The model configuration stored beside the checkpoints: the model's
    name, the dataset, x_dim, the model's hyperparameters and, where
    recorded, the data path it was trained on. A file
    without a model name, or none (a directory the original script
    wrote), means the blog's model."""
    from vae_digits import models
    path = os.path.join(checkpoint_dir, MODEL_CONFIG_NAME)
    if not os.path.exists(path):
        return dict(BLOG_MODEL_CONFIG)
    try:
        with open(path) as f:
            stored = json.load(f)
        config = {"model": stored.get("model", models.DEFAULT),
                  # None: written before the package knew datasets
                  "dataset": stored.get("dataset"),
                  "x_dim": int(stored["x_dim"])}
        if stored.get("data_path") is not None:  # where it was trained
            config["data_path"] = str(stored["data_path"])
        for flag in models.get(config["model"]).HYPERPARAMETERS:
            config[flag.name] = flag.type(str(stored[flag.name]))
        return config
    except (OSError, ValueError, KeyError, TypeError, AttributeError,
            UserError, argparse.ArgumentTypeError) as e:
        raise UserError("cannot read {} ({}); restore it, or delete it if the "
                        "checkpoints use the blog's model (x_dim {}, z_dim "
                        "{}).".format(path, str(e).rstrip("."), X_DIM, Z_DIM))


def check_model_config(checkpoint_dir, config):
    """UserError unless the checkpoints in `checkpoint_dir` hold `config`:
    the same model, trained on the same dataset, of the same shape."""
    stored = read_model_config(checkpoint_dir)
    if stored["model"] != config["model"]:
        raise UserError("the checkpoints in {} hold the {} model, not {}: "
                        "pass --model {}, or another --checkpoint-dir.".format(
                            checkpoint_dir, stored["model"], config["model"],
                            stored["model"]))
    for key in sorted(config, key=lambda key: key == "x_dim"):
        if key in ("model", "data_path") or \
                stored.get(key) in (None, config[key]):
            continue
        flag = "data of {} pixels".format(stored[key]) if key == "x_dim" \
            else "--{} {}".format(key.replace("_", "-"), stored[key])
        raise UserError("the checkpoints in {} hold a model with {} {}, "
                        "not {}: use {}, or another --checkpoint-dir."
                        .format(checkpoint_dir, key, stored[key],
                                config[key], flag))


def write_model_config(checkpoint_dir, config):
    """Store `config` beside the checkpoints (atomically)."""
    with atomic_path(os.path.join(checkpoint_dir, MODEL_CONFIG_NAME)) \
            as partial, open(partial, "w") as f:
        json.dump(config, f, sort_keys=True)
        f.write("\n")
