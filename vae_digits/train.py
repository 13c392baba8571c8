"""Train a model: `python -m vae_digits.train [--model NAME]`.

The training loop of the blog post, for every model of the package: the
training images shuffled every epoch, one optimizer step per batch, one
line `Epoch N (T.Ts): Lower bound = X` per epoch (the model's own
figures for the other models), a checkpoint `vae.epoch.N.ckpt` every
--save-freq epochs and after the last, resuming from the newest
checkpoint; at the end the pictures `generate` draws by default (see
training/). From Python, `vae_digits.train(model="conv", epochs=3)`.
"""
from __future__ import annotations

import os
import sys
import types

from vae_digits import cli
from vae_digits.core import arguments, config


def build_parser(argv=None, raise_errors=False):
    """The flags of `train`, their defaults those of the --model of
    `argv`."""
    model = cli.model_or_default(cli.preparse_model(argv)[0])
    parser = cli.ArgumentParser(
        raise_errors=raise_errors, prog="python -m vae_digits.train",
        description="Train a VAE of the package (by default the ZhuSuan VAE "
                    "of the blog post, on MNIST), resuming from the newest "
                    "checkpoint in --checkpoint-dir.",
        epilog=f"The defaults shown are those of --model {model.name}; "
               "`--model NAME --help` shows another model's.")
    cli.add_common_arguments(parser, argv, trains=True)
    add = parser.add_argument
    add("--epochs", type=arguments.epochs, default=model.epochs,
        help="train until this epoch (a resumed run counts the epochs "
             "already done)")
    add("--batch-size", type=arguments.batch_size,
        default=model.batch_size, help="images per step")
    add("--learning-rate", type=arguments.positive_float,
        default=model.learning_rate, help="Adam's learning rate")
    for h in model.hyperparameters:
        add(h.flag, type=h.type, help=h.help, default=h.text(h.default)
            if h.show else h.default)
    add("--train-images", type=arguments.image_count, default=None,
        help="train on only the first this many of the training images, for "
             "a short run (default: all that the model trains on)")
    add("--save-freq", type=arguments.frequency, default=config.SAVE_FREQ,
        help="save a checkpoint every this many epochs")
    add("--max-to-keep", type=arguments.frequency,
        default=config.MAX_TO_KEEP,
        help="checkpoints kept; older ones are deleted")
    add("--test-freq", type=arguments.test_frequency,
        default=config.TEST_FREQ,
        help="report the test figures every this many epochs (0: never)")
    add("--test-n-particles", type=arguments.particles,
        default=config.TEST_N_PARTICLES,
        help="importance-sampling particles per test image")
    add("--epoch-pictures", action="store_true",
        help="after every epoch, draw the latent space (latent.gif) and ten "
             "reconstructions (reconstructions_by_epoch.png); always on for "
             "the conv model, off for the blog's, whose epochs it would slow")
    add("--log-dir", default=None,
        help="directory of the TensorBoard event files (default: "
             f"{config.LOG_DIR_NAME} in --result-dir)")
    return parser


def parse_args(argv=None, raise_errors=False):
    """The flags of `argv`; with `raise_errors` (the Python API), a bad
    value raises ValueError."""
    args = build_parser(argv, raise_errors).parse_args(argv)
    if args.log_dir is None:
        args.log_dir = os.path.join(args.result_dir, config.LOG_DIR_NAME)
    return args


def _main(argv, raise_errors=False):
    from vae_digits.training.run import load_data, train
    args = parse_args(argv, raise_errors)
    train(args, *load_data(args))
    return args.checkpoint_dir


def train_model(model: str = "mlp", **options) -> str:
    """`vae_digits.train(model="conv", epochs=3, data_path=...)`: the
    training of `python -m vae_digits.train`, each flag a keyword argument
    (`--z-dim 5` is z_dim=5, `--epoch-pictures` epoch_pictures=True), with
    the same defaults, lock and files. Returns the checkpoint directory,
    for vae_digits.load. A bad value raises ValueError, an unknown keyword
    TypeError."""
    argv = ["--model", str(model)]
    known = {action.dest for action in build_parser(argv)._actions}
    known -= {"help", "model"}
    for name, value in options.items():
        if name not in known:
            raise TypeError(f"train() got an unknown keyword {name!r}; it "
                            f"takes {', '.join(sorted(known))}.")
        argv += flag_words(name, value)
    return _main(argv, raise_errors=True)


def flag_words(name, value):
    """The command-line words of the keyword argument name=value."""
    flag = "--" + name.replace("_", "-")
    if isinstance(value, bool):
        return [flag] if value else []
    if isinstance(value, (list, tuple)):
        return [flag, ",".join(str(item) for item in value)]
    if value is None:
        return []
    return [flag, os.fspath(value) if hasattr(value, "__fspath__")
            else str(value)]


def main(argv=None):
    return cli.run(lambda argv: _main(argv) and 0, argv)


class _CallableModule(types.ModuleType):
    """This module is the package's attribute `train` (it is what `python
    -m vae_digits.train` runs), so calling it runs train_model: then
    `vae_digits.train(...)` trains, whichever was imported first."""

    def __call__(self, model="mlp", **options):
        return train_model(model, **options)


sys.modules[__name__].__class__ = _CallableModule

if __name__ == "__main__":
    main()
