"""What `python -m vae_digits.generate` draws, by --mode: which modes a
model can draw, and the pictures of each, written into the result
directory by samples.py and latent_space.py."""
import sys

from vae_digits import data, models
from vae_digits.core import config
from vae_digits.core.errors import UserError
from vae_digits.core.files import check_writable_directory
from vae_digits.pictures import latent_space, samples
from vae_digits.pictures.grids import grid_shape

__all__ = ["MODES", "check_mode", "draw"]

MODES = ("samples", "reconstruct", "latent", "manifold", "interpolate")


def check_mode(args, model_config):
    """UserError for a mode (args.mode, with its flags) that the model of
    `model_config` cannot draw."""
    model = models.get(model_config["model"])
    where = args.checkpoint or args.checkpoint_dir
    if args.mode in ("reconstruct", "interpolate") and args.digits == []:
        raise UserError(f"--mode {args.mode} needs test digits to "
                        f"{args.mode}; pass --digits with their indices.")
    if args.mode == "interpolate" and args.digits is not None and \
            len(args.digits) % 2:
        raise UserError("--mode interpolate takes --digits in pairs (from, "
                        f"to), got {len(args.digits)} indices; pass an even "
                        "number.")
    if args.mode == "manifold" and model.uses_labels:
        raise UserError("--mode manifold draws the decoder over a 2-D plane "
                        f"of z, but the {model.name} model's decoder also "
                        "reads the digit, so it has no such plane; use "
                        "--mode latent.")
    if args.mode == "manifold" and model_config["z_dim"] != 2:
        raise UserError("--mode manifold needs a 2-D latent space, but "
                        f"{where} holds the {model.name} model with z_dim "
                        f"{model_config['z_dim']}; train one with --z-dim 2, "
                        "or use --mode latent.")
    if args.labels and not model.uses_labels:
        raise UserError("--labels draws chosen digits with the conditional "
                        f"model, but {where} holds the {model.name} model; "
                        "pass a conditional model's --checkpoint-dir.")
    if model.uses_labels and args.std_noise is not None:
        print(f"note: --std-noise is not used by the {model.name} model.",
              file=sys.stderr)
    _check_scale(args, model)


def _grid_images(args, model):
    """(rows, columns) of images of the largest grid args.mode writes."""
    digits = config.N_CLASSES if args.digits is None else len(args.digits)
    if args.mode == "manifold":
        return args.grid_size, args.grid_size
    if args.mode == "interpolate":
        return digits // 2, args.steps
    if args.mode == "reconstruct":
        rows, columns = grid_shape(digits)
        return 2 * rows, columns
    if model.uses_labels:
        return (args.n_samples or config.CONDITIONED_ROWS,
                len(args.labels or range(config.N_CLASSES)))
    n = args.n_samples or config.N_SAMPLES
    return max(grid_shape(n)[0], config.GRID_SHAPE[0]), config.GRID_SHAPE[1]


def _check_scale(args, model):
    """UserError for a --scale that makes a picture larger than
    MAX_SCALED_SIDE; a note where --scale or --captions is not used."""
    unused = [flag for flag, given, used in (
        ("--scale", args.scale > 1, args.mode != "latent"),
        ("--captions", args.captions, args.mode == "samples"))
        if given and not used]
    if unused:
        print(f"note: {' and '.join(unused)} not used by --mode "
              f"{args.mode}.", file=sys.stderr)
    if args.scale == 1 or args.mode == "latent":
        return
    side = max(_grid_images(args, model)) * config.IMAGE_SHAPE[0]
    if side * args.scale > config.MAX_SCALED_SIDE:
        largest = max(1, config.MAX_SCALED_SIDE // side)
        raise UserError(f"--scale {args.scale} would make a picture "
                        f"{side * args.scale:,} pixels on a side, more than "
                        f"the {config.MAX_SCALED_SIDE:,} a picture may "
                        f"have; pass --scale {largest}"
                        f"{' or less' if largest > 1 else ''}.")


def draw(args, vae, dataset, data_path):
    """Write the pictures of args.mode; returns (paths, why the pictures of
    test images were not drawn, or None)."""
    std_noise = config.STD_NOISE if args.std_noise is None \
        else args.std_noise
    if args.mode == "samples" and (vae.has_labels or args.digits == []):
        check_writable_directory("--result-dir", args.result_dir)
        return samples.write_defaults(vae, [], args.n_samples, std_noise,
                                      args.result_dir, args.seed,
                                      args.labels, args.scale,
                                      [] if args.captions else None), None
    try:
        x_test, t_test = data.load_test_set(dataset, data_path,
                                            vae.binarized, args.seed)
    except UserError as e:
        if args.mode != "samples":
            raise
        check_writable_directory("--result-dir", args.result_dir)
        name = config.RANDOM_SAMPLES_NAME
        return samples.write_random_samples(
            vae, args.result_dir, seed=args.seed, scale=args.scale), (
            f"wrote only {name} ({name} needs no data); the variations of "
            f"test images need them: {e}")
    check_writable_directory("--result-dir", args.result_dir)
    return _draw_test_images(args, vae, dataset, x_test, t_test,
                             std_noise), None


def _draw_test_images(args, vae, dataset, x_test, t_test, std_noise):
    """The pictures of the modes that read test images."""
    if args.mode == "latent":
        return latent_space.write_latent(vae, x_test, t_test,
                                         args.result_dir)
    if args.mode == "manifold":
        return latent_space.write_manifold(
            vae, x_test, t_test, args.grid_size, args.grid_range,
            args.result_dir, args.scale)
    indices = data.default_digits(dataset, t_test) if args.digits is None \
        else args.digits
    digits = data.select_digits(x_test, indices)
    if args.mode == "reconstruct":
        return samples.write_reconstructions(vae, digits, args.result_dir,
                                             args.scale)
    if args.mode == "interpolate":
        return latent_space.write_interpolation(vae, digits, args.steps,
                                                args.result_dir, args.scale)
    captions = [_caption(vae, t_test[index], index) for index in indices] \
        if args.captions else None
    return samples.write_defaults(vae, digits, args.n_samples or
                                  config.N_SAMPLES, std_noise,
                                  args.result_dir, args.seed,
                                  scale=args.scale, captions=captions)


def _caption(vae, label, index):
    """The caption of the variations of test image `index` of `label`."""
    name = vae.class_names[int(label)]
    return f"{'digit ' if vae.dataset == 'mnist' else ''}{name} " \
        f"(test image {index})"
