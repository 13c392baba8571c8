#!/usr/bin/env python3
"""The mutation score of the modules that need no TensorFlow to test.

usage: python benchmarks/mutation_score.py [--max-children 2] [--keep]
                                           [--min-score 85]

Runs mutmut 3 (`pip install -e ".[mutation]"`) with the settings of
setup.cfg's [mutmut] section: the modules it mutates (only_mutate) and
the fast tests it runs against them (pytest_add_cli_args_test_selection;
mutmut runs, for each mutant, only those of them that call the mutated
function). Prints, per module and overall, the mutants, those killed, those
explained in benchmarks/mutation_equivalent.txt (equivalent: nothing
observable changes; or cosmetic: only a figure's look), those left, and
the score, killed / mutants; then each survivor left unexplained, as
file:line and its diff, and each explained one on a line. Exits 1 if a
survivor is unexplained or the score is below --min-score.

mutmut works in a copy of the tree, mutants/ (git ignores it), made afresh
here and removed at the end unless --keep (then `mutmut browse`).
"""
import argparse
import ast
import configparser
import os
import re
import shutil
import subprocess
import sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPLAINED = os.path.join(ROOT, "benchmarks", "mutation_equivalent.txt")
KILLED = {"killed", "timeout", "segfault", "caught by type check"}
RESULT = re.compile(r"^\s+(\S+__mutmut_\d+): (.+)$")


def mutmut(*args, capture=True):
    """Run `mutmut ARGS` in the checkout; its output if `capture`."""
    command = shutil.which("mutmut", path=os.path.dirname(sys.executable)) \
        or shutil.which("mutmut")
    if command is None:
        sys.exit("mutmut is not installed: pip install -e \".[mutation]\"")
    result = subprocess.run([command, *args], cwd=ROOT, text=True,
                            capture_output=capture)
    if result.returncode != 0:
        sys.exit(f"mutmut {' '.join(args)} failed ({result.returncode}):\n"
                 + (result.stdout or "")[-3000:] + (result.stderr or ""))
    return result.stdout


def mutated_modules():
    """{dotted module: file} of setup.cfg's [mutmut] only_mutate."""
    parser = configparser.ConfigParser()
    parser.read(os.path.join(ROOT, "setup.cfg"))
    files = parser.get("mutmut", "only_mutate").split()
    return {path[:-3].replace("/", "."): path for path in files}


def function_of(name):
    """('vae_digits.data.mnist', '_read_idx') of a mutant's name, a method
    as 'Class.method'."""
    mangled = name.rsplit("__mutmut_", 1)[0]
    module, _, function = mangled.rpartition(".")
    if function.startswith("xǁ"):
        return module, ".".join(function[2:].split("ǁ"))
    return module, function[2:]


def change(diff):
    """The lines a mutant's diff removes and adds, each stripped and its
    spaces collapsed: (removed, added)."""
    lines = [line for line in diff.splitlines()
             if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    squeeze = [(line[0], " ".join(line[1:].split())) for line in lines]
    return (tuple(text for sign, text in squeeze if sign == "-"),
            tuple(text for sign, text in squeeze if sign == "+"))


def read_explained(path=EXPLAINED):
    """{(function, removed, added): (kind, reason)} of the explained
    mutants: blocks of a `module.function` line, `- ` / `+ ` lines and a
    `equivalent: ...` or `cosmetic: ...` line, apart by blank lines."""
    explained = {}
    with open(path) as f:
        blocks = re.split(r"\n\s*\n", "".join(
            line for line in f if not line.startswith("#")))
    for block in filter(str.strip, blocks):
        lines = block.strip().splitlines()
        kind, _, reason = lines[-1].partition(": ")
        if kind not in ("equivalent", "cosmetic") or not reason:
            sys.exit(f"{path}: a block must end in `equivalent: WHY` or "
                     f"`cosmetic: WHY`:\n{block}")
        diff = "\n".join(lines[1:-1])
        explained[(lines[0].strip(),) + change(diff)] = (kind, reason)
    return explained


def line_of(path, function, removed):
    """The line of `path` where `function` has the first removed line."""
    with open(os.path.join(ROOT, path)) as f:
        source = f.read()
    lines = source.splitlines()
    name = function.rsplit(".", 1)[-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            for number in range(node.lineno, node.end_lineno + 1):
                if removed and " ".join(lines[number - 1].split()) == \
                        removed[0]:
                    return number
            return node.lineno
    return 0


def place(path, key):
    """`path:line` of a mutant's key (function, removed, added)."""
    function = key[0][len(path[:-3].replace("/", ".")) + 1:]
    return f"{path}:{line_of(path, function, key[1])}"


def survivors(results, modules, explained):
    """[(module, key, name, diff, explanation or None)] of the mutants
    not killed."""
    found = []
    for name, status in results.items():
        if status in KILLED:
            continue
        module, function = function_of(name)
        diff = mutmut("show", name).split("\n", 1)[1]
        key = (f"{module}.{function}",) + change(diff)
        found.append((module, key, name, diff, explained.get(key)))
    return found


def table(results, found, modules):
    """The lines of the score table and the overall score (killed /
    mutants, in %)."""
    counts = {module: Counter() for module in modules}
    for name, status in results.items():
        counts[function_of(name)[0]]["mutants"] += 1
        counts[function_of(name)[0]]["killed"] += status in KILLED
    return score_lines(counts, found, "module", 38)


def score_lines(counts, found, heading, width, extra=()):
    """The score table of `counts` ({name: Counter of "mutants" and
    "killed"}) with the survivors of `found` (name first, explanation
    last) counted as explained or left, and an overall row; and the
    overall score (killed / mutants, in %). `extra`: (title, key) of more
    columns. stryker_score.py prints its table with it too."""
    for name, *_, explanation in found:
        counts[name]["explained" if explanation else "left"] += 1
    counts["overall"] = sum(counts.values(), Counter())
    lines = [f"{heading:<{width}} {'mutants':>7} {'killed':>6} {'explained':>9} "
             f"{'left':>4} {'score':>6} {'+explained':>10}"
             + "".join(f" {title:>13}" for title, _ in extra)]
    for name, c in counts.items():
        n = max(c["mutants"], 1)
        lines.append(
            f"{name:<{width}} {c['mutants']:>7} {c['killed']:>6} "
            f"{c['explained']:>9} {c['left']:>4} "
            f"{100 * c['killed'] / n:>5.1f}% "
            f"{100 * (c['killed'] + c['explained']) / n:>9.1f}%"
            + "".join(f" {c[key]:>13}" for _, key in extra))
    overall = counts["overall"]
    return lines, 100 * overall["killed"] / max(overall["mutants"], 1)


def report(results, found, modules, explained, min_score):
    """Print the table and the survivors; the exit status."""
    lines, score = table(results, found, modules)
    print("\n".join(lines))
    left = [entry for entry in found if entry[4] is None]
    for module, key, name, diff, _ in left:
        print(f"\nSURVIVED {place(modules[module], key)} {key[0]} ({name}, "
              f"{results[name]})\n{diff}")
    shown = sorted(entry for entry in found if entry[4])
    if shown:
        print(f"\nExplained ({len(shown)}, in "
              f"{os.path.relpath(EXPLAINED, ROOT)}):")
    for module, key, _, _, (kind, reason) in shown:
        print(f"  {place(modules[module], key)} {key[0].rsplit('.', 1)[1]} "
              f"[{kind}] {reason}")
    stale = set(explained) - {entry[1] for entry in found}
    for key in sorted(stale):
        print(f"\nnote: explained but no longer surviving: {key[0]} "
              f"{' / '.join(key[1])}")
    print(f"\nmutation score {score:.1f}% (killed / mutants), "
          f"{len(left)} survivor(s) unexplained")
    return 1 if left or score < min_score else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-children", type=int, default=2,
                        help="test processes at once (default: 2)")
    parser.add_argument("--keep", action="store_true",
                        help="leave mutants/ for `mutmut browse`")
    parser.add_argument("--min-score", type=float, default=85.,
                        help="the least score that passes (default: 85)")
    args = parser.parse_args()
    modules, explained = mutated_modules(), read_explained()
    shutil.rmtree(os.path.join(ROOT, "mutants"), ignore_errors=True)
    try:
        print(f"mutmut over {len(modules)} modules, {args.max_children} "
              "processes (8 to 15 minutes on 2 cores) ...", flush=True)
        mutmut("run", "--max-children", str(args.max_children))
        results = {m.group(1): m.group(2) for m in map(RESULT.match, mutmut(
            "results", "--all", "true").splitlines())
            if m and function_of(m.group(1))[0] in modules}
        found = survivors(results, modules, explained)
    finally:
        if not args.keep:
            shutil.rmtree(os.path.join(ROOT, "mutants"), ignore_errors=True)
    return report(results, found, modules, explained, args.min_score)


if __name__ == "__main__":
    sys.exit(main())
