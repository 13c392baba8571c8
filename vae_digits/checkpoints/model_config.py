"""`model_config.json`, beside the checkpoints: the model they hold (its
name, the dataset, x_dim and the model's hyperparameters) and the data
path it was trained on. A directory written by the original script has
none and is read as the blog's model. A model module outside the package
that the file names is imported only when the user named it (reading a
checkpoint runs no code the user did not ask for). Nothing here imports
TensorFlow.
"""
import argparse
import json
import os
import stat

from vae_digits import models
from vae_digits.checkpoints.names import resolve_checkpoint
from vae_digits.core.config import MODEL_CONFIG_NAME, X_DIM, Z_DIM
from vae_digits.core.errors import UserError
from vae_digits.core.files import atomic_path
from vae_digits.data import catalog

__all__ = ["resolve_trained_model", "find_trained_model", "read_model_config",
           "check_model_config", "check_named_model", "write_model_config",
           "BLOG_MODEL_CONFIG"]

MAX_CONFIG_BYTES = 64 * 1024  # a model configuration is a few hundred
BLOG_MODEL_CONFIG = {"model": "mlp", "dataset": "mnist", "x_dim": X_DIM,
                     "z_dim": Z_DIM}


def resolve_trained_model(checkpoint_dir, checkpoint=None, model=None):
    """(checkpoint, model configuration) to restore for generate and
    evaluate: resolve_checkpoint, checked to hold a model of MNIST-sized
    images, and the `model` named if one is."""
    checkpoint = resolve_checkpoint(checkpoint_dir, checkpoint)
    model_config = read_model_config(os.path.dirname(checkpoint), model)
    check_named_model(checkpoint, model_config, model)
    if model_config["x_dim"] != X_DIM:
        raise UserError(f"{checkpoint} holds a model of "
                        f"{model_config['x_dim']} pixels, not MNIST's "
                        f"{X_DIM}; pass a checkpoint trained on MNIST.")
    return checkpoint, model_config


def check_named_model(checkpoint, model_config, model):
    """UserError unless `checkpoint`, of `model_config`, holds the `model`
    the user named (None: any)."""
    if model is not None and model != model_config["model"]:
        held = model_config["model"]
        raise UserError(f"{checkpoint} holds the {held} model, not {model}: "
                        f"pass --model {held}, or the --checkpoint-dir of a "
                        f"{model} model.")


def read_model_config(checkpoint_dir, model=None):
    """The model configuration stored beside the checkpoints: the model's
    name, the dataset, x_dim, the model's hyperparameters and, where
    recorded, the data path it was trained on. A file without a model
    name, or none (a directory the original script wrote), means the
    blog's model. Only a regular file of at most MAX_CONFIG_BYTES is
    read; each field is checked, and a bad one named. A model module
    outside the package is imported only if it is the `model` the user
    named (models.asked_for); otherwise a UserError says what to type."""
    path = os.path.join(checkpoint_dir, MODEL_CONFIG_NAME)
    if not os.path.lexists(path):
        return dict(BLOG_MODEL_CONFIG)
    fix = ("restore it, or delete it if the checkpoints use the blog's "
           f"model (x_dim {X_DIM}, z_dim {Z_DIM})")
    try:
        stored = _read_json(path)
        _import_asked_for(path, stored.get("model"), model)
        return _checked_config(stored)
    except _ModelNotLoaded:
        raise
    except (OSError, ValueError, KeyError, TypeError, RecursionError,
            UserError, argparse.ArgumentTypeError) as e:
        reason = str(e).rstrip(".") if not isinstance(e, KeyError) \
            else f"it has no {e}"
        raise UserError(f"cannot read {path} ({reason}); {fix}.") from None


class _ModelNotLoaded(UserError):
    """The model a checkpoint names is not imported: the user did not ask
    for it, or its module cannot be imported."""


def _import_asked_for(path, name, model):
    """The model `name` that model_config.json at `path` names, imported
    if the user asked for it (`model`: the one named), refused otherwise;
    either way, a failure is its own line, not a fault of the file."""
    if not isinstance(name, str):
        return
    if not models.asked_for(name, model):
        raise _ModelNotLoaded(
            f"{path} names the model {name!r}, a module outside the package, "
            "and loading it would run that module's code; if you trust it, "
            f"name it yourself: --model {name} (in Python: "
            f"vae_digits.load(path, model={name!r})).")
    try:
        models.get(name)
    except UserError as e:
        raise _ModelNotLoaded(str(e)) from None


def _read_json(path):
    """The JSON object in the regular file `path`, read only up to
    MAX_CONFIG_BYTES."""
    info = os.stat(path)  # a loop of links raises here
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("it is not a regular file")
    if info.st_size > MAX_CONFIG_BYTES:
        raise ValueError(f"it is {info.st_size:,} bytes, more than the "
                         f"{MAX_CONFIG_BYTES:,} a model configuration takes")
    with open(path, "rb") as f:
        text = f.read(MAX_CONFIG_BYTES + 1)
    if len(text) > MAX_CONFIG_BYTES:
        raise ValueError("it grew past the size a model configuration takes")
    stored = json.loads(text.decode("utf-8"))
    if not isinstance(stored, dict):
        raise ValueError("it is not a JSON object")
    return stored


def _checked_config(stored):
    """The model configuration of the JSON object `stored`, each field of
    the type it must have."""
    def field(name, kind, description, default=None, required=False):
        value = stored[name] if required else stored.get(name, default)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ValueError(f"its field {name!r} is {value!r}, not "
                             f"{description}")
        return value
    config = {"model": field("model", str, "a name", models.DEFAULT),
              # None: written before the package knew datasets
              "dataset": field("dataset", (str, type(None)),
                               "a dataset's name"),
              "x_dim": field("x_dim", int, "a whole number", required=True)}
    if config["dataset"] is not None:
        catalog.get(config["dataset"])
    if stored.get("data_path") is not None:  # where it was trained
        config["data_path"] = field("data_path", str, "a path")
    for h in models.get(config["model"]).hyperparameters:
        value = field(h.name, (int, float, str, list), "a value of --"
                      + h.name.replace("_", "-"), required=True)
        try:
            config[h.name] = h.type(h.text(value) if isinstance(value, list)
                                    else str(value))
        except (argparse.ArgumentTypeError, TypeError, ValueError) as e:
            raise ValueError(f"its field {h.name!r} {e}") from None
    return config


def check_model_config(checkpoint_dir, config):
    """UserError unless the checkpoints in `checkpoint_dir` hold `config`:
    the same model, trained on the same dataset, of the same shape."""
    stored = read_model_config(checkpoint_dir, config["model"])
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
