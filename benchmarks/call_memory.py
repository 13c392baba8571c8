#!/usr/bin/env python3
"""Peak memory of a trained model's calls at large n.

usage: python benchmarks/call_memory.py CHECKPOINT_DIR [--n 100000 1000000]
           [--checkout DIR]

For each n, a fresh process loads the model at CHECKPOINT_DIR, then calls
`decode` of n codes, `sample(n)`; the peak resident memory of the
process (ru_maxrss) after the load and after each call is printed, with
the size of the result itself, so that what a call holds beyond its
output shows. With --checkout DIR the package of that checkout (an
earlier commit) runs instead.
"""
import argparse
import json
import os
import subprocess
import sys

PROBE = r"""
import json, resource, sys
import numpy as np
import vae_digits
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.
vae = vae_digits.load(sys.argv[1])
n, call = int(sys.argv[2]), sys.argv[3]
base = peak()
try:
    if call == "decode":
        codes = np.zeros((n, vae.code_dim), np.float32)
        base = peak()
        out = vae.decode(codes)
    else:
        out = vae.sample(n, seed=0)
    print(json.dumps(dict(loaded=base, peak=peak(), output=out.nbytes / 2**20)))
except ValueError as e:
    print(json.dumps(dict(loaded=base, refused=str(e))))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint_dir")
    parser.add_argument("--n", type=int, nargs="+", default=[100000, 1000000])
    parser.add_argument("--checkout", default=None)
    args = parser.parse_args()
    checkout = os.path.abspath(args.checkout) if args.checkout else None
    env = dict(os.environ, PYTHONPATH=checkout) if checkout else None
    print(f"{'call':<8} {'n':>9} {'after load':>11} {'peak':>9} "
          f"{'output':>9}  (MB)")
    for n in args.n:
        for call in ("decode", "sample"):
            result = subprocess.run(
                [sys.executable, "-c", PROBE,
                 os.path.abspath(args.checkpoint_dir), str(n), call],
                capture_output=True, text=True, cwd=checkout, env=env)
            if result.returncode != 0:
                print(f"{call:<8} {n:>9} died (exit {result.returncode}): "
                      f"{result.stderr.strip().splitlines()[-1:]}")
                continue
            report = json.loads(result.stdout.strip().splitlines()[-1])
            if "refused" in report:
                print(f"{call:<8} {n:>9} refused: {report['refused']}")
                continue
            print(f"{call:<8} {n:>9} {report['loaded']:>11.0f} "
                  f"{report['peak']:>9.0f} {report['output']:>9.0f}")


if __name__ == "__main__":
    main()
