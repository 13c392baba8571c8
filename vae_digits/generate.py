"""Draw digits from a trained VAE: `python -m vae_digits.generate`.

Restores the newest checkpoint (or --checkpoint) and writes to
--result-dir, as the blog's script does after training
(--mode samples):
- random_samples.png: 100 digits decoded from z ~ N(0, I);
- i.png for the i-th of --digits (test-set indices; the default picks
  one 0, 1, ..., 9): --n-samples digits decoded from z ~ q(z | x), with
  --std-noise added to the encoder's log-std (more noise, more variety).
With --mode reconstruct it writes reconstructions.png instead: each
chosen digit above the x_mean decoded from its encoder's mean.
"""
import numpy as np

from vae_digits import cli, config
from vae_digits.checkpoints import resolve_trained_model
from vae_digits.data import binarize, load_mnist_test, select_digits
from vae_digits.errors import UserError

MODES = ("samples", "reconstruct")


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.generate",
        description="Write PNG grids of digits drawn from a trained VAE: "
                    "random samples and variations of chosen test digits, "
                    "or reconstructions of those digits.")
    parser.add_argument("--mode", choices=MODES, default=MODES[0],
                        help="samples: random_samples.png and i.png per "
                             "digit; reconstruct: reconstructions.png")
    cli.add_checkpoint_argument(parser)
    parser.add_argument("--std-noise", type=cli.finite_float,
                        default=config.STD_NOISE,
                        help="added to the encoder's log-std before "
                             "sampling z for the chosen digits")
    parser.add_argument("--n-samples", type=cli.positive_int,
                        default=config.N_SAMPLES,
                        help="images drawn per chosen digit")
    parser.add_argument("--digits", type=cli.non_negative_int, nargs="*",
                        default=list(config.DIGITS),
                        help="test-set indices of the digits to vary or "
                             "reconstruct; the i-th is written to i.png "
                             "(none: only random samples)")
    cli.add_common_arguments(parser)
    return parser.parse_args(argv)


def _main(argv):
    args = parse_args(argv)
    cli.check_directory("--result-dir", args.result_dir)
    if args.mode == "reconstruct" and not args.digits:
        raise UserError("--mode reconstruct needs test digits to "
                        "reconstruct; pass --digits with their indices.")
    checkpoint, model_config = resolve_trained_model(args.checkpoint_dir,
                                                     args.checkpoint)
    rng = np.random.RandomState(args.seed)
    digits = np.zeros((0, config.X_DIM), np.float32)
    if args.digits:
        x_test, _ = load_mnist_test(args.data_path)
        digits = select_digits(x_test, args.digits)
        digits = binarize(digits, rng)
    cli.check_writable_directory("--result-dir", args.result_dir)

    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits import sampling
    from vae_digits.graph import restored_session

    with restored_session(checkpoint, model_config, args.seed) as (sess,
                                                                   graph):
        if args.mode == "reconstruct":
            paths = sampling.write_reconstructions(sess, graph, digits,
                                                   args.result_dir)
        else:
            paths = sampling.write_all(sess, graph, digits, args.n_samples,
                                       args.std_noise, args.result_dir)
    print("Wrote {} image{} from {} to {}".format(
        len(paths), "" if len(paths) == 1 else "s", checkpoint,
        args.result_dir))
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
