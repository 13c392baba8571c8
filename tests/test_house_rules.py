"""The rules a newcomer's reading relies on, held by the test command:
ruff clean (rules in ruff.toml), the docs build with `mkdocs build
--strict` (no broken link, no page outside the navigation) and read
offline (no font server), modules of
at most about 300 lines and functions of at most about 40 (argument
parsers apart), and a README of at most 300 lines whose links lead
somewhere."""
import ast
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.helpers import REPO_ROOT

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 40
PARSERS = re.compile(r"^(parse_args|build_parser|add_\w*arguments?)$")


def _package_modules():
    return sorted(glob.glob(os.path.join(REPO_ROOT, "vae_digits", "**",
                                         "*.py"), recursive=True))


def long_functions(source, limit=MAX_FUNCTION_LINES):
    """(name, lines) of the functions of `source` longer than `limit`
    lines, argument parsers apart."""
    return [(node.name, node.end_lineno - node.lineno + 1)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > limit
            and not PARSERS.match(node.name)]


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=os.path.dirname(sys.executable)) \
        or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e \".[test]\")")
    result = subprocess.run([ruff, "check", "--no-cache", "."],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_docs_build_strictly(tmp_path):
    pytest.importorskip("mkdocs", reason="pip install -e \".[test]\"")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
         str(tmp_path / "site")], cwd=REPO_ROOT, capture_output=True,
        text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "reference" / "trained" / "index.html")
    assert "The trained model at" in page.read_text()  # mkdocstrings ran
    data = (tmp_path / "site" / "reference" / "data" / "index.html")
    assert "load_test_set" in data.read_text()
    # read offline: no page loads a font, style or script from elsewhere
    for html in (tmp_path / "site").rglob("*.html"):
        assert not re.search(r'<(link|script|img)[^>]+(href|src)="https?://',
                             html.read_text()), html


def test_modules_and_functions_are_short():
    too_long = []
    for path in _package_modules():
        with open(path) as f:
            source = f.read()
        name = os.path.relpath(path, REPO_ROOT)
        if source.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {source.count(chr(10))} lines")
        too_long += [f"{name}: {function}() {lines} lines"
                     for function, lines in long_functions(source)]
    assert too_long == []


def test_a_long_function_is_found_and_a_parser_is_let_be():
    body = "\n".join(f"    x{i} = {i}" for i in range(45))
    source = f"def f():\n{body}\n\n\ndef parse_args():\n{body}\n"
    assert long_functions(source) == [("f", 46)]


def test_the_readme_is_short_and_its_links_lead_somewhere():
    with open(os.path.join(REPO_ROOT, "README.md")) as f:
        text = f.read()
    assert text.count("\n") <= 300
    targets = re.findall(r"\]\(([^)#]+)\)", text)
    assert "docs/index.md" in targets
    missing = [t for t in targets if not t.startswith("http") and
               not os.path.exists(os.path.join(REPO_ROOT, t))]
    assert missing == []
    setup = re.findall(r"^    (pip install .*)$", text, re.M)
    assert setup == ["pip install -e . && python -m vae_digits.train",
                     "pip install -e \".[test]\" && python -m pytest -q "
                     "tests --nbmake notebooks"]
