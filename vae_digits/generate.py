"""Draw images from a trained model: `python -m vae_digits.generate`.

Restores the newest checkpoint (or --checkpoint) of the model recorded in
model_config.json and writes to --result-dir, as the blog's script does
after training (--mode samples):
- random_samples.png: 100 images decoded from z ~ N(0, I);
- i.png for the i-th of --digits (test-set indices; the default picks
  one 0, 1, ..., 9, or the first image of each class): --n-samples images
  decoded from z ~ q(z | x), with --std-noise added to the encoder's
  log-std (more noise, more variety);
- for the conditional model, conditioned_samples.png instead of i.png:
  rows of one z from the prior decoded with each of --labels.
Other modes: reconstruct (reconstructions.png), latent (latent.png,
latent.csv), manifold (manifold.png, latent_and_manifold.png) and
interpolate (interpolation.png); see latent_space.py.
"""
import numpy as np

from vae_digits import cli, config, datasets, models
from vae_digits.checkpoints import resolve_trained_model
from vae_digits.data import (binarize, default_digits, load_mnist_test,
                             select_digits)
from vae_digits.errors import UserError

MODES = ("samples", "reconstruct", "latent", "manifold", "interpolate")


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.generate",
        description="Write pictures of a trained model: PNG grids of random "
                    "samples and variations of chosen test images "
                    "(samples), their reconstructions (reconstruct), the "
                    "latent space (latent, manifold) or interpolations "
                    "between images (interpolate).")
    parser.add_argument("--mode", choices=MODES, default=MODES[0],
                        help="samples: random_samples.png and i.png per "
                             "digit (conditioned_samples.png for the "
                             "conditional model); reconstruct: "
                             "reconstructions.png; latent: latent.png and "
                             "latent.csv; manifold: manifold.png and "
                             "latent_and_manifold.png (2-D latent spaces); "
                             "interpolate: interpolation.png")
    cli.add_checkpoint_argument(parser)
    parser.add_argument("--std-noise", type=cli.finite_float, default=None,
                        help="added to the encoder's log-std before "
                             "sampling z for the chosen digits (default: "
                             "{}; not used by the conditional model)".format(
                                 config.STD_NOISE))
    parser.add_argument("--n-samples", type=cli.positive_int, default=None,
                        help="images drawn per chosen digit (default: {}), "
                             "or rows of conditioned_samples.png for the "
                             "conditional model (default: {})".format(
                                 config.N_SAMPLES, config.CONDITIONED_ROWS))
    parser.add_argument("--digits", type=cli.non_negative_int, nargs="*",
                        default=None,
                        help="test-set indices of the images to vary, "
                             "reconstruct or interpolate (in pairs); the "
                             "i-th is written to i.png (none: only random "
                             "samples) (default: {} for MNIST, the first "
                             "image of each class otherwise)".format(
                                 ", ".join(map(str, config.DIGITS))))
    parser.add_argument("--labels", type=cli.digit_label, nargs="+",
                        default=None,
                        help="conditional model: the digits to draw, one "
                             "column each (default: 0 to 9)")
    parser.add_argument("--grid-size", type=cli.at_least_two,
                        default=config.GRID_SIZE,
                        help="manifold: points along each side of the grid")
    parser.add_argument("--grid-range", type=cli.positive_float,
                        default=config.GRID_RANGE,
                        help="manifold: the grid spans -R..R on both axes")
    parser.add_argument("--steps", type=cli.at_least_two,
                        default=config.INTERPOLATION_STEPS,
                        help="interpolate: images per row")
    cli.add_common_arguments(parser, argv)
    return parser.parse_args(argv)


def check_mode(args, model, model_config, checkpoint):
    """UserError for a mode the model cannot draw."""
    if args.mode in ("reconstruct", "interpolate") and args.digits == []:
        raise UserError("--mode {} needs test digits to {}; pass --digits "
                        "with their indices.".format(args.mode, args.mode))
    if args.mode == "interpolate" and len(args.digits) % 2:
        raise UserError("--mode interpolate takes --digits in pairs (from, "
                        "to), got {} indices; pass an even number.".format(
                            len(args.digits)))
    if args.mode == "manifold" and (model.USES_LABELS or
                                    model_config["z_dim"] != 2):
        raise UserError("--mode manifold needs a 2-D latent space, but {} "
                        "holds the {} model with z_dim {}{}; train one with "
                        "--z-dim 2, or use --mode latent.".format(
                            checkpoint, model.NAME, model_config["z_dim"],
                            " and a digit class" if model.USES_LABELS
                            else ""))
    if args.labels and not model.USES_LABELS:
        raise UserError("--labels draws chosen digits with the conditional "
                        "model, but {} holds the {} model; pass a "
                        "conditional model's --checkpoint-dir.".format(
                            checkpoint, model.NAME))


def _main(argv):
    args = parse_args(argv)
    cli.check_directory("--result-dir", args.result_dir)
    checkpoint, model_config = resolve_trained_model(
        args.checkpoint_dir, args.checkpoint, args.model)
    model = models.get(model_config["model"])
    dataset = args.dataset or model_config["dataset"] or datasets.DEFAULT
    data_path = args.data_path or datasets.default_data_path(dataset)
    check_mode(args, model, model_config, checkpoint)
    if model.USES_LABELS and args.std_noise is not None:
        print("note: --std-noise is not used by the {} model.".format(
            model.NAME))
    if args.std_noise is None:
        args.std_noise = config.STD_NOISE
    if args.n_samples is None:
        args.n_samples = config.CONDITIONED_ROWS if model.USES_LABELS \
            else config.N_SAMPLES
    rng = np.random.RandomState(args.seed)
    x_test = t_test = None
    digits = np.zeros((0, config.X_DIM), np.float32)
    if args.mode in ("latent", "manifold"):  # the whole test set
        x_test, t_test = load_mnist_test(data_path, one_hot=False,
                                         dataset=dataset)
        if model.BINARIZED:
            x_test = binarize(x_test, rng)
    elif args.digits != [] and not model.USES_LABELS or \
            args.mode != "samples":
        x_test, t_test = load_mnist_test(data_path, one_hot=False,
                                         dataset=dataset)
        digits = select_digits(x_test, default_digits(dataset, t_test)
                               if args.digits is None else args.digits)
        if model.BINARIZED:
            digits = binarize(digits, rng)
    cli.check_writable_directory("--result-dir", args.result_dir)

    # TensorFlow is imported only once the inputs have been checked.
    paths = draw(args, model_config, dataset, x_test, t_test, digits, rng,
                 checkpoint)
    print("Wrote {} file{} from {} to {}".format(
        len(paths), "" if len(paths) == 1 else "s", checkpoint,
        args.result_dir))
    return 0


def draw(args, model_config, dataset, x_test, t_test, digits, rng,
         checkpoint):
    """Restore the model and write the pictures of --mode."""
    from vae_digits import latent_space, sampling
    from vae_digits.graph import restored_session

    class_names = datasets.get(dataset).class_names
    with restored_session(checkpoint, model_config, args.seed) as (sess,
                                                                   graph):
        if args.mode == "reconstruct":
            return sampling.write_reconstructions(sess, graph, digits,
                                                  args.result_dir)
        if args.mode == "latent":
            return latent_space.write_latent(
                sess, graph, x_test, t_test, class_names, model_config,
                dataset, args.result_dir)
        if args.mode == "manifold":
            return latent_space.write_manifold(
                sess, graph, x_test, t_test, class_names, args.grid_size,
                args.grid_range, model_config, dataset, args.result_dir)
        if args.mode == "interpolate":
            return latent_space.write_interpolation(
                sess, graph, digits, args.steps, args.result_dir)
        if graph.labels_input is not None:
            return sampling.write_random_samples(
                sess, graph, args.result_dir) + sampling.write_conditioned(
                sess, graph, args.labels or range(config.N_CLASSES),
                args.n_samples, rng, args.result_dir)
        return sampling.write_all(sess, graph, digits, args.n_samples,
                                  args.std_noise, args.result_dir)


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
