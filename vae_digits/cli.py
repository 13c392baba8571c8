"""What the command lines share: argument types, common flags, progress
bars on terminals only, and the rule that a user's mistake ends in one
line on stderr, never a traceback.
"""
import argparse
import errno
import os
import sys
import tempfile

import tqdm

from vae_digits import config, datasets, models
from vae_digits.arguments import non_negative_int
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
    """argparse with defaults shown in --help, one-line usage errors and
    no abbreviated flags (`--mode` must never be read as `--model`). With
    `raise_errors`, as the Python API parses its keyword arguments, a bad
    value raises ValueError instead of exiting."""

    def __init__(self, raise_errors=False, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("allow_abbrev", False)
        super(ArgumentParser, self).__init__(**kwargs)
        self.raise_errors = raise_errors

    def error(self, message):
        if self.raise_errors:
            raise ValueError(message[0].upper() + message[1:] + ".")
        self.exit(EXIT_USAGE, "{}: error: {} (see --help)\n".format(
            self.prog, message))


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


def default_directories(model_name, dataset_name):
    """(checkpoint directory, result directory) of a model and dataset:
    the blog's checkpoints/vae_digits and results/vae_digits for its
    model on MNIST."""
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


def model_and_data(args):
    """For the commands that look at a trained model (generate, evaluate,
    explore): (what to load: --checkpoint or --checkpoint-dir, its model
    configuration, the dataset, the data path of its test images).
    Checked without TensorFlow: the model named by --model, a checkpoint
    there. The data path defaults to the one the model was trained on
    (recorded in model_config.json), else the dataset's default."""
    from vae_digits.checkpoints import resolve_trained_model
    _, model_config = resolve_trained_model(args.checkpoint_dir,
                                            args.checkpoint, args.model)
    dataset = args.dataset or model_config["dataset"] or datasets.DEFAULT
    data_path = args.data_path
    if data_path is None and dataset == model_config["dataset"]:
        data_path = model_config.get("data_path")
    if data_path is None or not os.path.exists(data_path):
        data_path = args.data_path or datasets.default_data_path(dataset)
    return (args.checkpoint or args.checkpoint_dir, model_config, dataset,
            data_path)


def check_directory(flag, path):
    """UserError if `path`, given as `flag`, exists and is no directory."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError("{} {} is a file, not a directory; pass a "
                        "directory.".format(flag, path))


def check_writable_directory(flag, path, create=True):
    """check_directory, then make sure a file can be written in `path`
    (created here unless `create` is False: training creates its
    directories only once it holds their locks): better now than after an
    hour of training."""
    check_directory(flag, path)
    try:
        if not create:
            existing = os.path.abspath(path)
            while not os.path.exists(existing):
                existing = os.path.dirname(existing)
            if not os.path.isdir(existing):
                raise NotADirectoryError(errno.ENOTDIR, "{} is a file".format(
                    existing))
            if not os.access(existing, os.W_OK | os.X_OK):
                raise PermissionError(errno.EACCES, os.strerror(
                    errno.EROFS if _read_only(existing) else errno.EACCES))
            return
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as e:
        raise UserError("cannot write to {} {} ({}); pass a writable "
                        "directory.".format(flag, path, e.strerror or e))


def _read_only(path):
    return bool(os.statvfs(path).f_flag & os.ST_RDONLY)


def progress_bar(iterable, desc=None):
    """`iterable`, with a progress bar when stdout is a terminal or a
    Jupyter notebook; nothing extra in logs and CI. The bar is erased
    when done."""
    shown = sys.stdout.isatty() or "ipykernel" in sys.modules
    return tqdm.tqdm(iterable, desc=desc, leave=False, file=sys.stdout,
                     disable=not shown, dynamic_ncols=True)


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
