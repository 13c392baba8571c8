"""What the command lines share: argument types, common flags, progress
bars on terminals only, and the rule that a user's mistake ends in one
line on stderr, never a traceback.
"""
import argparse
import math
import os
import sys
import tempfile

import tqdm

from vae_digits import config
from vae_digits.errors import Interrupted, UserError

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


def add_checkpoint_argument(parser):
    """--checkpoint, of the commands that restore a trained model."""
    parser.add_argument(
        "--checkpoint", default=None,
        help="checkpoint to restore, e.g. checkpoints/vae_digits/"
             "vae.epoch.1000.ckpt (default: the newest in --checkpoint-dir)")


def add_common_arguments(parser, result_dir=True):
    """The flags every command shares: where data, checkpoints and (unless
    `result_dir` is False) results live, and the seed."""
    parser.add_argument(
        "--data-path", default=config.DATA_DIR,
        help="MNIST as mnist.pkl.gz, or a directory holding mnist.pkl.gz or "
             "the four IDX .gz files; downloaded into it when missing")
    parser.add_argument(
        "--checkpoint-dir", default=config.CHECKPOINT_DIR,
        help="directory of the vae.epoch.N.ckpt checkpoints")
    if result_dir:
        parser.add_argument(
            "--result-dir", default=config.RESULT_DIR,
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
        _fail("{}{}; check that path and the free disk space.".format(
            e.strerror or e, where), EXIT_USER_ERROR)
    except KeyboardInterrupt:
        _fail("interrupted.", EXIT_INTERRUPTED)


def _fail(message, code):
    sys.stdout.flush()
    print("error: " + message, file=sys.stderr)
    sys.exit(code)
