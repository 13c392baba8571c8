"""What the labs share: their table, written as CSV and printed as lines,
the standard error of a mean, and the AUROC of a score."""
from __future__ import annotations

import csv
import io

import numpy as np

from vae_digits.core.files import write_bytes

__all__ = ["Table", "standard_error", "auroc"]


class Table:
    """Rows of named values, in the order of `columns`."""

    def __init__(self, columns):
        self.columns = tuple(columns)
        self.rows = []

    def add(self, **values):
        unknown = set(values) - set(self.columns)
        if unknown:
            raise KeyError(f"no columns {sorted(unknown)}")
        self.rows.append(values)

    def write_csv(self, path):
        """The table as CSV at `path`, written whole or not at all."""
        text = io.StringIO()
        writer = csv.DictWriter(text, self.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        write_bytes(path, text.getvalue().encode())

    def lines(self):
        """The table as aligned lines, numbers to 3 decimals."""
        cells = [list(self.columns)] + [
            [_cell(row.get(column)) for column in self.columns]
            for row in self.rows]
        widths = [max(len(row[i]) for row in cells)
                  for i in range(len(self.columns))]
        return ["  ".join(cell.rjust(width) for cell, width in
                          zip(row, widths)).rstrip() for row in cells]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{value:.3f}"
    return str(value)


def standard_error(values):
    """The standard error of the mean of `values` (0 for one value)."""
    values = np.asarray(values, np.float64)
    if len(values) < 2:
        return 0.
    return float(values.std(ddof=1) / np.sqrt(len(values)))


def auroc(inliers, outliers):
    """The area under the ROC curve of a score that should be higher for
    `inliers` than for `outliers`: the probability that a random inlier
    scores above a random outlier, ties counting half (Mann-Whitney U
    over the ranks, O(n log n))."""
    inliers = np.asarray(inliers, np.float64)
    outliers = np.asarray(outliers, np.float64)
    if not len(inliers) or not len(outliers):
        raise ValueError("auroc needs at least one score of each kind.")
    scores = np.concatenate([inliers, outliers])
    # ranks from 1 in ascending order, tied scores sharing their mean rank
    _, inverse, counts = np.unique(scores, return_inverse=True,
                                   return_counts=True)
    first = np.cumsum(counts) - counts + 1
    ranks = (first + (counts - 1) / 2.)[inverse]
    u = ranks[:len(inliers)].sum() - len(inliers) * (len(inliers) + 1) / 2.
    return float(u / (len(inliers) * len(outliers)))
