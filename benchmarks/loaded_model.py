"""How fast a loaded model answers: `vae_digits.load` once, then one
`decode` of one code, and a 13 x 13 manifold (169 codes), many times.

For each model (mlp, conv, conditional) it trains a small one on DATA (an
MNIST-format directory; one epoch on --train-images images, into a
temporary directory) unless its checkpoint directory is given, then
prints the seconds of TensorFlow's import, of `load` itself, and the
median and 95th percentile of each call in milliseconds.

    python benchmarks/loaded_model.py ../shared/data/mnist-small
    python benchmarks/loaded_model.py DATA \
        --checkpoint-dir conv=checkpoints/conv_vae
"""
import argparse
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from vae_digits import models  # noqa: E402
from vae_digits.core import config  # noqa: E402
from vae_digits.pictures.latent_space import grid_codes  # noqa: E402


def timed(call, repeats):
    """Milliseconds of `repeats` calls (after one warm-up call)."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return np.median(times), np.percentile(times, 95)


def model_arguments(description):
    """The parser of the benchmarks of trained models: DATA, the models
    given, how many images to train the others on."""
    parser = argparse.ArgumentParser(description=description,
                                     allow_abbrev=False)
    parser.add_argument("data", help="MNIST-format data directory")
    parser.add_argument("--checkpoint-dir", action="append", default=[],
                        metavar="MODEL=DIR",
                        help="use this trained model instead of training one")
    parser.add_argument("--train-images", type=int, default=1000)
    return parser


def each_trained_model(args):
    """(name, checkpoint directory) of each model: the one given, or one
    trained one epoch on --train-images images of DATA."""
    import vae_digits
    given = dict(pair.split("=", 1) for pair in args.checkpoint_dir)
    work = tempfile.mkdtemp(prefix="vae_digits_bench_")
    for name in sorted(models.MODELS):
        yield name, given.get(name) or vae_digits.train(
            model=name, epochs=1, data_path=args.data,
            train_images=args.train_images, seed=0,
            checkpoint_dir=os.path.join(work, name, "checkpoints"),
            result_dir=os.path.join(work, name, "results"))


def main():
    parser = model_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=500)
    args = parser.parse_args()

    start = time.perf_counter()
    from vae_digits.core.compat import tf
    tf.constant(0)
    print(f"TensorFlow import: {time.perf_counter() - start:.2f} s")
    import vae_digits
    print("{:<12} {:>8} {:>16} {:>20}".format(
        "model", "load s", "decode 1 ms p50/95", "manifold 169 ms p50/95"))
    for name, directory in each_trained_model(args):
        start = time.perf_counter()
        vae = vae_digits.load(directory)
        load_seconds = time.perf_counter() - start
        rng = np.random.RandomState(0)
        one = rng.randn(1, vae.code_dim)
        grid = rng.randn(config.GRID_SIZE ** 2, vae.code_dim)
        if vae.code_dim == 2:
            grid = grid_codes(config.GRID_SIZE, config.GRID_RANGE)
        if vae.has_labels:  # the class part of a code: probabilities
            one[:, vae.z_dim:] = np.eye(10)[[7]]
            grid[:, vae.z_dim:] = np.eye(10)[rng.randint(10, size=len(grid))]
        decode = timed(lambda vae=vae, one=one: vae.decode(one),
                       args.repeats)
        manifold = timed(lambda vae=vae, grid=grid: vae.decode(grid),
                         args.repeats // 5)
        print(f"{name:<12} {load_seconds:>8.2f} {decode[0]:>9.2f} / "
              f"{decode[1]:<6.2f} {manifold[0]:>11.2f} / {manifold[1]:<6.2f}",
              flush=True)
        vae.close()


if __name__ == "__main__":
    main()
