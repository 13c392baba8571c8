"""`model_config.json`, beside the checkpoints: the model they hold (its
name, the dataset, x_dim and the model's hyperparameters) and the data
path it was trained on. A directory written by the original script has
none and is read as the blog's model. Nothing here imports TensorFlow.
"""
import argparse
import json
import os

from vae_digits import models
from vae_digits.checkpoints.names import resolve_checkpoint
from vae_digits.core.config import MODEL_CONFIG_NAME, X_DIM, Z_DIM
from vae_digits.core.errors import UserError
from vae_digits.core.files import atomic_path
from vae_digits.data import catalog

__all__ = ["resolve_trained_model", "find_trained_model", "read_model_config",
           "check_model_config", "write_model_config", "BLOG_MODEL_CONFIG"]

BLOG_MODEL_CONFIG = {"model": "mlp", "dataset": "mnist", "x_dim": X_DIM,
                     "z_dim": Z_DIM}


def resolve_trained_model(checkpoint_dir, checkpoint=None, model=None):
    """(checkpoint, model configuration) to restore for generate and
    evaluate: resolve_checkpoint, checked to hold a model of MNIST-sized
    images, and the `model` named if one is."""
    checkpoint = resolve_checkpoint(checkpoint_dir, checkpoint)
    model_config = read_model_config(os.path.dirname(checkpoint))
    if model is not None and model != model_config["model"]:
        held = model_config["model"]
        raise UserError(f"{checkpoint} holds the {held} model, not {model}: "
                        f"pass --model {held}, or the --checkpoint-dir of a "
                        f"{model} model.")
    if model_config["x_dim"] != X_DIM:
        raise UserError(f"{checkpoint} holds a model of "
                        f"{model_config['x_dim']} pixels, not MNIST's "
                        f"{X_DIM}; pass a checkpoint trained on MNIST.")
    return checkpoint, model_config


def read_model_config(checkpoint_dir):
    """The model configuration stored beside the checkpoints: the model's
    name, the dataset, x_dim, the model's hyperparameters and, where
    recorded, the data path it was trained on. A file
    without a model name, or none (a directory the original script
    wrote), means the blog's model."""
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
        for flag in models.get(config["model"]).hyperparameters:
            config[flag.name] = flag.type(str(stored[flag.name]))
        return config
    except (OSError, ValueError, KeyError, TypeError, AttributeError,
            UserError, argparse.ArgumentTypeError) as e:
        raise UserError(f"cannot read {path} ({str(e).rstrip('.')}); restore "
                        "it, or delete it if the checkpoints use the blog's "
                        f"model (x_dim {X_DIM}, z_dim {Z_DIM}).") from None


def check_model_config(checkpoint_dir, config):
    """UserError unless the checkpoints in `checkpoint_dir` hold `config`:
    the same model, trained on the same dataset, of the same shape."""
    stored = read_model_config(checkpoint_dir)
    if stored["model"] != config["model"]:
        raise UserError(f"the checkpoints in {checkpoint_dir} hold the "
                        f"{stored['model']} model, not {config['model']}: "
                        f"pass --model {stored['model']}, or another "
                        "--checkpoint-dir.")
    for key in sorted(config, key=lambda key: key == "x_dim"):
        if key in ("model", "data_path") or \
                stored.get(key) in (None, config[key]):
            continue
        flag = f"data of {stored[key]} pixels" if key == "x_dim" \
            else f"--{key.replace('_', '-')} {stored[key]}"
        raise UserError(f"the checkpoints in {checkpoint_dir} hold a model "
                        f"with {key} {stored[key]}, not {config[key]}: use "
                        f"{flag}, or another --checkpoint-dir.")


def write_model_config(checkpoint_dir, config):
    """Store `config` beside the checkpoints (atomically)."""
    with atomic_path(os.path.join(checkpoint_dir, MODEL_CONFIG_NAME)) \
            as partial, open(partial, "w") as f:
        json.dump(config, f, sort_keys=True)
        f.write("\n")


def find_trained_model(checkpoint_dir, checkpoint, model, dataset,
                       data_path):
    """For the commands that look at a trained model (generate, evaluate,
    explore): (what to load: `checkpoint` or `checkpoint_dir`, its model
    configuration, the dataset, the data path of its test images).
    Checked without TensorFlow: the `model` named (None: any), a
    checkpoint there. The data path defaults to the one the model was
    trained on (recorded in model_config.json), else the dataset's
    default."""
    _, model_config = resolve_trained_model(checkpoint_dir, checkpoint,
                                            model)
    dataset = dataset or model_config["dataset"] or catalog.DEFAULT
    path = data_path
    if path is None and dataset == model_config["dataset"]:
        path = model_config.get("data_path")
    if path is None or not os.path.exists(path):
        path = data_path or catalog.default_data_path(dataset)
    return checkpoint or checkpoint_dir, model_config, dataset, path
