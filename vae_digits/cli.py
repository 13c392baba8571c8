"""What the command lines share: argument types, common flags, and the
rule that a user's mistake ends in one line on stderr, never a traceback.
"""
import argparse
import math
import sys

from vae_digits import config
from vae_digits.errors import UserError

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class ArgumentParser(argparse.ArgumentParser):
    """argparse with defaults shown in --help and one-line usage errors."""

    def __init__(self, **kwargs):
        kwargs.setdefault("formatter_class",
                          argparse.ArgumentDefaultsHelpFormatter)
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


def add_common_arguments(parser):
    """The flags of both train and generate: where data, checkpoints and
    results live, and the seed."""
    parser.add_argument(
        "--data-path", default=config.DATA_DIR,
        help="MNIST as mnist.pkl.gz, or a directory holding mnist.pkl.gz or "
             "the four IDX .gz files; downloaded into it when missing")
    parser.add_argument(
        "--checkpoint-dir", default=config.CHECKPOINT_DIR,
        help="directory of the vae.epoch.N.ckpt checkpoints")
    parser.add_argument(
        "--result-dir", default=config.RESULT_DIR,
        help="directory the PNG images are written to")
    parser.add_argument(
        "--seed", type=non_negative_int, default=None,
        help="seed for shuffling, binarisation and sampling (unset: random, "
             "as in the blog)")


def run(main, argv=None):
    """Call main(argv); turn a UserError or Ctrl-C into a one-line message
    and an exit code."""
    try:
        return main(argv)
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
