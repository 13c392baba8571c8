"""What the command lines share: argument types, common flags, progress
bars on terminals only, and the rule that a user's mistake ends in one
line on stderr, never a traceback.
"""
import argparse
import collections
import math
import os
import sys
import tempfile

import tqdm

from vae_digits import config, datasets
from vae_digits.errors import Interrupted, UserError, os_error_fix

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each default, except None and False: their help says it."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False:
            return action.help
        return super(_HelpFormatter, self)._get_help_string(action)


class ArgumentParser(argparse.ArgumentParser):
    """argparse with defaults shown in --help and one-line usage errors."""

    def __init__(self, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super(ArgumentParser, self).__init__(**kwargs)

    def error(self, message):
        self.exit(EXIT_USAGE, "{}: error: {} (see --help)\n".format(
            self.prog, message))


def _number(kind, accept, requirement):
    """An argparse type: text parsed by `kind`, kept if `accept(value)`."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError("must be {}, got {!r}".format(
                requirement, text))
        return value
    return parse


positive_int = _number(int, lambda v: v >= 1, "a positive integer")
non_negative_int = _number(int, lambda v: v >= 0, "0 or a positive integer")
finite_float = _number(float, math.isfinite, "a finite number")
positive_float = _number(float, lambda v: math.isfinite(v) and v > 0,
                         "a positive number")
non_negative_float = _number(float, lambda v: math.isfinite(v) and v >= 0,
                             "0 or a positive number")
at_least_two = _number(int, lambda v: v >= 2, "an integer of at least 2")
digit_label = _number(int, lambda v: 0 <= v < config.N_CLASSES,
                      "a digit 0-9")

# A model's hyperparameter flag: `name` (z_dim gives --z-dim), its argparse
# type and help; its default is in the model's DEFAULTS.
Flag = collections.namedtuple("Flag", ["name", "type", "help"])


def add_checkpoint_argument(parser):
    """--checkpoint, of the commands that restore a trained model."""
    parser.add_argument(
        "--checkpoint", default=None,
        help="checkpoint to restore, e.g. checkpoints/vae_digits/"
             "vae.epoch.1000.ckpt (default: the newest in --checkpoint-dir)")


def preparse_model(argv):
    """(model, dataset) named on the command line `argv`, None where
    absent: the other flags' defaults depend on them."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--model")
    parser.add_argument("--dataset")
    known, _ = parser.parse_known_args(argv)
    return known.model, known.dataset


def default_directories(model_name, dataset_name):
    """(checkpoint directory, result directory) of a model and dataset:
    the blog's checkpoints/vae_digits and results/vae_digits for its
    model on MNIST."""
    from vae_digits import models
    model = models.MODELS.get(model_name, models.MODELS[models.DEFAULT])
    name = model.DIRECTORY
    if dataset_name not in (None, datasets.DEFAULT):
        name += "_" + dataset_name
    return (os.path.join(config.CHECKPOINT_ROOT, name),
            os.path.join(config.RESULT_ROOT, name))


def add_common_arguments(parser, argv, result_dir=True, trains=False):
    """The flags every command shares: the model and dataset, where data,
    checkpoints and (unless `result_dir` is False) results live, and the
    seed. Their defaults follow the --model and --dataset of `argv`. A
    command that `trains` defaults to the blog's model on MNIST; the
    others read the model and dataset from model_config.json."""
    from vae_digits import models
    model, dataset = preparse_model(argv)
    if trains:
        model, dataset = model or models.DEFAULT, dataset or datasets.DEFAULT
    parser.add_argument(
        "--model", choices=sorted(models.MODELS),
        default=models.DEFAULT if trains else None,
        help="the model: " + "; ".join(
            "{}, {}".format(name, module.SUMMARY)
            for name, module in sorted(models.MODELS.items())) +
        ("" if trains else " (default: the one in model_config.json beside "
         "the checkpoints; it also picks the default --checkpoint-dir)"))
    parser.add_argument(
        "--dataset", choices=list(datasets.DATASETS),
        default=datasets.DEFAULT if trains else None,
        help="the images: MNIST digits or Fashion-MNIST clothes, both in "
             "MNIST's IDX layout" + ("" if trains else " (default: the one "
                                      "the model was trained on)"))
    if dataset not in datasets.DATASETS:  # argparse will say so
        dataset = datasets.DEFAULT if trains else None
    help_text = ("MNIST-format data: a directory holding the four IDX .gz "
                 "files (downloaded into it when missing) or, for MNIST, "
                 "mnist.pkl.gz")
    if trains or dataset:
        parser.add_argument("--data-path",
                            default=datasets.default_data_path(dataset),
                            help=help_text)
    else:
        parser.add_argument(
            "--data-path", default=None,
            help=help_text + " (default: the dataset's, {})".format(", ".join(
                "{} for {}".format(" if present, else ".join(d.default_paths),
                                   d.name)
                for d in datasets.DATASETS.values())))
    checkpoint_dir, result_dir_default = default_directories(model, dataset)
    parser.add_argument(
        "--checkpoint-dir", default=checkpoint_dir,
        help="directory of the vae.epoch.N.ckpt checkpoints")
    if result_dir:
        parser.add_argument(
            "--result-dir", default=result_dir_default,
            help="directory the PNG images and training record go to")
    parser.add_argument(
        "--seed", type=non_negative_int, default=None,
        help="seed for shuffling, binarisation and sampling (unset: random, "
             "as in the blog)")


def check_directory(flag, path):
    """UserError if `path`, given as `flag`, exists and is no directory."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError("{} {} is a file, not a directory; pass a "
                        "directory.".format(flag, path))


def check_writable_directory(flag, path):
    """check_directory, then create `path` if needed and make sure a file
    can be written in it: better now than after an hour of training."""
    check_directory(flag, path)
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as e:
        raise UserError("cannot write to {} {} ({}); pass a writable "
                        "directory.".format(flag, path, e.strerror or e))


def progress_bar(iterable, desc=None):
    """`iterable`, with a progress bar when stdout is a terminal; nothing
    extra in logs and CI. The bar is erased when done."""
    return tqdm.tqdm(iterable, desc=desc, leave=False, file=sys.stdout,
                     disable=not sys.stdout.isatty(), dynamic_ncols=True)


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
        where = " ({})".format(e.filename) if e.filename else ""
        _fail("{}{}; {}.".format(e.strerror or e, where,
                                 os_error_fix(e.errno)), EXIT_USER_ERROR)
    except KeyboardInterrupt:
        _fail("interrupted.", EXIT_INTERRUPTED)


def _fail(message, code):
    sys.stdout.flush()
    print("error: " + message, file=sys.stderr)
    sys.exit(code)
