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
import time

import numpy as np

from vae_digits import cli, config, datasets, models, sampling
from vae_digits.checkpoints import (check_model_config, checkpoint_path,
                                    latest_checkpoint, write_model_config)
from vae_digits.data import (default_digits, load_training_data,
                             select_digits)
from vae_digits.errors import Interrupted, UserError
from vae_digits.evaluation import evaluate, mean_metrics, report_lines
from vae_digits.locking import lock_directories
from vae_digits.metrics import fields, label

CURVES_NAME = "curves.png"
LOSSES_NAME = "losses.png"


def parse_args(argv=None):
    model_name = cli.preparse_model(argv)[0]
    model = models.MODELS.get(model_name, models.MODELS[models.DEFAULT])
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.train",
        description="Train a VAE of the package (by default the ZhuSuan VAE "
                    "of the blog post, on MNIST), resuming from the newest "
                    "checkpoint in --checkpoint-dir.",
        epilog="The defaults shown are those of --model {}; `--model NAME "
               "--help` shows another model's.".format(model.NAME))
    cli.add_common_arguments(parser, argv, trains=True)
    parser.add_argument("--epochs", type=cli.positive_int,
                        default=model.DEFAULTS["epochs"],
                        help="train until this epoch (a resumed run counts "
                             "the epochs already done)")
    parser.add_argument("--batch-size", type=cli.positive_int,
                        default=model.DEFAULTS["batch_size"],
                        help="images per step")
    parser.add_argument("--learning-rate", type=cli.positive_float,
                        default=model.DEFAULTS["learning_rate"],
                        help="Adam's learning rate")
    for flag in model.HYPERPARAMETERS:
        parser.add_argument("--" + flag.name.replace("_", "-"),
                            type=flag.type, default=model.DEFAULTS[flag.name],
                            help=flag.help)
    parser.add_argument("--save-freq", type=cli.positive_int,
                        default=config.SAVE_FREQ,
                        help="save a checkpoint every this many epochs")
    parser.add_argument("--max-to-keep", type=cli.positive_int,
                        default=config.MAX_TO_KEEP,
                        help="checkpoints kept; older ones are deleted")
    parser.add_argument("--test-freq", type=cli.non_negative_int,
                        default=config.TEST_FREQ,
                        help="report the test figures every this many epochs "
                             "(0: never)")
    parser.add_argument("--test-n-particles", type=cli.positive_int,
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
    args = parser.parse_args(argv)
    if args.log_dir is None:
        args.log_dir = os.path.join(args.result_dir, config.LOG_DIR_NAME)
    return args


def train_epoch(sess, graph, x_train, order, batch_size, rng, epoch=None,
                t_train=None):
    """One pass over the shuffled data; {name: mean over its steps} of the
    graph's train figures. A progress bar shows on a terminal."""
    # The blog shuffles the images in place every epoch; shuffling their
    # indices `order` with the same draws gives the same batches without
    # moving 188 MB.
    rng.shuffle(order)
    fetches = [graph.infer_op] + list(graph.train_metrics.values())
    values = []
    iters = x_train.shape[0] // batch_size
    for t in cli.progress_bar(range(iters), desc="Epoch {}".format(epoch)):
        batch = order[t * batch_size:(t + 1) * batch_size]
        feed_dict = {graph.train_x: x_train[batch]}
        if graph.train_labels is not None:
            feed_dict[graph.train_labels] = t_train[batch]
        values.append(sess.run(fetches, feed_dict=feed_dict)[1:])
    return dict(zip(graph.train_metrics, np.mean(values, axis=0)))


def test_epoch(sess, graph, x_test, t_test, n_particles):
    """The tutorial's test report; returns {name: value}."""
    results, seconds = evaluate(sess, graph, x_test, config.TEST_BATCH_SIZE,
                                n_particles, labels=t_test)
    print("\n".join(report_lines(results, seconds)), flush=True)
    return results


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
    with lock_directories((("--checkpoint-dir", args.checkpoint_dir),
                           ("--result-dir", args.result_dir))):
        return train_locked(args, data, rng, model, model_config, digits)


def train_locked(args, data, rng, model, model_config, digits):
    """train, once its directories are its own."""
    x_train, t_train, x_test, t_test = data
    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits.compat import tf
    from vae_digits.epochs import EpochPictures
    from vae_digits.metrics import TrainingRecord
    from vae_digits.saving import restore_newest

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
        run = Run(sess, graph, saver, record, pictures, args, model,
                  model_config)
        try:
            history = run.epochs(data, rng, restored_epoch)
        finally:
            record.close()
        sampling.write_defaults(sess, graph, digits, config.N_SAMPLES,
                                config.STD_NOISE, args.result_dir, rng)
        run.write_curves()
    return history


class Run(object):
    """One training run in a session: its epochs, records and saves."""

    def __init__(self, sess, graph, saver, record, pictures, args, model,
                 model_config):
        self.sess, self.graph, self.saver = sess, graph, saver
        self.record, self.pictures, self.args = record, pictures, args
        self.model, self.model_config = model, model_config

    def epochs(self, data, rng, restored_epoch):
        """Epochs restored_epoch + 1 .. --epochs: train, print, test,
        record, draw, save. Ctrl-C saves the last finished epoch; a
        non-finite objective stops training before anything of its epoch
        is kept."""
        from vae_digits.compat import tf
        x_train, t_train, x_test, t_test = data
        sess, graph, args = self.sess, self.graph, self.args
        variables = tf.global_variables()
        finished = saved = restored_epoch
        finished_values = None  # the variables at the end of epoch `finished`
        history = []
        order = np.arange(len(x_train))
        try:
            for epoch in range(restored_epoch + 1, args.epochs + 1):
                time_epoch = -time.time()
                values = train_epoch(sess, graph, x_train, order,
                                     args.batch_size, rng, epoch, t_train)
                time_epoch += time.time()
                self.check_finite(values, epoch)
                finished_values, finished = sess.run(variables), epoch
                if self.model.WHOLE_SET_TRAIN_METRICS:
                    values = mean_metrics(sess, graph, x_train, t_train,
                                          config.TEST_BATCH_SIZE)
                print("Epoch {} ({:.1f}s): {}".format(
                    epoch, time_epoch, ", ".join(
                        "{} = {}".format(label(name, capitalize=True), value)
                        for name, value in values.items())), flush=True)
                test = None
                if args.test_freq and epoch % args.test_freq == 0:
                    test = test_epoch(sess, graph, x_test, t_test,
                                      args.test_n_particles)
                self.record.add(epoch, time_epoch, values, test)
                self.pictures.draw(sess, graph, epoch)
                if self.model.LOSS_CURVES:
                    self.write_curves(LOSSES_NAME,
                                      names=self.model.LOSS_CURVES)
                history.append((epoch, time_epoch, values))
                if epoch % args.save_freq == 0 or epoch == args.epochs:
                    self.save(epoch)
                    saved = epoch
        except KeyboardInterrupt:
            if finished == saved:
                raise Interrupted(
                    "interrupted; the last finished epoch, {}, is saved in "
                    "{}: run the same command to resume.".format(
                        finished, args.checkpoint_dir) if finished else
                    "interrupted before the first epoch finished; nothing "
                    "was saved.")
            for variable, value in zip(variables, finished_values):
                variable.load(value, sess)
            self.save(finished)
            raise Interrupted("interrupted; saved the last finished epoch, "
                              "{}, to {}: run the same command to resume."
                              .format(finished, checkpoint_path(
                                  args.checkpoint_dir, finished)))
        return history

    def check_finite(self, values, epoch):
        name, value = next(iter(values.items()))
        if not np.isfinite(value):
            raise UserError(
                "the {} became {} in epoch {}: training diverged and "
                "stopped without saving that epoch; resume from the last "
                "checkpoint with a smaller --learning-rate.".format(
                    label(name), value, epoch))

    def write_curves(self, name=CURVES_NAME, names=None):
        from vae_digits.epochs import write_curves
        write_curves(self.model, os.path.join(self.args.result_dir,
                                              config.METRICS_NAME),
                     os.path.join(self.args.result_dir, name), names)

    def save(self, epoch):
        """vae.epoch.N.png (100 random samples, as the tutorial) and the
        curves, then the checkpoint vae.epoch.N.ckpt between the blog's
        two lines."""
        from vae_digits import saving
        args = self.args
        sampling.write_random_samples(self.sess, self.graph, args.result_dir,
                                      config.EPOCH_SAMPLES_NAME.format(epoch))
        self.write_curves()
        print("Saving model...", flush=True)
        write_model_config(args.checkpoint_dir, self.model_config)
        saving.save_checkpoint(self.sess, self.saver, args.checkpoint_dir,
                               epoch, args.max_to_keep)
        print("Done", flush=True)


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
        cli.check_writable_directory(flag, path)
    return digits


def _main(argv):
    args = parse_args(argv)
    rng = np.random.RandomState(args.seed)
    model = models.get(args.model)
    data = load_training_data(args.data_path, rng, model.TRAIN_SHARE,
                              model.BINARIZED, args.dataset)
    train(args, data, rng)
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
