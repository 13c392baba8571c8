"""The training loop, for every model: epochs of optimizer steps over the
shuffled images, the epoch lines, the test reports, the record, the
pictures drawn after every epoch and the checkpoints, with Ctrl-C saving
the last finished epoch. run.py builds the graph, restores the newest
checkpoint and hands a `Run` the rest.
"""
import os
import time

import numpy as np

from vae_digits.checkpoints.model_config import write_model_config
from vae_digits.checkpoints.names import checkpoint_path
from vae_digits.core import config, memory
from vae_digits.core.errors import Interrupted, UserError, os_error_fix
from vae_digits.core.progress import progress_bar
from vae_digits.models.base import label
from vae_digits.pictures import samples
from vae_digits.pictures.epochs import learning_curves
from vae_digits.trained.scores import evaluate, mean_metrics, report_lines
from vae_digits.training.record import read_metrics

__all__ = ["train_epoch", "test_epoch", "Run", "CURVES_NAME", "LOSSES_NAME"]

CURVES_NAME = "curves.png"
LOSSES_NAME = "losses.png"


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
    for t in progress_bar(range(iters), desc=f"Epoch {epoch}"):
        batch = order[t * batch_size:(t + 1) * batch_size]
        feed_dict = {graph.train_x: x_train[batch]}
        if graph.train_labels is not None:
            feed_dict[graph.train_labels] = t_train[batch]
        values.append(sess.run(fetches, feed_dict=feed_dict)[1:])
    return dict(zip(graph.train_metrics, np.mean(values, axis=0)))


def test_epoch(sess, graph, x_test, t_test, n_particles, names):
    """The tutorial's test report, its lines showing the figures `names`;
    returns {name: value} of all the figures."""
    results, seconds = evaluate(sess, graph, x_test, config.TEST_BATCH_SIZE,
                                n_particles, labels=t_test)
    print("\n".join(report_lines({name: value for name, value in
                                  results.items() if name in names},
                                 seconds)), flush=True)
    return results


class Run:
    """One training run in a session: its epochs, records and saves."""

    def __init__(self, sess, graph, saver, vae, record, pictures, args,
                 model):
        """`vae`: the trained.TrainedModel over `sess` and `graph`, which
        draws the pictures."""
        self.sess, self.graph, self.saver, self.vae = sess, graph, saver, vae
        self.record, self.pictures, self.args = record, pictures, args
        self.model, self.model_config = model, vae.hparams
        self.failure = None  # (what, error): the first output not written

    def epochs(self, data, rng, restored_epoch):
        """Epochs restored_epoch + 1 .. --epochs: train, print, test,
        record, draw, save. Ctrl-C saves the last finished epoch; a
        non-finite objective stops training before anything of its epoch
        is kept."""
        from vae_digits.core.compat import tf
        variables = tf.global_variables()
        finished = saved = restored_epoch
        finished_values = None  # the variables at the end of epoch `finished`
        history = []
        order = np.arange(len(data[0]))
        try:
            with memory.steady():  # flat over hundreds of epochs
                for epoch in range(restored_epoch + 1, self.args.epochs + 1):
                    values, seconds = self.train(epoch, data, order, rng)
                    finished_values, finished = self.sess.run(variables), epoch
                    history.append(self.report(epoch, seconds, values, data))
                    if self.failure or epoch % self.args.save_freq == 0 or \
                            epoch == self.args.epochs:
                        self.save(epoch)
                        saved = epoch
                    if self.failure:
                        raise self.failed(epoch)
                    memory.release()
        except KeyboardInterrupt:
            self.interrupted(finished, saved, variables, finished_values)
        return history

    def train(self, epoch, data, order, rng):
        """Train epoch `epoch`: ({name: mean over its steps}, seconds)."""
        x_train, t_train = data[:2]
        time_epoch = -time.time()
        values = train_epoch(self.sess, self.graph, x_train, order,
                             self.args.batch_size, rng, epoch, t_train)
        time_epoch += time.time()
        self.check_finite(values, epoch)
        return values, time_epoch

    def report(self, epoch, time_epoch, values, data):
        """Print epoch `epoch`'s line, test, record and draw; returns
        (epoch, seconds, {name: value})."""
        x_train, t_train, x_test, t_test = data
        args, metrics = self.args, self.model.train_metrics
        if self.model.whole_set_train_metrics:
            values = mean_metrics(self.sess, self.graph, x_train, t_train,
                                  config.TEST_BATCH_SIZE)
        shown = ", ".join(f"{label(name, capitalize=True)} = {values[name]}"
                          for name in metrics)
        print(f"Epoch {epoch} ({time_epoch:.1f}s): {shown}", flush=True)
        test = None
        if args.test_freq and epoch % args.test_freq == 0:
            test = test_epoch(self.sess, self.graph, x_test, t_test,
                              args.test_n_particles, self.model.test_metrics)
        self.writing(f"{config.METRICS_NAME} and TensorBoard's events",
                     self.record.add, epoch, time_epoch, values, test)
        self.writing(f"the pictures of epoch {epoch}", self.pictures.draw,
                     self.vae, epoch)
        if self.model.loss_curves:
            self.writing(LOSSES_NAME, self.draw_curves, LOSSES_NAME,
                         names=self.model.loss_curves)
        return epoch, time_epoch, values

    def writing(self, what, write, *args, **kwargs):
        """write(*args, **kwargs); an output that cannot be written (a
        full disk, a read-only directory) is remembered, not raised, so
        that the checkpoint comes first. Once one failed, no more are
        tried."""
        from vae_digits.core.compat import tf
        if self.failure is None:
            try:
                write(*args, **kwargs)
            except (OSError, RuntimeError, tf.errors.OpError) as e:
                self.failure = (what, e)

    def failed(self, epoch):
        """The UserError that ends a run whose outputs failed after its
        checkpoint of `epoch` was saved."""
        from vae_digits.checkpoints.saving import failure_cause
        what, error = self.failure
        reason, code = failure_cause(error, self.args.result_dir)
        fix = os_error_fix(code, "another --result-dir")
        path = checkpoint_path(self.args.checkpoint_dir, epoch)
        return UserError(f"saved {path}, but could not write {what} in "
                         f"{self.args.result_dir}: {reason}; {fix}, then run "
                         "the same command to resume.")

    def interrupted(self, finished, saved, variables, finished_values):
        """After Ctrl-C: save the last finished epoch unless it is saved,
        and say so in an Interrupted error."""
        where = self.args.checkpoint_dir
        if finished == saved:
            raise Interrupted(
                f"interrupted; the last finished epoch, {finished}, is saved "
                f"in {where}: run the same command to resume." if finished
                else "interrupted before the first epoch finished; nothing "
                "was saved.")
        for variable, value in zip(variables, finished_values):
            variable.load(value, self.sess)
        self.save(finished)
        raise Interrupted(f"interrupted; saved the last finished epoch, "
                          f"{finished}, to {checkpoint_path(where, finished)}"
                          ": run the same command to resume.")

    def check_finite(self, values, epoch):
        name = self.model.train_metrics[0]
        value = values[name]
        if not np.isfinite(value):
            raise UserError(
                f"the {label(name)} became {value} in epoch {epoch}: "
                "training diverged and stopped without saving that epoch; "
                "resume from the last checkpoint with a smaller "
                "--learning-rate.")

    def draw_curves(self, name=CURVES_NAME, names=None):
        """curves.png (or `name`) from metrics.csv."""
        rows = read_metrics(os.path.join(self.args.result_dir,
                                         config.METRICS_NAME))
        learning_curves(self.model, rows,
                        os.path.join(self.args.result_dir, name), names)

    def save(self, epoch):
        """The checkpoint vae.epoch.N.ckpt between the blog's two lines,
        then vae.epoch.N.png (100 random samples, as the tutorial) and the
        curves: the checkpoint comes first."""
        from vae_digits.checkpoints import saving
        args = self.args
        print("Saving model...", flush=True)
        write_model_config(args.checkpoint_dir, self.model_config)
        saving.save_checkpoint(self.sess, self.saver, args.checkpoint_dir,
                               epoch, args.max_to_keep)
        print("Done", flush=True)
        name = config.EPOCH_SAMPLES_NAME.format(epoch)
        self.writing(name, samples.write_random_samples, self.vae,
                     args.result_dir, name, seed=args.seed)
        self.writing(CURVES_NAME, self.draw_curves)
