#!/usr/bin/env python3
"""The mutation score of the package's modules.

usage: python benchmarks/mutation_score.py [--set fast|tensorflow]
           [--sample N] [--seed 0] [--max-children 2] [--keep]
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

`--set tensorflow` mutates instead the modules that need TensorFlow
(models/, zhusuan/, trained/, training/, checkpoints/saving.py) with the
settings of benchmarks/mutation_tensorflow.cfg, in a copy of the tracked
tree under a temporary directory. Each of their mutants runs the graph
tests that call its function, a minute or more, so `--sample N` runs a
seeded random sample of N of them (all by default) and scores the
sample; the table then counts the sample only.
"""
import argparse
import ast
import configparser
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPLAINED = os.path.join(ROOT, "benchmarks", "mutation_equivalent.txt")
SETTINGS = {"fast": os.path.join(ROOT, "setup.cfg"),
            "tensorflow": os.path.join(ROOT, "benchmarks",
                                       "mutation_tensorflow.cfg")}

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
RESULT = re.compile(r"^\s+(\S+__mutmut_\d+): (.+)$")


def mutmut(*args, capture=True, cwd=ROOT):
    """Run `mutmut ARGS` in `cwd`, the checkout or its copy; its output
    if `capture`."""
    command = shutil.which("mutmut", path=os.path.dirname(sys.executable)) \
        or shutil.which("mutmut")
    if command is None:
        sys.exit("mutmut is not installed: pip install -e \".[mutation]\"")
    result = subprocess.run([command, *args], cwd=cwd, text=True,
                            capture_output=capture)
    if result.returncode != 0:
        sys.exit(f"mutmut {' '.join(args)} failed ({result.returncode}):\n"
                 + (result.stdout or "")[-3000:] + (result.stderr or ""))
    return result.stdout


def mutated_modules(settings=SETTINGS["fast"]):
    """{dotted module: file} of the [mutmut] only_mutate of `settings`."""
    parser = configparser.ConfigParser()
    parser.read(settings)
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


def survivors(results, modules, explained, cwd=ROOT):
    """[(module, key, name, diff, explanation or None)] of the mutants
    not killed."""
    found = []
    for name, status in results.items():
        if status in KILLED:
            continue
        module, function = function_of(name)
        diff = mutmut("show", name, cwd=cwd).split("\n", 1)[1]
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


def copy_of_tree(settings, scratch):
    """A copy of the checkout's tracked files in `scratch`, with
    `settings` as its setup.cfg; returns its path. mutmut works in its
    mutants/, so the tests' ../shared is the copy's shared/."""
    tree = os.path.join(scratch, "tree")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout
    for path in filter(None, files.split("\0")):
        os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, path), os.path.join(tree, path))
    shutil.copy(settings, os.path.join(tree, "setup.cfg"))
    # the tests find the real digits beside the checkout, in ../shared
    shared = os.path.realpath(os.path.join(ROOT, "..", "shared"))
    if os.path.isdir(shared):
        os.symlink(shared, os.path.join(tree, "shared"))
    return tree


def first_mutant(modules):
    """The name of a mutant that exists: mutmut's first of the first
    undecorated function in `modules` (mutmut leaves decorated ones
    alone) with a string constant outside its docstring."""
    for module, path in modules.items():
        with open(os.path.join(ROOT, path)) as f:
            tree = ast.parse(f.read())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and \
                    not node.decorator_list and any(
                    isinstance(leaf, ast.Constant) and
                    isinstance(leaf.value, str) for statement in node.body[1:]
                    for leaf in ast.walk(statement)):
                return f"{module}.x_{node.name}__mutmut_1"
    sys.exit("no function with a string constant to start mutmut on")


def run_sample(args, cwd, modules):
    """Have mutmut make every mutant and learn which tests call what
    (running one mutant), then run a seeded sample of --sample mutants;
    returns their names."""
    mutmut("run", "--max-children", str(args.max_children),
           first_mutant(modules), cwd=cwd)
    names = []
    for path in modules.values():
        with open(os.path.join(cwd, "mutants", path + ".meta")) as f:
            names += json.load(f)["exit_code_by_key"]
    sample = sorted(random.Random(args.seed).sample(
        sorted(names), min(args.sample, len(names))))
    print(f"{len(sample)} of {len(names)} mutants, seed {args.seed} ...",
          flush=True)
    # mutmut 3.8 keeps which tests call what only for the files it mutates
    # in the same run: newer sources have it make them again.
    for path in modules.values():
        os.utime(os.path.join(cwd, path))
    mutmut("run", "--max-children", str(args.max_children), *sample,
           cwd=cwd)
    return sample


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=sorted(SETTINGS), default="fast",
                        help="fast: the modules tested without TensorFlow "
                             "(setup.cfg); tensorflow: those that need it "
                             "(benchmarks/mutation_tensorflow.cfg)")
    parser.add_argument("--sample", type=int, default=None,
                        help="run a random sample of this many mutants "
                             "(default: all)")
    parser.add_argument("--seed", type=int, default=0,
                        help="the sample's seed (default: 0)")
    parser.add_argument("--max-children", type=int, default=2,
                        help="test processes at once (default: 2)")
    parser.add_argument("--keep", action="store_true",
                        help="leave mutants/ for `mutmut browse`")
    parser.add_argument("--min-score", type=float, default=85.,
                        help="the least score that passes (default: 85)")
    args = parser.parse_args()
    modules, explained = mutated_modules(SETTINGS[args.set]), read_explained()
    shutil.rmtree(os.path.join(ROOT, "mutants"), ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        cwd = ROOT if args.set == "fast" else \
            copy_of_tree(SETTINGS[args.set], scratch)
        try:
            print(f"mutmut over {len(modules)} modules ({args.set}), "
                  f"{args.max_children} processes ...", flush=True)
            sample = None
            if args.sample is None:
                mutmut("run", "--max-children", str(args.max_children),
                       cwd=cwd)
            else:
                sample = run_sample(args, cwd, modules)
            results = {m.group(1): m.group(2) for m in map(RESULT.match, mutmut(
                "results", "--all", "true", cwd=cwd).splitlines())
                if m and function_of(m.group(1))[0] in modules
                and (sample is None or m.group(1) in sample)}
            found = survivors(results, modules, explained, cwd)
        finally:
            if args.keep and cwd != ROOT:
                shutil.copytree(os.path.join(cwd, "mutants"),
                                os.path.join(ROOT, "mutants"))
            elif not args.keep:
                shutil.rmtree(os.path.join(ROOT, "mutants"),
                              ignore_errors=True)
    return report(results, found, modules, explained, args.min_score)


if __name__ == "__main__":
    sys.exit(main())
