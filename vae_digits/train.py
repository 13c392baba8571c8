"""Train a model: `python -m vae_digits.train [--model NAME]`.

The training loop of the blog post, for every model of the package: the
training images shuffled every epoch, one optimizer step per batch, one
line `Epoch N (T.Ts): Lower bound = X` per epoch (the model's own
figures for the other models), a checkpoint `vae.epoch.N.ckpt` every
--save-freq epochs and after the last, resuming from the newest
checkpoint. At the end it writes the same pictures as `python -m
vae_digits.generate` with its defaults.

As the ZhuSuan tutorial's full script, every --test-freq epochs it also
reports the test figures, and with each checkpoint it saves 100 random
samples as vae.epoch.N.png and the learning curves as curves.png. Every
epoch's figures go to metrics.csv and to TensorBoard (metrics.py); the
pictures a model draws after every epoch are in epochs.py.
"""
import os
import sys
import types

import numpy as np

from vae_digits import arguments, cli, config, datasets, models, sampling
from vae_digits.checkpoints import (check_model_config, checkpoint_path,
                                    latest_checkpoint)
from vae_digits.data import (default_digits, load_training_data,
                             select_digits)
from vae_digits.errors import UserError
from vae_digits.locking import lock_directories
from vae_digits.metrics import fields


def parse_args(argv=None, raise_errors=False):
    """The flags of `argv`; with `raise_errors` (the Python API), a bad
    value raises ValueError."""
    args = build_parser(argv, raise_errors).parse_args(argv)
    if args.log_dir is None:
        args.log_dir = os.path.join(args.result_dir, config.LOG_DIR_NAME)
    return args


def build_parser(argv=None, raise_errors=False):
    model_name = cli.preparse_model(argv)[0]
    model = models.MODELS.get(model_name, models.MODELS[models.DEFAULT])
    parser = cli.ArgumentParser(
        raise_errors=raise_errors, prog="python -m vae_digits.train",
        description="Train a VAE of the package (by default the ZhuSuan VAE "
                    "of the blog post, on MNIST), resuming from the newest "
                    "checkpoint in --checkpoint-dir.",
        epilog="The defaults shown are those of --model {}; `--model NAME "
               "--help` shows another model's.".format(model.NAME))
    cli.add_common_arguments(parser, argv, trains=True)
    parser.add_argument("--epochs", type=arguments.positive_int,
                        default=model.DEFAULTS["epochs"],
                        help="train until this epoch (a resumed run counts "
                             "the epochs already done)")
    parser.add_argument("--batch-size", type=arguments.positive_int,
                        default=model.DEFAULTS["batch_size"],
                        help="images per step")
    parser.add_argument("--learning-rate", type=arguments.positive_float,
                        default=model.DEFAULTS["learning_rate"],
                        help="Adam's learning rate")
    for flag in model.HYPERPARAMETERS:
        default = model.DEFAULTS[flag.name]
        parser.add_argument("--" + flag.name.replace("_", "-"),
                            type=flag.type, help=flag.help,
                            default=flag.show(default) if flag.show
                            else default)
    parser.add_argument("--train-images", type=arguments.positive_int,
                        default=None,
                        help="train on only the first this many of the "
                             "training images, for a short run (default: "
                             "all that the model trains on)")
    parser.add_argument("--save-freq", type=arguments.positive_int,
                        default=config.SAVE_FREQ,
                        help="save a checkpoint every this many epochs")
    parser.add_argument("--max-to-keep", type=arguments.positive_int,
                        default=config.MAX_TO_KEEP,
                        help="checkpoints kept; older ones are deleted")
    parser.add_argument("--test-freq", type=arguments.non_negative_int,
                        default=config.TEST_FREQ,
                        help="report the test figures every this many epochs "
                             "(0: never)")
    parser.add_argument("--test-n-particles", type=arguments.positive_int,
                        default=config.TEST_N_PARTICLES,
                        help="importance-sampling particles per test image")
    parser.add_argument("--epoch-pictures", action="store_true",
                        help="after every epoch, draw the latent space "
                             "(latent.gif) and ten reconstructions "
                             "(reconstructions_by_epoch.png); always on for "
                             "the conv model, off for the blog's, whose "
                             "epochs it would slow")
    parser.add_argument("--log-dir", default=None,
                        help="directory of the TensorBoard event files "
                             "(default: {} in --result-dir)".format(
                                 config.LOG_DIR_NAME))
    return parser


def train(args, data, rng):
    """Check the inputs, build the graph, restore the newest checkpoint and
    train to --epochs. `data` is load_training_data's. Returns [(epoch,
    seconds, {name: value})] of the epochs run (none if the checkpoints
    already reached --epochs)."""
    model = models.get(args.model)
    x_train, t_train, x_test, t_test = data
    model_config = dict(model=model.NAME, dataset=args.dataset,
                        x_dim=x_train.shape[1])
    model_config.update((flag.name, getattr(args, flag.name))
                        for flag in model.HYPERPARAMETERS)
    digits = check_inputs(args, x_train, x_test, t_test, model_config)
    model_config["data_path"] = os.path.abspath(args.data_path)
    with lock_directories((("--checkpoint-dir", args.checkpoint_dir),
                           ("--result-dir", args.result_dir))):
        history = train_locked(args, data, rng, model, model_config, digits)
    print("Checkpoints are in {}; pictures, {} and TensorBoard's logs in {}"
          .format(args.checkpoint_dir, config.METRICS_NAME, args.result_dir)
          + ("" if os.path.dirname(os.path.normpath(args.log_dir)) ==
             os.path.normpath(args.result_dir) else
             " (the logs in {})".format(args.log_dir)), flush=True)
    return history


def train_locked(args, data, rng, model, model_config, digits):
    """train, once its directories are its own."""
    x_train, t_train, x_test, t_test = data
    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits.compat import tf
    from vae_digits.epochs import EpochPictures
    from vae_digits.loop import Run
    from vae_digits.metrics import TrainingRecord
    from vae_digits.saving import restore_newest
    from vae_digits.trained import TrainedModel

    with tf.Graph().as_default() as tf_graph:
        if args.seed is not None:
            tf.set_random_seed(args.seed)
        graph = model.build(model_config, learning_rate=args.learning_rate,
                            batch_size=args.batch_size)
        # max_to_keep=0: saving.save_checkpoint deletes old checkpoints
        saver = tf.train.Saver(max_to_keep=0)
        init = tf.global_variables_initializer()
        tf_graph.finalize()

    with tf_graph.as_default(), tf.Session() as sess:
        sess.run(init)
        restored_epoch = restore_newest(sess, saver, args.checkpoint_dir)
        if restored_epoch >= args.epochs:
            print("{} already reached epoch {} (--epochs {}): nothing to "
                  "train.".format(checkpoint_path(args.checkpoint_dir,
                                                  restored_epoch),
                                  restored_epoch, args.epochs))
            return []
        record = TrainingRecord(
            os.path.join(args.result_dir, config.METRICS_NAME), args.log_dir,
            restored_epoch, fields(model), graph=tf_graph)
        kinds = model.EPOCH_PICTURES or (
            ("latent", "reconstructions") if args.epoch_pictures else ())
        pictures = EpochPictures(
            kinds, args.result_dir, x_test, t_test,
            datasets.get(args.dataset).class_names, digits, args.seed)
        vae = TrainedModel(sess, graph, model_config)
        run = Run(sess, graph, saver, vae, record, pictures, args, model)
        try:
            history = run.epochs(data, rng, restored_epoch)
        finally:
            record.close()
        sampling.write_defaults(vae, digits, config.N_SAMPLES,
                                config.STD_NOISE, args.result_dir, args.seed)
        run.write_curves()
    return history


def check_inputs(args, x_train, x_test, t_test, model_config):
    """Everything that can be checked before TensorFlow starts; returns
    the test images drawn at the end of training."""
    if args.batch_size > x_train.shape[0]:
        raise UserError("--batch-size {} is larger than the {} training "
                        "{}; pass a smaller one.".format(
                            args.batch_size, x_train.shape[0],
                            "digits" if args.dataset == "mnist" else
                            "images"))
    if latest_checkpoint(args.checkpoint_dir) is not None:
        check_model_config(args.checkpoint_dir, model_config)
    digits = select_digits(x_test, default_digits(args.dataset, t_test))
    for flag, path in (("--checkpoint-dir", args.checkpoint_dir),
                       ("--result-dir", args.result_dir),
                       ("--log-dir", args.log_dir)):
        cli.check_writable_directory(flag, path, create=False)
    return digits


def _main(argv, raise_errors=False):
    args = parse_args(argv, raise_errors)
    rng = np.random.RandomState(args.seed)
    model = models.get(args.model)
    data = load_training_data(args.data_path, rng, model.TRAIN_SHARE,
                              model.BINARIZED, args.dataset,
                              args.train_images)
    train(args, data, rng)
    return args.checkpoint_dir


def train_model(model=models.DEFAULT, **options):
    """`vae_digits.train(model="conv", epochs=3, data_path=...)`: the
    training of `python -m vae_digits.train`, each flag a keyword argument
    (`--z-dim 5` is z_dim=5, `--epoch-pictures` epoch_pictures=True), with
    the same defaults, lock and files. Returns the checkpoint directory,
    for vae_digits.load. A bad value raises ValueError, an unknown keyword
    TypeError."""
    argv = ["--model", str(model)]
    known = {action.dest for action in build_parser(argv)._actions}
    for name, value in options.items():
        if name not in known or name in ("help", "model"):
            raise TypeError("train() got an unknown keyword {!r}; it takes "
                            "{}.".format(name, ", ".join(sorted(
                                known - {"help", "model"}))))
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            argv += [flag] if value else []
        elif isinstance(value, (list, tuple)):
            argv += [flag, ",".join(str(item) for item in value)]
        elif value is not None:
            argv += [flag, os.fspath(value) if hasattr(value, "__fspath__")
                     else str(value)]
    return _main(argv, raise_errors=True)


def main(argv=None):
    return cli.run(lambda argv: _main(argv) and 0, argv)


class _CallableModule(types.ModuleType):
    """This module is the package's attribute `train` (it is what `python
    -m vae_digits.train` runs), so calling it runs train_model: then
    `vae_digits.train(...)` trains, whichever was imported first."""

    def __call__(self, model=models.DEFAULT, **options):
        return train_model(model, **options)


sys.modules[__name__].__class__ = _CallableModule

if __name__ == "__main__":
    main()
