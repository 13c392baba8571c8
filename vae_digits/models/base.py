"""The contract every model keeps, with the usual values as defaults.

A model is one class in one file: its ZhuSuan builders, its objective,
and a subclass of `Model` that states only what differs from the
defaults below and builds its graph (`build`, returning a
graph.ModelGraph). The shared code (training, the trained model, the
pictures, the page) reads nothing else of it. Each hyperparameter is
declared once, as a `Hyperparameter` with its type, default and help:
the flags and `--help`, model_config.json and `vae.hparams` all come
from that declaration.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

from vae_digits.core import config

__all__ = ["Hyperparameter", "Model", "LABELS", "ELBO_PARTS", "label"]

# How each figure a model reports is named in printed lines and figures.
LABELS = {"lower_bound": "lower bound",
          "log_likelihood": "log likelihood (IS)",
          "loss": "loss",
          "vae_loss": "VAE loss",
          "classifier_loss": "digit classifier loss",
          "classifier_accuracy": "classifier accuracy",
          "log_likelihood_ais": "log likelihood (AIS)",
          "reconstruction": "reconstruction term",
          "kl": "KL term"}
# The objective's two parts, recorded for every model beside its own
# figures (never printed in its lines, which stay the posts'): see
# graph.elbo_parts and docs/metrics.md.
ELBO_PARTS = ("reconstruction", "kl")


def label(name: str, capitalize: bool = False) -> str:
    """The words for the figure `name`."""
    text = LABELS[name]
    return text[0].upper() + text[1:] if capitalize else text


@dataclasses.dataclass(frozen=True)
class Hyperparameter:
    """A model's hyperparameter: `name` (z_dim gives --z-dim), `type`
    (parses the flag's text, raising argparse.ArgumentTypeError), its
    `default`, its `help`, and `show`, which turns a value into the text
    a user types (default: str)."""

    name: str
    type: Callable[[str], Any]
    default: Any
    help: str
    show: Callable[[Any], str] | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def text(self, value: Any) -> str:
        """`value` as it is typed after the flag."""
        return self.show(value) if self.show else str(value)


class Model:
    """A VAE of the package. Subclasses set `name` and `build`, and
    whatever else differs from these defaults."""

    name: str = ""  # --model NAME, recorded in model_config.json
    summary: str = ""  # one line for --help
    directory_name: str | None = None  # default: the name, ending in _vae
    epochs: int = config.EPOCHS
    batch_size: int = config.BATCH_SIZE
    learning_rate: float = config.LEARNING_RATE
    hyperparameters: tuple[Hyperparameter, ...] = ()
    # Test images binarised once, as the blog's (else grey levels).
    binarized: bool = False
    # Latent codes of bits (prior: fair coins) rather than N(0, I).
    binary_codes: bool = False
    # The leading share of the training images it trains on.
    train_share: float = 1.
    # Whether training feeds the labels.
    uses_labels: bool = False
    # The figures of an epoch's line and of a test (names in LABELS).
    train_metrics: tuple[str, ...] = ("loss",)
    test_metrics: tuple[str, ...] = ("loss",)
    # Train figures measured over the whole training set after an epoch,
    # as the conditioning post does, rather than averaged over its steps.
    whole_set_train_metrics: bool = False
    # Figures drawn in losses.png after every epoch (none: no losses.png).
    loss_curves: tuple[str, ...] = ()
    # Pictures drawn after every epoch (pictures/epochs.py).
    epoch_pictures: tuple[str, ...] = ()

    @property
    def directory(self) -> str:
        """Its directory under checkpoints/ and results/."""
        if self.directory_name:
            return self.directory_name
        return self.name if self.name.endswith("vae") else self.name + "_vae"

    def defaults(self) -> dict[str, Any]:
        """Its training defaults and hyperparameters' defaults, by name."""
        values = dict(epochs=self.epochs, batch_size=self.batch_size,
                      learning_rate=self.learning_rate)
        values.update((h.name, h.default) for h in self.hyperparameters)
        return values

    def training_rows(self, hparams: dict[str, Any], batch_size: int) -> int:
        """Latent codes one training step decodes: the batch's images
        times the samples of z each (`particles`, where it has them)."""
        return batch_size * hparams.get("particles", 1)

    def meta_nets(self, hparams: dict[str, Any], x, n_particles):
        """(p(z) p(x | z), q(z | x)) as ZhuSuan MetaBayesianNets for the
        images `x` (a [n, x_dim] tensor, as the model observes them) with
        `n_particles` draws of z each: what annealed importance sampling
        runs (trained/annealing.py). None where the model has no log p(x)
        of its images to estimate."""
        return None

    def pixel_distribution(self, hparams: dict[str, Any]) -> dict[str, Any]:
        """What pixel_log_likelihood takes the pixels to be, for the page's
        own ELBO (page/static/network.js): {"kind": "bernoulli"}."""
        return {"kind": "bernoulli"}

    def pixel_log_likelihood(self, x, x_mean, hparams: dict[str, Any]):
        """log p(x | z) of images `x` [..., 784] given the decoder's pixel
        means `x_mean` of z, summed over the pixels (numpy, float64):
        Bernoulli pixels by default, their probabilities kept a millionth
        from 0 and 1."""
        import numpy as np
        p = np.clip(np.asarray(x_mean, np.float64), 1e-6, 1 - 1e-6)
        x = np.asarray(x, np.float64)
        return np.sum(x * np.log(p) + (1 - x) * np.log1p(-p), axis=-1)

    def fields(self) -> tuple[str, ...]:
        """The columns of its metrics.csv."""
        return (("epoch", "seconds")
                + tuple("train_" + name
                        for name in self.train_metrics + ELBO_PARTS)
                + tuple("test_" + name
                        for name in self.test_metrics + ELBO_PARTS))

    def build(self, hparams: dict[str, Any], learning_rate: float | None = None,
              batch_size: int | None = None):
        """The graph.ModelGraph of the model that `hparams` (its
        model_config) describes; with `learning_rate`, with its training
        step for batches of `batch_size` images (default: its own)."""
        raise NotImplementedError(f"{type(self).__name__} must define build")

    def __repr__(self) -> str:
        return f"<model {self.name}: {self.summary}>"
