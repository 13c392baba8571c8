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
import os
import sys

from vae_digits import arguments, cli, config, data, models, trained
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
    parser.add_argument("--std-noise", type=arguments.finite_float,
                        default=None,
                        help="added to the encoder's log-std before "
                             "sampling z for the chosen digits (default: "
                             "{}; not used by the conditional model)".format(
                                 config.STD_NOISE))
    parser.add_argument("--n-samples", type=arguments.positive_int,
                        default=None,
                        help="images drawn per chosen digit (default: {}), "
                             "or rows of conditioned_samples.png for the "
                             "conditional model (default: {})".format(
                                 config.N_SAMPLES, config.CONDITIONED_ROWS))
    parser.add_argument("--digits", type=arguments.non_negative_int, nargs="*",
                        default=None,
                        help="test-set indices of the images to vary, "
                             "reconstruct or interpolate (in pairs); the "
                             "i-th is written to i.png (none: only random "
                             "samples) (default: {} for MNIST, the first "
                             "image of each class otherwise)".format(
                                 ", ".join(map(str, config.DIGITS))))
    parser.add_argument("--labels", type=arguments.digit_label, nargs="+",
                        default=None,
                        help="conditional model: the digits to draw, one "
                             "column each (default: 0 to 9)")
    parser.add_argument("--grid-size", type=arguments.at_least_two,
                        default=config.GRID_SIZE,
                        help="manifold: points along each side of the grid")
    parser.add_argument("--grid-range", type=arguments.positive_float,
                        default=config.GRID_RANGE,
                        help="manifold: the grid spans -R..R on both axes")
    parser.add_argument("--steps", type=arguments.at_least_two,
                        default=config.INTERPOLATION_STEPS,
                        help="interpolate: images per row")
    cli.add_common_arguments(parser, argv)
    return parser.parse_args(argv)


def check_mode(args, model_config):
    """UserError for a mode the model cannot draw."""
    model = models.get(model_config["model"])
    if args.mode in ("reconstruct", "interpolate") and args.digits == []:
        raise UserError("--mode {} needs test digits to {}; pass --digits "
                        "with their indices.".format(args.mode, args.mode))
    if args.mode == "interpolate" and args.digits is not None and \
            len(args.digits) % 2:
        raise UserError("--mode interpolate takes --digits in pairs (from, "
                        "to), got {} indices; pass an even number.".format(
                            len(args.digits)))
    if args.mode == "manifold" and model.USES_LABELS:
        raise UserError("--mode manifold draws the decoder over a 2-D plane "
                        "of z, but the {} model's decoder also reads the "
                        "digit, so it has no such plane; use --mode latent."
                        .format(model.NAME))
    if args.mode == "manifold" and model_config["z_dim"] != 2:
        raise UserError("--mode manifold needs a 2-D latent space, but {} "
                        "holds the {} model with z_dim {}; train one with "
                        "--z-dim 2, or use --mode latent.".format(
                            args.checkpoint or args.checkpoint_dir,
                            model.NAME, model_config["z_dim"]))
    if args.labels and not model.USES_LABELS:
        raise UserError("--labels draws chosen digits with the conditional "
                        "model, but {} holds the {} model; pass a "
                        "conditional model's --checkpoint-dir.".format(
                            args.checkpoint or args.checkpoint_dir,
                            model.NAME))
    if model.USES_LABELS and args.std_noise is not None:
        print("note: --std-noise is not used by the {} model.".format(
            model.NAME), file=sys.stderr)


def _main(argv):
    args = parse_args(argv)
    cli.check_directory("--result-dir", args.result_dir)
    path, model_config, dataset, data_path = cli.model_and_data(args)
    check_mode(args, model_config)
    # TensorFlow is imported once the flags have been checked.
    with trained.load(path, seed=args.seed) as vae:
        paths, skipped = draw(args, vae, dataset, data_path)
    print("Wrote {} from {} to {}".format(
        ", ".join(os.path.basename(path) for path in paths),
        vae.checkpoint, args.result_dir))
    if skipped:
        raise UserError(skipped)
    return 0


def draw(args, vae, dataset, data_path):
    """Write the pictures of --mode; returns (paths, why the pictures of
    test images were not drawn, or None)."""
    from vae_digits import latent_space, sampling
    std_noise = config.STD_NOISE if args.std_noise is None \
        else args.std_noise
    if args.mode == "samples" and (vae.has_labels or args.digits == []):
        cli.check_writable_directory("--result-dir", args.result_dir)
        return sampling.write_defaults(vae, [], args.n_samples, std_noise,
                                       args.result_dir, args.seed,
                                       args.labels), None
    try:
        x_test, t_test = data.load_test_set(dataset, data_path,
                                            vae.binarized, args.seed)
    except UserError as e:
        if args.mode != "samples":
            raise
        cli.check_writable_directory("--result-dir", args.result_dir)
        return sampling.write_random_samples(
            vae, args.result_dir, seed=args.seed), (
            "wrote only {} ({} needs no data); the variations of test "
            "images need them: {}".format(config.RANDOM_SAMPLES_NAME,
                                          config.RANDOM_SAMPLES_NAME,
                                          str(e)))
    cli.check_writable_directory("--result-dir", args.result_dir)
    if args.mode == "latent":
        return latent_space.write_latent(vae, x_test, t_test,
                                         args.result_dir), None
    if args.mode == "manifold":
        return latent_space.write_manifold(
            vae, x_test, t_test, args.grid_size, args.grid_range,
            args.result_dir), None
    digits = data.select_digits(x_test, data.default_digits(
        dataset, t_test) if args.digits is None else args.digits)
    if args.mode == "reconstruct":
        return sampling.write_reconstructions(vae, digits,
                                              args.result_dir), None
    if args.mode == "interpolate":
        return latent_space.write_interpolation(vae, digits, args.steps,
                                                args.result_dir), None
    return sampling.write_defaults(vae, digits, args.n_samples or
                                   config.N_SAMPLES, std_noise,
                                   args.result_dir, args.seed), None


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
