"""The models and their graphs: one class per model, one file each.

Layer 3: imports `core` and `zhusuan`.
- base: the contract (`Model`, `Hyperparameter`) with the usual values;
- mlp (the blog's, the default), conv, conditional: the three models of
  the posts; iwae and bernoulli: the blog's nets trained on the
  importance-weighted bound, with Gaussian and with binary codes, as
  ZhuSuan's own examples had them;
- graph: `ModelGraph`, the named tensors the shared code runs, and parts
  the models share; layers: tf.layers' dense and convolutions.

`get(name)` finds a model by name, or by the dotted path of an importable
module outside the package that defines one the same way (docs:
adding-a-model.md); `asked_for(name, named)` says whether a model that a
checkpoint names may be loaded without running code the user did not
ask for.
"""
import importlib

from vae_digits.core.errors import UserError
from vae_digits.models.base import Hyperparameter, Model
from vae_digits.models.bernoulli import BernoulliVAE
from vae_digits.models.conditional import ConditionalVAE
from vae_digits.models.conv import ConvVAE
from vae_digits.models.iwae import ImportanceWeightedVAE
from vae_digits.models.mlp import MlpVAE

__all__ = ["MODELS", "DEFAULT", "get", "asked_for", "Model", "Hyperparameter"]

MODELS = {model.name: model for model in (
    MlpVAE(), ConvVAE(), ConditionalVAE(), ImportanceWeightedVAE(),
    BernoulliVAE())}
DEFAULT = MlpVAE.name
_OUTSIDE = {}  # models found outside the package, by module path


def get(name: str) -> Model:
    """The model called `name`: a built-in one, or the one defined in the
    importable module `name`. A UserError says what is wrong."""
    if name in MODELS:
        return MODELS[name]
    if name not in _OUTSIDE:
        _OUTSIDE[name] = _import_model(name)
    return _OUTSIDE[name]


def asked_for(name: str, named: str | None = None) -> bool:
    """Whether the model `name`, read from a checkpoint, loads without
    running code the user did not ask for: a built-in model, the one the
    user `named` (--model, load(..., model=)), or one this process has
    already imported at the user's request."""
    return name in MODELS or name == named or name in _OUTSIDE


def _import_model(name):
    """The Model subclass defined in the module `name`, made once."""
    choices = ", ".join(sorted(MODELS))
    if not isinstance(name, str) or not all(
            part.isidentifier() for part in name.split(".")):
        raise UserError(f"unknown model {name!r}; choose one of {choices}, "
                        "or the module path of a model of your own.")
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name is None or not (name + ".").startswith(e.name + "."):
            raise UserError(f"model module {name} cannot import {e.name}: "
                            f"{e}; install what it needs.") from None
        raise UserError(f"unknown model {name!r}; choose one of {choices}, "
                        f"or put {name.replace('.', '/')}.py on the "
                        "PYTHONPATH.") from None
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # noqa: BLE001 (SystemExit too: say why)
        raise UserError(f"model module {name} failed to import "
                        f"({type(e).__name__}: {e}); fix it.") from None
    found = [value for value in vars(module).values()
             if isinstance(value, type) and issubclass(value, Model)
             and value.__module__ == module.__name__]
    if len(found) != 1:
        raise UserError(f"module {name} defines {len(found)} subclasses of "
                        "vae_digits.models.Model; a model module defines "
                        "exactly one.")
    model = found[0]()
    if model.name != name:
        raise UserError(f"module {name} defines the model {model.name!r}; "
                        f"set name = {name!r} in it (a model outside the "
                        "package is named by its module path).")
    return model
