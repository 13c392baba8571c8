"""What the commands share: the argument parser, the flags every command
has, and the rule that a user's mistake ends in one line on stderr and a
non-zero exit code, never a traceback."""
import argparse
import os
import sys

from vae_digits import models
from vae_digits.checkpoints.model_config import find_trained_model
from vae_digits.core import arguments, config
from vae_digits.core.errors import Interrupted, UserError, os_error_fix
from vae_digits.data import catalog

__all__ = ["ArgumentParser", "add_checkpoint_argument",
           "add_common_arguments", "preparse_model", "default_directories",
           "model_and_data", "model_type", "model_or_default",
           "default_result_dir", "run"]

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each default, except None and False: their help says it."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False:
            return action.help
        return super()._get_help_string(action)


class ArgumentParser(argparse.ArgumentParser):
    """argparse with defaults shown in --help, one-line usage errors and
    no abbreviated flags (`--mode` must never be read as `--model`). With
    `raise_errors`, as the Python API parses its keyword arguments, a bad
    value raises ValueError instead of exiting."""

    def __init__(self, raise_errors=False, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(**kwargs)
        self.raise_errors = raise_errors

    def error(self, message):
        if self.raise_errors:
            raise ValueError(message[0].upper() + message[1:] + ".")
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def model_type(name):
    """--model's type: a built-in model or the module path of one."""
    try:
        return models.get(name).name
    except UserError as e:
        message = str(e).rstrip(".").replace("unknown model", "invalid choice:")
        raise argparse.ArgumentTypeError(message) from None


def add_checkpoint_argument(parser):
    """--checkpoint, of the commands that restore a trained model."""
    parser.add_argument(
        "--checkpoint", default=None,
        help="checkpoint to restore, e.g. checkpoints/vae_digits/"
             "vae.epoch.1000.ckpt (default: the newest in --checkpoint-dir)")


def preparse_model(argv):
    """(model, dataset) named on the command line `argv`, None where
    absent: the other flags' defaults depend on them."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--model")
    parser.add_argument("--dataset")
    known, _ = parser.parse_known_args(argv)
    return known.model, known.dataset


def model_or_default(name):
    """The model called `name`, or the default one if there is no such
    model (argparse says so when it parses --model)."""
    try:
        return models.get(name or models.DEFAULT)
    except UserError:
        return models.get(models.DEFAULT)


def default_directories(model_name, dataset_name):
    """(checkpoint directory, result directory) of a model and dataset:
    the blog's checkpoints/vae_digits and results/vae_digits for its
    model on MNIST."""
    name = model_or_default(model_name).directory
    if dataset_name not in (None, catalog.DEFAULT):
        name += "_" + dataset_name
    return (os.path.join(config.CHECKPOINT_ROOT, name),
            os.path.join(config.RESULT_ROOT, name))


def add_common_arguments(parser, argv, result_dir=True, trains=False):
    """The flags every command shares: the model and dataset, where data,
    checkpoints and (unless `result_dir` is False) results live, and the
    seed. Their defaults follow the --model and --dataset of `argv`. A
    command that `trains` defaults to the blog's model on MNIST; the
    others read the model and dataset from model_config.json."""
    model, dataset = preparse_model(argv)
    if trains:
        model, dataset = model or models.DEFAULT, dataset or catalog.DEFAULT
    built_in = "; ".join(f"{name}, {m.summary}"
                         for name, m in sorted(models.MODELS.items()))
    parser.add_argument(
        "--model", type=model_type,
        metavar="{" + ",".join(sorted(models.MODELS)) + ",MODULE}",
        default=models.DEFAULT if trains else None,
        help=f"the model: {built_in}; or the module path of a model of "
             "your own (see docs/adding-a-model.md)" +
             ("" if trains else " (default: the one in model_config.json "
              "beside the checkpoints; it also picks the default "
              "--checkpoint-dir)"))
    parser.add_argument(
        "--dataset", choices=list(catalog.DATASETS),
        default=catalog.DEFAULT if trains else None,
        help="the images: MNIST digits or Fashion-MNIST clothes, both in "
             "MNIST's IDX layout" + ("" if trains else " (default: the one "
                                      "the model was trained on)"))
    if dataset not in catalog.DATASETS:  # argparse will say so
        dataset = catalog.DEFAULT if trains else None
    _add_data_path(parser, dataset, trains)
    checkpoint_dir, result_dir_default = default_directories(model, dataset)
    parser.add_argument(
        "--checkpoint-dir", default=checkpoint_dir,
        help="directory of the vae.epoch.N.ckpt checkpoints")
    if result_dir and trains:
        parser.add_argument(
            "--result-dir", default=result_dir_default,
            help="directory the PNG images and training record go to")
    elif result_dir:
        parser.add_argument(
            "--result-dir", default=None,
            help="directory the PNG images go to (default: the checkpoint "
                 f"directory's name under {config.RESULT_ROOT}/, e.g. "
                 f"{config.RESULT_ROOT}/conv_vae for "
                 f"{config.CHECKPOINT_ROOT}/conv_vae)")
    parser.add_argument(
        "--seed", type=arguments.seed, default=None,
        help="seed for shuffling, binarisation and sampling, 0 to 2**32 - 1 "
             "(unset: random, as in the blog)")


def _add_data_path(parser, dataset, trains):
    help_text = ("MNIST-format data: a directory holding the four IDX .gz "
                 "files (downloaded into it when missing) or, for MNIST, "
                 "mnist.pkl.gz")
    if trains:
        parser.add_argument("--data-path",
                            default=catalog.default_data_path(dataset),
                            help=help_text)
        return
    defaults = ", ".join(
        f"{' if present, else '.join(d.default_paths)} for {d.name}"
        for d in catalog.DATASETS.values())
    parser.add_argument("--data-path", default=None,
                        help=f"{help_text} (default: the path the model was "
                             "trained on, recorded in model_config.json, if "
                             f"it is there, else the dataset's: {defaults})")


def default_result_dir(path):
    """Where the pictures of the model at `path` (a checkpoint directory
    or one checkpoint) go by default: its directory's name under
    results/, as training put them."""
    directory = path if os.path.isdir(path) else os.path.dirname(path)
    name = os.path.basename(os.path.abspath(directory or "."))
    return os.path.join(config.RESULT_ROOT, name)


def model_and_data(args):
    """(what to load, its model configuration, the dataset, the data path
    of its test images) of a command's flags: see
    checkpoints.model_config.find_trained_model."""
    return find_trained_model(args.checkpoint_dir, args.checkpoint,
                              args.model, args.dataset, args.data_path)


def run(main, argv=None):
    """Call main(argv); turn a UserError or Ctrl-C into a one-line message
    and an exit code."""
    try:
        return main(argv)
    except Interrupted as e:
        _fail(str(e), EXIT_INTERRUPTED)
    except UserError as e:
        _fail(str(e), EXIT_USER_ERROR)
    except OSError as e:
        where = f" ({e.filename})" if e.filename else ""
        _fail(f"{e.strerror or e}{where}; {os_error_fix(e.errno)}.",
              EXIT_USER_ERROR)
    except KeyboardInterrupt:
        _fail("interrupted.", EXIT_INTERRUPTED)


def _fail(message, code):
    sys.stdout.flush()
    print("error: " + message, file=sys.stderr)
    sys.exit(code)
