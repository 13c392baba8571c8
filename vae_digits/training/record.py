"""The record of a training run: a CSV metrics log and TensorBoard events.

`metrics.csv` (in the result directory) has one row per epoch: epoch,
seconds, the model's train figures (`train_lower_bound` for the blog's
model) and its test figures (`test_lower_bound`, `test_log_likelihood`)
on the epochs they were computed (empty otherwise), each followed by the
objective's two parts (`train_reconstruction`, `train_kl`, ...). A
resumed run keeps the rows up to the epoch it restored and drops those
after it, which it trains again, so the log holds every epoch once. The
TensorBoard events carry the same figures per epoch (`lower_bound/train`,
...), written by TensorFlow's summary writer.
"""
import logging
import os
import threading

from vae_digits.core.compat import tf
from vae_digits.core.files import atomic_path

__all__ = ["read_metrics", "TrainingRecord"]

def read_metrics(path):
    """The complete rows of a metrics log as dicts (None for an empty
    field), one per epoch in order; a line cut short by a crash, or not
    written by this package, is left out."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        lines = f.read().split("\n")[:-1]  # the last piece lacks its "\n"
    if not lines:
        return []
    header = lines[0].split(",")
    rows = {}
    for line in lines[1:]:
        try:
            values = [float(field) if field else None
                      for field in line.split(",")]
        except ValueError:
            continue
        if len(values) == len(header) and None not in values[:3]:
            row = dict(zip(header, values))
            row["epoch"] = int(row["epoch"])
            rows[row["epoch"]] = row
    return [rows[epoch] for epoch in sorted(rows)]


def _tag(field):
    if field == "seconds":
        return "seconds_per_epoch"
    split, name = field.split("_", 1)
    return f"{name}/{split}"


class _WriterThreadErrors(logging.Filter):
    """Drops TensorFlow's log line about its event writer thread's error:
    the record raises that error in the training loop, which reports it
    in one line of its own."""

    def filter(self, record):
        return "EventFileWriter writer thread error" not in record.getMessage()


_WRITER_THREAD_ERRORS = _WriterThreadErrors()


def _quiet_writer_thread():
    """Install, once, a threading.excepthook that is silent about the
    event writer thread, whose error the next flush raises again (and the
    loop reports)."""
    hook = threading.excepthook
    if getattr(hook, "quiet_writer_thread", False):
        return

    def excepthook(args):
        if args.thread is None or args.thread.name != "EventLoggerThread":
            hook(args)
    excepthook.quiet_writer_thread = True
    threading.excepthook = excepthook
    tf.get_logger().addFilter(_WRITER_THREAD_ERRORS)


class TrainingRecord:
    """Per-epoch figures, in the columns `fields`, to `metrics_path` and
    to TensorBoard in `log_dir`, continuing a run restored at
    `restored_epoch` (0 for a new run)."""

    def __init__(self, metrics_path, log_dir, restored_epoch, fields,
                 graph=None):
        self.path, self.fields = metrics_path, tuple(fields)
        kept = [row for row in read_metrics(metrics_path)
                if row["epoch"] <= restored_epoch]
        with atomic_path(metrics_path) as partial, open(partial, "w") as f:
            f.write(",".join(self.fields) + "\n")
            f.writelines(self._format_row(row) for row in kept)
        # open for the record's life; close() closes it
        self._metrics = open(metrics_path, "a")  # noqa: SIM115
        _quiet_writer_thread()
        self._events = tf.summary.FileWriter(
            log_dir, graph=graph if restored_epoch == 0 else None)
        # TensorBoard drops events of a killed run from this step on.
        self._events.add_session_log(
            tf.SessionLog(status=tf.SessionLog.START), restored_epoch + 1)

    def _format_row(self, row):
        return ",".join("" if row.get(field) is None else repr(row[field])
                        for field in self.fields) + "\n"

    def add(self, epoch, seconds, train, test=None):
        """Record an epoch: `train` and `test` map figure names to values."""
        row = dict(epoch=epoch, seconds=float(seconds))
        row.update(("train_" + name, float(value))
                   for name, value in train.items())
        row.update(("test_" + name, float(value))
                   for name, value in (test or {}).items())
        self._metrics.write(self._format_row(row))
        self._metrics.flush()
        summary = tf.Summary(value=[
            tf.Summary.Value(tag=_tag(field), simple_value=row[field])
            for field in self.fields[1:] if row.get(field) is not None])
        self._events.add_summary(summary, epoch)
        self._events.flush()

    def close(self):
        self._metrics.close()
        self._events.close()
