"""Train the blog's VAE on MNIST: `python -m vae_digits.train`.

The training loop of the blog post: 60,000 digits (train + valid),
binarised afresh in the graph every batch, SGVB on the ELBO with Adam,
one line `Epoch N (T.Ts): Lower bound = X` per epoch, a checkpoint
`vae.epoch.N.ckpt` every --save-freq epochs and after the last, resuming
from the newest checkpoint. At the end it writes the same pictures as
`python -m vae_digits.generate` with its defaults.

As the ZhuSuan tutorial's full script, every --test-freq epochs it also
reports the test lower bound and log-likelihood, and with each checkpoint
it saves 100 random samples as vae.epoch.N.png. Every epoch's figures go
to metrics.csv and to TensorBoard (metrics.py).
"""
import os
import time

import numpy as np

from vae_digits import cli, config, sampling
from vae_digits.checkpoints import (check_model_config, checkpoint_path,
                                    latest_checkpoint,
                                    write_model_config)
from vae_digits.data import binarize, load_mnist_realval, select_digits
from vae_digits.errors import Interrupted, UserError
from vae_digits.evaluation import evaluate, report_lines


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.train",
        description="Train the ZhuSuan VAE of the blog post on MNIST, "
                    "resuming from the newest checkpoint in --checkpoint-dir.")
    parser.add_argument("--epochs", type=cli.positive_int,
                        default=config.EPOCHS,
                        help="train until this epoch (a resumed run counts "
                             "the epochs already done)")
    parser.add_argument("--batch-size", type=cli.positive_int,
                        default=config.BATCH_SIZE, help="digits per step")
    parser.add_argument("--learning-rate", type=cli.positive_float,
                        default=config.LEARNING_RATE,
                        help="Adam's learning rate")
    parser.add_argument("--z-dim", type=cli.positive_int,
                        default=config.Z_DIM,
                        help="dimensions of the latent code z")
    parser.add_argument("--save-freq", type=cli.positive_int,
                        default=config.SAVE_FREQ,
                        help="save a checkpoint every this many epochs")
    parser.add_argument("--max-to-keep", type=cli.positive_int,
                        default=config.MAX_TO_KEEP,
                        help="checkpoints kept; older ones are deleted")
    parser.add_argument("--test-freq", type=cli.non_negative_int,
                        default=config.TEST_FREQ,
                        help="report the test lower bound and log-likelihood "
                             "every this many epochs (0: never)")
    parser.add_argument("--test-n-particles", type=cli.positive_int,
                        default=config.TEST_N_PARTICLES,
                        help="importance-sampling particles per test digit")
    cli.add_common_arguments(parser)
    parser.add_argument("--log-dir", default=None,
                        help="directory of the TensorBoard event files "
                             "(default: {} in --result-dir)".format(
                                 config.LOG_DIR_NAME))
    args = parser.parse_args(argv)
    if args.log_dir is None:
        args.log_dir = os.path.join(args.result_dir, config.LOG_DIR_NAME)
    return args


def load_training_data(data_path, rng):
    """Training images (train + valid, as the blog) and the test images
    binarised once with np.random.binomial."""
    x_train, _, x_valid, _, x_test, _ = load_mnist_realval(data_path)
    x_train = np.vstack([x_train, x_valid])
    return x_train, binarize(x_test, rng)


def train_epoch(sess, graph, x_train, order, batch_size, rng, epoch=None):
    """One pass over the shuffled data; the mean lower bound of its steps.
    A progress bar shows on a terminal."""
    # The blog shuffles the images in place every epoch; shuffling their
    # indices `order` with the same draws gives the same batches without
    # moving 188 MB.
    rng.shuffle(order)
    lbs = []
    iters = x_train.shape[0] // batch_size
    for t in cli.progress_bar(range(iters), desc="Epoch {}".format(epoch)):
        x_batch = x_train[order[t * batch_size:(t + 1) * batch_size]]
        _, lb = sess.run([graph.infer_op, graph.train_lower_bound],
                         feed_dict={graph.train_x: x_batch})
        lbs.append(lb)
    return np.mean(lbs)


def test_epoch(sess, graph, x_test, n_particles):
    """The tutorial's test report; returns (lower bound, log-likelihood)."""
    lower_bound, log_likelihood, seconds = evaluate(
        sess, graph, x_test, config.TEST_BATCH_SIZE, n_particles)
    print("\n".join(report_lines(lower_bound, log_likelihood, seconds)),
          flush=True)
    return lower_bound, log_likelihood


def train(args, x_train, x_test, rng):
    """Check the inputs, build the graph, restore the newest checkpoint and
    train to --epochs. Returns [(epoch, seconds, lower bound)] of the
    epochs run (none if the checkpoints already reached --epochs)."""
    model_config = {"x_dim": x_train.shape[1], "z_dim": args.z_dim}
    digits = check_inputs(args, x_train, x_test, model_config)

    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits.compat import tf
    from vae_digits.graph import build_graph
    from vae_digits.metrics import TrainingRecord
    from vae_digits.saving import restore_newest

    with tf.Graph().as_default() as tf_graph:
        graph = build_graph(model_config["x_dim"], args.z_dim,
                            learning_rate=args.learning_rate, seed=args.seed,
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
            restored_epoch=restored_epoch, graph=tf_graph)
        try:
            history = run_epochs(sess, graph, saver, record, args, x_train,
                                 x_test, rng, restored_epoch, model_config)
        finally:
            record.close()
        sampling.write_all(sess, graph, digits, config.N_SAMPLES,
                           config.STD_NOISE, args.result_dir)
    return history


def run_epochs(sess, graph, saver, record, args, x_train, x_test, rng,
               restored_epoch, model_config):
    """Epochs restored_epoch + 1 .. --epochs: train, print, test, record,
    save. Ctrl-C saves the last finished epoch; a non-finite lower bound
    stops training before anything of its epoch is kept."""
    from vae_digits.compat import tf
    variables = tf.global_variables()
    finished = saved = restored_epoch
    finished_values = None  # the variables at the end of epoch `finished`
    history = []
    order = np.arange(len(x_train))
    try:
        for epoch in range(restored_epoch + 1, args.epochs + 1):
            time_epoch = -time.time()
            lb = train_epoch(sess, graph, x_train, order, args.batch_size,
                             rng, epoch)
            time_epoch += time.time()
            if not np.isfinite(lb):
                raise UserError(
                    "the lower bound became {} in epoch {}: training "
                    "diverged and stopped without saving that epoch; resume "
                    "from the last checkpoint with a smaller "
                    "--learning-rate.".format(lb, epoch))
            finished_values, finished = sess.run(variables), epoch
            print("Epoch {} ({:.1f}s): Lower bound = {}".format(
                epoch, time_epoch, lb), flush=True)
            test = ()
            if args.test_freq and epoch % args.test_freq == 0:
                test = test_epoch(sess, graph, x_test, args.test_n_particles)
            record.add(epoch, time_epoch, lb, *test)
            history.append((epoch, time_epoch, lb))
            if epoch % args.save_freq == 0 or epoch == args.epochs:
                save_checkpoint(sess, graph, saver, args, epoch,
                                model_config)
                saved = epoch
    except KeyboardInterrupt:
        if finished == saved:
            raise Interrupted("interrupted; the last finished epoch, {}, is "
                              "saved in {}: run the same command to resume."
                              .format(finished, args.checkpoint_dir)
                              if finished else "interrupted before the "
                              "first epoch finished; nothing was saved.")
        for variable, value in zip(variables, finished_values):
            variable.load(value, sess)
        save_checkpoint(sess, graph, saver, args, finished, model_config)
        raise Interrupted("interrupted; saved the last finished epoch, {}, "
                          "to {}: run the same command to resume.".format(
                              finished, checkpoint_path(args.checkpoint_dir,
                                                        finished)))
    return history


def save_checkpoint(sess, graph, saver, args, epoch, model_config):
    """vae.epoch.N.png (100 random samples, as the tutorial), then the
    checkpoint vae.epoch.N.ckpt between the blog's two lines."""
    from vae_digits import saving
    sampling.write_random_samples(sess, graph, args.result_dir,
                                  config.EPOCH_SAMPLES_NAME.format(epoch))
    print("Saving model...", flush=True)
    write_model_config(args.checkpoint_dir, model_config)
    saving.save_checkpoint(sess, saver, args.checkpoint_dir, epoch,
                           args.max_to_keep)
    print("Done", flush=True)


def check_inputs(args, x_train, x_test, model_config):
    """Everything that can be checked before TensorFlow starts; returns
    the blog's test digits, drawn at the end of training."""
    if args.batch_size > x_train.shape[0]:
        raise UserError("--batch-size {} is larger than the {} training "
                        "digits; pass a smaller one.".format(
                            args.batch_size, x_train.shape[0]))
    if latest_checkpoint(args.checkpoint_dir) is not None:
        check_model_config(args.checkpoint_dir, model_config)
    digits = select_digits(x_test, config.DIGITS)
    for flag, path in (("--checkpoint-dir", args.checkpoint_dir),
                       ("--result-dir", args.result_dir),
                       ("--log-dir", args.log_dir)):
        cli.check_writable_directory(flag, path)
    return digits


def _main(argv):
    args = parse_args(argv)
    rng = np.random.RandomState(args.seed)
    x_train, x_test = load_training_data(args.data_path, rng)
    train(args, x_train, x_test, rng)
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
