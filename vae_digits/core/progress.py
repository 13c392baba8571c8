"""Progress bars that show on a terminal or in Jupyter, and nowhere else
(no extra lines in logs and CI)."""
import sys

import tqdm

__all__ = ["progress_bar"]


def progress_bar(iterable, desc=None):
    """`iterable`, with a progress bar when stdout is a terminal or a
    Jupyter notebook. The bar is erased when done."""
    shown = sys.stdout.isatty() or "ipykernel" in sys.modules
    return tqdm.tqdm(iterable, desc=desc, leave=False, file=sys.stdout,
                     disable=not shown, dynamic_ncols=True)
