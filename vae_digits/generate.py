"""Draw digits from a trained VAE: `python -m vae_digits.generate`.

Restores the newest checkpoint (or --checkpoint) and writes to
--result-dir, as the blog's script does after training:
- random_samples.png: 100 digits decoded from z ~ N(0, I);
- i.png for the i-th of --digits (test-set indices; the default picks
  one 0, 1, ..., 9): --n-samples digits decoded from z ~ q(z | x), with
  --std-noise added to the encoder's log-std (more noise, more variety).
"""
import os

import numpy as np

from vae_digits import cli, config
from vae_digits.checkpoints import read_model_config, resolve_checkpoint
from vae_digits.data import load_mnist_test, select_digits
from vae_digits.errors import UserError


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.generate",
        description="Write PNG grids of digits drawn from a trained VAE: "
                    "random samples and variations of chosen test digits.")
    parser.add_argument("--checkpoint", default=None,
                        help="checkpoint to restore, e.g. checkpoints/"
                             "vae_digits/vae.epoch.1000.ckpt (default: the "
                             "newest in --checkpoint-dir)")
    parser.add_argument("--std-noise", type=cli.finite_float,
                        default=config.STD_NOISE,
                        help="added to the encoder's log-std before "
                             "sampling z for the chosen digits")
    parser.add_argument("--n-samples", type=cli.positive_int,
                        default=config.N_SAMPLES,
                        help="images drawn per chosen digit")
    parser.add_argument("--digits", type=cli.non_negative_int, nargs="*",
                        default=list(config.DIGITS),
                        help="test-set indices of the digits to vary; the "
                             "i-th is written to i.png (none: only random "
                             "samples)")
    cli.add_common_arguments(parser)
    return parser.parse_args(argv)


def _main(argv):
    args = parse_args(argv)
    if os.path.exists(args.result_dir) and not os.path.isdir(args.result_dir):
        raise UserError("--result-dir {} is a file, not a directory; pass a "
                        "directory.".format(args.result_dir))
    checkpoint = resolve_checkpoint(args.checkpoint_dir, args.checkpoint)
    model_config = read_model_config(os.path.dirname(checkpoint))
    if model_config["x_dim"] != config.X_DIM:
        raise UserError("{} holds a model of {} pixels, not MNIST's {}."
                        .format(checkpoint, model_config["x_dim"],
                                config.X_DIM))
    rng = np.random.RandomState(args.seed)
    digits = np.zeros((0, config.X_DIM), np.float32)
    if args.digits:
        x_test, _ = load_mnist_test(args.data_path)
        digits = select_digits(x_test, args.digits)
        digits = rng.binomial(1, digits).astype(np.float32)

    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits import sampling
    from vae_digits.compat import tf
    from vae_digits.graph import build_graph, restore_checkpoint

    graph = build_graph(model_config["x_dim"], model_config["z_dim"],
                        seed=args.seed)
    saver = tf.train.Saver(var_list=tf.trainable_variables())
    tf.get_default_graph().finalize()
    with tf.Session() as sess:
        restore_checkpoint(sess, saver, checkpoint)
        paths = sampling.write_all(sess, graph, digits, args.n_samples,
                                   args.std_noise, args.result_dir)
    print("Wrote {} images from {} to {}".format(
        len(paths), checkpoint, args.result_dir))
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
