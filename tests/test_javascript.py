"""The explore page's JavaScript under Node's own test runner (`node
--test tests/js/`): the page's plain functions (the pointer's point of
the map, the projection, the interpolation, the pad's MNIST
normalisation, the game's draw, the exported page's network) against
values tests/js/reference.py computes apart, in numpy; and the fixtures
are what tests/js/make_fixtures.py writes today. Skipped, saying so,
where Node is missing."""
import importlib.util
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pytest

from tests.helpers import REPO_ROOT

JS_TESTS = os.path.join(REPO_ROOT, "tests", "js")


def test_the_pages_functions_pass_their_node_tests():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (apt-get install nodejs, or "
                    "https://nodejs.org): the page's JavaScript unit tests need it")
    result = subprocess.run([node, "--test", "tests/js/"], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed and int(passed.group(1)) >= 60, result.stdout[-2000:]


def parts(value, numbers, shape):
    """`value` (JSON's types) taken apart: its floats into `numbers`, the
    rest (keys, lengths, other values) into `shape`."""
    if isinstance(value, dict):
        shape.append(sorted(value))
        for key in sorted(value):
            parts(value[key], numbers, shape)
    elif isinstance(value, list):
        shape.append(len(value))
        for item in value:
            parts(item, numbers, shape)
    elif isinstance(value, float):
        numbers.append(value)
        shape.append(float)
    else:
        shape.append(value)
    return numbers, shape


def test_the_fixtures_are_what_make_fixtures_writes():
    spec = importlib.util.spec_from_file_location(
        "make_fixtures", os.path.join(JS_TESTS, "make_fixtures.py"))
    make_fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_fixtures)
    for name, value in make_fixtures.build().items():
        with open(os.path.join(JS_TESTS, "fixtures", f"{name}.json")) as f:
            stored = json.load(f)
        built = json.loads(json.dumps(make_fixtures.plain(value)))
        (numbers, shape), (expected, stored_shape) = parts(built, [], []), parts(stored, [], [])
        assert shape == stored_shape, name
        np.testing.assert_allclose(numbers, expected, rtol=1e-12, atol=1e-12, err_msg=name)
