"""The notebooks find the checkout's data/ and checkpoints/ whether
Jupyter runs them from the checkout or from notebooks/ (as `jupyter
notebook notebooks/` does: a kernel starts in the notebook's folder)."""
import glob
import json
import os

import pytest

from tests.helpers import REPO_ROOT

NOTEBOOKS = sorted(glob.glob(os.path.join(REPO_ROOT, "notebooks", "*.ipynb")))


def first_code_cell(path):
    with open(path) as f:
        cells = json.load(f)["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")
                   ["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
@pytest.mark.parametrize("start", ["checkout", "notebooks"])
def test_the_paths_are_the_checkouts(path, start, monkeypatch):
    for name in ("VAE_DIGITS_DATA", "VAE_DIGITS_WORK_DIR"):
        monkeypatch.delenv(name, raising=False)
    here = REPO_ROOT if start == "checkout" else os.path.dirname(path)
    monkeypatch.chdir(here)
    names = {}
    exec(first_code_cell(path), names)
    assert os.path.realpath(names["WORK_DIR"]) == os.path.realpath(REPO_ROOT)
    if "fashion" not in os.path.basename(path):
        assert os.path.realpath(names["DATA_PATH"]) == os.path.realpath(
            os.path.join(REPO_ROOT, "data"))
