"""Digits drawn on the pad read like MNIST: benchmarks/drawn_digits.py
draws real test digits on the page's pad as mouse strokes, each at another
size and place; their codes lie near the codes of the same digits given
directly, and the conditional model's classifier reads them about as well
as the originals."""
import json
import os
import subprocess
import sys

import pytest

from tests.browser import CHROMIUM

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is "
                    "not installed (pip install -e \".[test]\")")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"no Chromium at {CHROMIUM}")
SCRIPT = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "drawn_digits.py")


def measure(checkpoint_dir, data, digits):
    result = subprocess.run(
        [sys.executable, SCRIPT, "--checkpoint-dir", str(checkpoint_dir), "--data-path",
         data, "--digits", str(digits), "--json"], capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    print(result.stdout)  # the figures, shown with -s or on failure
    return json.loads(result.stdout)


@pytest.mark.parametrize("model", ["mlp", "conv"])
def test_drawn_digits_land_near_the_same_digits_given_directly(
        model, served_mlp_dir, served_conv_dir, small_mnist):
    directory = {"mlp": served_mlp_dir, "conv": served_conv_dir}[model]
    figures = measure(directory, small_mnist, 12)
    assert figures["drawn_to_direct"] < 0.6 * figures["between_digits"], figures


def test_the_classifier_reads_drawn_digits_as_it_reads_the_originals(
        trained_conditional):
    figures = measure(trained_conditional["checkpoint_dir"],
                      trained_conditional["data"], 40)
    # its z holds the style only (the digit is beside it): codes of two
    # digits lie closer together than the other models' do
    assert figures["drawn_to_direct"] < 0.75 * figures["between_digits"], figures
    assert figures["accuracy_direct"] >= 0.9, figures
    assert figures["accuracy_drawn"] >= figures["accuracy_direct"] - 0.15, figures
