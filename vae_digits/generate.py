"""Draw images from a trained model: `python -m vae_digits.generate`.

Restores the newest checkpoint (or --checkpoint) of the model recorded in
model_config.json and writes to --result-dir, as the blog's script does
after training (--mode samples):
- random_samples.png: 100 images decoded from z ~ N(0, I);
- i.png for the i-th of --digits (test-set indices; the default picks
  the blog's 0, 1, ..., 9 where the test labels say so, otherwise the
  first image of each class): --n-samples images
  decoded from z ~ q(z | x), with --std-noise added to the encoder's
  log-std (more noise, more variety);
- for the conditional model, conditioned_samples.png instead of i.png:
  rows of one z from the prior decoded with each of --labels.
Other modes: reconstruct (reconstructions.png), latent (latent.png,
latent.csv), manifold (manifold.png, latent_and_manifold.png) and
interpolate (interpolation.png); see pictures/.
"""
import os

from vae_digits import cli
from vae_digits.core import arguments, config
from vae_digits.core.errors import UserError
from vae_digits.core.files import check_directory
from vae_digits.pictures.modes import MODES, check_mode, draw
from vae_digits.trained import load


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
    parser.add_argument("--std-noise", type=arguments.std_noise,
                        default=None,
                        help="added to the encoder's log-std before "
                             "sampling z for the chosen digits (default: "
                             f"{config.STD_NOISE}; not used by the conditional model)")
    parser.add_argument("--n-samples", type=arguments.samples_per_image,
                        default=None,
                        help=f"images drawn per chosen digit (default: {config.N_SAMPLES}), "
                             "or rows of conditioned_samples.png for the "
                             f"conditional model (default: {config.CONDITIONED_ROWS})")
    parser.add_argument("--digits", type=arguments.non_negative_int, nargs="*",
                        default=None,
                        help="test-set indices of the images to vary, "
                             "reconstruct or interpolate (in pairs); the "
                             "i-th is written to i.png (none: only random "
                             "samples) (default: "
                             f"{', '.join(map(str, config.DIGITS))}, "
                             "MNIST's 0-9, where the test labels say so; "
                             "the first image of each class otherwise)")
    parser.add_argument("--labels", type=arguments.digit_label, nargs="+",
                        default=None,
                        help="conditional model: the digits to draw, one "
                             "column each (default: 0 to 9)")
    parser.add_argument("--scale", type=arguments.scale, default=1,
                        help="draw each pixel of the PNG grids N x N, "
                             f"1-{config.MAX_SCALE} (figures such as "
                             "latent.png keep their size)")
    parser.add_argument("--captions", action="store_true",
                        help="samples: write above each i.png its digit "
                             "and test image, and above "
                             "conditioned_samples.png each column's digit "
                             "(off: the posts' own pictures)")
    parser.add_argument("--grid-size", type=arguments.grid_size,
                        default=config.GRID_SIZE,
                        help="manifold: points along each side of the grid")
    parser.add_argument("--grid-range", type=arguments.grid_range,
                        default=config.GRID_RANGE,
                        help="manifold: the grid spans -R..R on both axes")
    parser.add_argument("--steps", type=arguments.steps,
                        default=config.INTERPOLATION_STEPS,
                        help="interpolate: images per row")
    cli.add_common_arguments(parser, argv)
    return parser.parse_args(argv)


def _main(argv):
    args = parse_args(argv)
    path, model_config, dataset, data_path = cli.model_and_data(args)
    args.result_dir = args.result_dir or cli.default_result_dir(path)
    check_directory("--result-dir", args.result_dir)
    check_mode(args, model_config)
    # TensorFlow is imported once the flags have been checked.
    with load(path, seed=args.seed) as vae:
        paths, skipped = draw(args, vae, dataset, data_path)
    names = ", ".join(os.path.basename(path) for path in paths)
    print(f"Wrote {names} from {vae.checkpoint} to {args.result_dir}")
    if skipped:
        raise UserError(skipped)
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
