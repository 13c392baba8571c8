"""What `python -m vae_digits.generate` draws, by --mode: which modes a
model can draw, and the pictures of each, written into the result
directory by samples.py and latent_space.py."""
import sys

from vae_digits import data, models
from vae_digits.core import config
from vae_digits.core.errors import UserError
from vae_digits.core.files import check_writable_directory
from vae_digits.pictures import latent_space, samples

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


def draw(args, vae, dataset, data_path):
    """Write the pictures of args.mode; returns (paths, why the pictures of
    test images were not drawn, or None)."""
    std_noise = config.STD_NOISE if args.std_noise is None \
        else args.std_noise
    if args.mode == "samples" and (vae.has_labels or args.digits == []):
        check_writable_directory("--result-dir", args.result_dir)
        return samples.write_defaults(vae, [], args.n_samples, std_noise,
                                      args.result_dir, args.seed,
                                      args.labels), None
    try:
        x_test, t_test = data.load_test_set(dataset, data_path,
                                            vae.binarized, args.seed)
    except UserError as e:
        if args.mode != "samples":
            raise
        check_writable_directory("--result-dir", args.result_dir)
        name = config.RANDOM_SAMPLES_NAME
        return samples.write_random_samples(
            vae, args.result_dir, seed=args.seed), (
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
            args.result_dir)
    digits = data.select_digits(x_test, data.default_digits(
        dataset, t_test) if args.digits is None else args.digits)
    if args.mode == "reconstruct":
        return samples.write_reconstructions(vae, digits, args.result_dir)
    if args.mode == "interpolate":
        return latent_space.write_interpolation(vae, digits, args.steps,
                                                args.result_dir)
    return samples.write_defaults(vae, digits, args.n_samples or
                                  config.N_SAMPLES, std_noise,
                                  args.result_dir, args.seed)
