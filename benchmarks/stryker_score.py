#!/usr/bin/env python3
"""The mutation score of the explore page's JavaScript (StrykerJS).

usage: python benchmarks/stryker_score.py [--run] [--min-score 85]

StrykerJS (package.json, stryker.config.json; `npm ci` installs it)
plants its mutants in vae_digits/page/static/*.js and runs, for each,
the Node tests that reach it (tests/js/*.test.js, one test a file). With
--run this runs `npx stryker run` first (20 to 40 minutes on 2 cores);
without, it reads the report the last run left in
reports/mutation/mutation.json. It prints, per script and overall, the
mutants, those killed, those explained in benchmarks/stryker_equivalent.txt
(blocks as in mutation_equivalent.txt, named by the script's path), those
left and the score (killed / mutants), and the mutants in DOM code that
`// Stryker disable all` leaves to the browser tests; then each survivor
left unexplained, as file:line and its diff, and each explained one on a
line. Exits 1 if a survivor is unexplained or the score is below
--min-score.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter

from mutation_score import change, read_explained, score_lines

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPLAINED = os.path.join(ROOT, "benchmarks", "stryker_equivalent.txt")
REPORT = os.path.join(ROOT, "reports", "mutation", "mutation.json")
KILLED = {"Killed", "Timeout"}
LEFT = {"Survived", "NoCoverage"}


def run_stryker():
    npx = shutil.which("npx")
    if npx is None or not os.path.isdir(os.path.join(ROOT, "node_modules", "@stryker-mutator")):
        sys.exit("StrykerJS is not installed: npm ci (Node.js 18 or later)")
    subprocess.run([npx, "stryker", "run"], cwd=ROOT, check=False)


def mutated_lines(source, location, replacement):
    """(the first line, a diff of the lines the mutant changes: `- `
    lines as they are, `+ ` lines with the replacement)."""
    lines = source.splitlines()
    start, end = location["start"], location["end"]
    first, last = start["line"] - 1, end["line"] - 1
    before = lines[first:last + 1]
    mutated = (lines[first][:start["column"] - 1] + replacement +
               lines[last][end["column"] - 1:]).splitlines() or [""]
    diff = [f"- {line}" for line in before] + [f"+ {line}" for line in mutated]
    return start["line"], "\n".join(diff)


def survivors(report, explained):
    """[(file, line, key, diff, mutant, explanation or None)] of the
    mutants not killed."""
    found = []
    for path, entry in sorted(report["files"].items()):
        name = os.path.relpath(os.path.join(ROOT, path), ROOT)
        for mutant in entry["mutants"]:
            if mutant["status"] in LEFT:
                line, diff = mutated_lines(entry["source"], mutant["location"],
                                           mutant["replacement"])
                key = (name,) + change(diff)
                found.append((name, line, key, diff, mutant, explained.get(key)))
    return found


def table(report, found):
    """The lines of the score table and the overall score (killed /
    mutants, in %; the mutants in code Stryker ignores apart)."""
    counts = {}
    for path, entry in sorted(report["files"].items()):
        c = counts.setdefault(os.path.relpath(os.path.join(ROOT, path), ROOT), Counter())
        for mutant in entry["mutants"]:
            status = mutant["status"]
            c["ignored"] += status == "Ignored"
            c["mutants"] += status in KILLED | LEFT
            c["killed"] += status in KILLED
    return score_lines(counts, found, "script", 34, [("DOM (ignored)", "ignored")])


def report_on(report, explained, min_score):
    """Print the table and the survivors; the exit status."""
    found = survivors(report, explained)
    lines, score = table(report, found)
    print("\n".join(lines))
    left = [entry for entry in found if entry[5] is None]
    for name, line, _, diff, mutant, _ in left:
        print(f"\nSURVIVED {name}:{line} {mutant['mutatorName']} ({mutant['status']})\n{diff}")
    shown = [entry for entry in found if entry[5]]
    if shown:
        print(f"\nExplained ({len(shown)}, in {os.path.relpath(EXPLAINED, ROOT)}):")
    for name, line, _, _, mutant, (kind, reason) in shown:
        print(f"  {name}:{line} {mutant['mutatorName']} [{kind}] {reason}")
    for key in sorted(set(explained) - {entry[2] for entry in found}):
        print(f"\nnote: explained but no longer surviving: {key[0]} {' / '.join(key[1])}")
    print(f"\nmutation score {score:.1f}% (killed / mutants), "
          f"{len(left)} survivor(s) unexplained")
    return 1 if left or score < min_score else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", action="store_true", help="run `npx stryker run` first")
    parser.add_argument("--min-score", type=float, default=85.,
                        help="the least score that passes (default: 85)")
    args = parser.parse_args()
    if args.run:
        run_stryker()
    if not os.path.exists(REPORT):
        sys.exit(f"no report at {os.path.relpath(REPORT, ROOT)}: npx stryker run (or --run)")
    with open(REPORT) as f:
        report = json.load(f)
    sys.exit(report_on(report, read_explained(EXPLAINED), args.min_score))


if __name__ == "__main__":
    main()
