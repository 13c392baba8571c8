"""The record of a training run: a CSV metrics log and TensorBoard events.

`metrics.csv` (in the result directory) has one row per epoch: epoch,
seconds, train lower bound, and the test lower bound and log-likelihood
on the epochs they were computed (empty otherwise). A resumed run keeps
the rows up to the epoch it restored and drops those after it, which it
trains again, so the log holds every epoch once. The TensorBoard events
carry the same figures per epoch, written by TensorFlow's summary writer.
"""
import os

from vae_digits.atomic import atomic_path
from vae_digits.compat import tf

__all__ = ["FIELDS", "read_metrics", "TrainingRecord"]

FIELDS = ("epoch", "seconds", "train_lower_bound", "test_lower_bound",
          "test_log_likelihood")
_TAGS = {"seconds": "seconds_per_epoch",
         "train_lower_bound": "lower_bound/train",
         "test_lower_bound": "lower_bound/test",
         "test_log_likelihood": "log_likelihood/test"}


def read_metrics(path):
    """The complete rows of a metrics log as dicts (None for an empty
    field), one per epoch in order; a line cut short by a crash, or not
    written by this package, is left out."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        lines = f.read().split("\n")[:-1]  # the last piece lacks its "\n"
    rows = {}
    for line in lines[1:]:
        fields = line.split(",")
        try:
            values = [float(field) if field else None for field in fields]
        except ValueError:
            continue
        if len(values) == len(FIELDS) and None not in values[:3]:
            row = dict(zip(FIELDS, values))
            row["epoch"] = int(row["epoch"])
            rows[row["epoch"]] = row
    return [rows[epoch] for epoch in sorted(rows)]


def _format_row(row):
    return ",".join("" if row.get(field) is None else repr(row[field])
                    for field in FIELDS) + "\n"


class TrainingRecord(object):
    """Per-epoch figures to `metrics_path` and to TensorBoard in `log_dir`,
    continuing a run restored at `restored_epoch` (0 for a new run)."""

    def __init__(self, metrics_path, log_dir, restored_epoch, graph=None):
        kept = [row for row in read_metrics(metrics_path)
                if row["epoch"] <= restored_epoch]
        with atomic_path(metrics_path) as partial, open(partial, "w") as f:
            f.write(",".join(FIELDS) + "\n")
            f.writelines(_format_row(row) for row in kept)
        self._metrics = open(metrics_path, "a")
        self._events = tf.summary.FileWriter(
            log_dir, graph=graph if restored_epoch == 0 else None)
        # TensorBoard drops events of a killed run from this step on.
        self._events.add_session_log(
            tf.SessionLog(status=tf.SessionLog.START), restored_epoch + 1)

    def add(self, epoch, seconds, train_lower_bound, test_lower_bound=None,
            test_log_likelihood=None):
        row = dict(epoch=epoch, seconds=float(seconds),
                   train_lower_bound=float(train_lower_bound),
                   test_lower_bound=test_lower_bound,
                   test_log_likelihood=test_log_likelihood)
        self._metrics.write(_format_row(row))
        self._metrics.flush()
        values = [tf.Summary.Value(tag=_TAGS[field], simple_value=row[field])
                  for field in FIELDS[1:] if row[field] is not None]
        self._events.add_summary(tf.Summary(value=values), epoch)
        self._events.flush()

    def close(self):
        self._metrics.close()
        self._events.close()

