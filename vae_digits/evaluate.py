"""Measure a trained model on the test images: `python -m vae_digits.evaluate`.

Restores the newest checkpoint (or --checkpoint) of the model recorded in
model_config.json and reports on the test set of --data-path, prepared
as training does (binarised for the blog's model). `--method is` (the
default): the model's test figures averaged over the images (for the
blog's model the lower bound, the ELBO with one particle, in nats) and,
for the models that have one, the test log-likelihood estimated by
importance sampling with --n-particles draws of q(z | x), as the ZhuSuan
tutorial does. `--method ais`: the log-likelihood by annealed importance
sampling, a tighter stochastic lower bound. `--method bdmc`: forward and
reverse AIS on images simulated from the model, which sandwich their
log-likelihood, as ZhuSuan's vae_eval.py. --json prints one JSON object
instead of lines.
"""
import json
import sys
import time

import numpy as np

from vae_digits import cli, models
from vae_digits.core import arguments, config
from vae_digits.core.errors import UserError
from vae_digits.data import catalog, load_test_set
from vae_digits.trained import load
from vae_digits.trained.annealing import PROPOSALS
from vae_digits.trained.scores import report_lines

METHODS = ("is", "ais", "bdmc")
IS_FLAGS = ("--n-particles", "--batch-size")
ANNEALING_FLAGS = ("--chains", "--temperatures", "--leapfrogs", "--proposal")


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.evaluate",
        description="Report the test figures of a trained model: for the "
                    "blog's the lower bound and the log-likelihood, in nats, "
                    "by importance sampling (is), annealed importance "
                    "sampling (ais) or, on simulated images, the "
                    "bidirectional Monte Carlo sandwich (bdmc).")
    cli.add_checkpoint_argument(parser)
    add = parser.add_argument
    add("--method", choices=METHODS, default="is",
        help="is: the test figures and importance sampling; ais: annealed "
             "importance sampling; bdmc: forward and reverse AIS on images "
             "simulated from the model")
    add("--n-images", type=arguments.image_count, default=None,
        help="the first this many test images (bdmc: simulated images, at "
             f"most {config.MAX_SIMULATED:,}) (default: all the test images "
             f"for is, {config.AIS_IMAGES} for ais and bdmc, which take about "
             "a second an image)")
    add("--n-particles", type=arguments.particles,
        default=config.TEST_N_PARTICLES,
        help="is: importance-sampling particles per test digit (drawn in "
             "chunks; memory stays bounded)")
    add("--batch-size", type=arguments.batch_size,
        default=config.TEST_BATCH_SIZE, help="is: test digits per batch")
    add("--chains", type=arguments.chains, default=config.AIS_CHAINS,
        help="ais, bdmc: annealing chains per image")
    add("--temperatures", type=arguments.temperatures,
        default=config.AIS_TEMPERATURES,
        help="ais, bdmc: temperatures from the proposal to the posterior, "
             "each one HMC trajectory")
    add("--leapfrogs", type=arguments.leapfrogs, default=config.AIS_LEAPFROGS,
        help="ais, bdmc: leapfrog steps of each HMC trajectory")
    add("--proposal", choices=PROPOSALS, default="posterior",
        help="ais, bdmc: where the chains start, q(z | x) or the prior")
    add("--json", action="store_true",
        help="print one JSON object (checkpoint, epoch, the figures and "
             "settings, per-image estimates for ais and bdmc, seconds) "
             "instead of lines")
    cli.add_common_arguments(parser, argv, result_dir=False)
    return parser.parse_args(argv)


def _main(argv):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    path, model_config, dataset, data_path = cli.model_and_data(args)
    model = models.get(model_config["model"])
    _check_method(args, model, argv)
    x_test, t_test = _test_images(args, model, dataset, data_path)
    images = "digits" if dataset == catalog.DEFAULT else "images"
    # TensorFlow is imported once the inputs have been checked.
    with load(path, seed=args.seed) as vae:
        report = METHOD_RUNS[args.method](vae, args, x_test, t_test, images)
    if args.json:
        print(json.dumps(report))
    return 0


def _check_method(args, model, argv):
    """One line for a method the model cannot take or too many images; a
    note on stderr for a flag the method does not use."""
    if args.method != "is" and (model.binary_codes or model.uses_labels):
        why = ("its codes are bits and AIS moves them by Hamiltonian Monte "
               "Carlo, which needs continuous ones" if model.binary_codes
               else "its decoder reads the digit, so it has no log p(x) of "
               "an image alone")
        raise UserError(f"--method {args.method} does not apply to the "
                        f"{model.name} model: {why}; use --method is.")
    if args.method == "bdmc" and (args.n_images or 0) > config.MAX_SIMULATED:
        raise UserError(f"--n-images {args.n_images} is more than the "
                        f"{config.MAX_SIMULATED:,} images bdmc simulates at "
                        "most; pass a smaller one.")
    unused = [flag for flag in (ANNEALING_FLAGS if args.method == "is"
                                else IS_FLAGS) if flag in argv]
    for flag in unused:
        print(f"note: {flag} is not used by --method {args.method}.",
              file=sys.stderr)
    if args.method == "is" and model.uses_labels and "--n-particles" in argv:
        print(f"note: --n-particles is not used by the {model.name} model, "
              "which has no likelihood estimate.", file=sys.stderr)


def _test_images(args, model, dataset, data_path):
    """The first --n-images test images and labels, as the model reads
    them; None for bdmc, which simulates its own."""
    if args.method == "bdmc":
        return None, None
    x_test, t_test = load_test_set(dataset, data_path, model.binarized,
                                   args.seed)
    if args.n_images is not None and args.n_images > len(x_test):
        raise UserError(f"--n-images {args.n_images} is more than the "
                        f"{len(x_test)} test images of {data_path}; pass a "
                        "smaller one.")
    return x_test[:args.n_images], t_test[:args.n_images]


def _importance_sampling(vae, args, x_test, t_test, images):
    if not args.json:
        particles = "" if vae.has_labels else \
            f" with {args.n_particles} particles"
        print(f"Evaluating {vae.checkpoint} on {len(x_test)} test "
              f"{images}{particles}...", flush=True)
    report = vae.evaluate(x_test, t_test, args.n_particles, args.batch_size)
    if not args.json:
        model = models.get(vae.model)
        print("\n".join(report_lines(
            {name: value for name, value in report.items()
             if name in model.test_metrics}, report["seconds"])))
    return dict(report, method="is")


def _settings(args):
    return dict(chains=args.chains, temperatures=args.temperatures,
                leapfrogs=args.leapfrogs, proposal=args.proposal)


def _describe(args):
    start = "q(z | x)" if args.proposal == "posterior" else "the prior"
    return (f"{args.chains} chains from {start}, {args.temperatures} "
            f"temperatures, {args.leapfrogs} leapfrog steps")


def _annealed(vae, args, x_test, t_test, images):
    n = len(x_test) if args.n_images else min(len(x_test), config.AIS_IMAGES)
    if not args.json:
        print(f"Evaluating {vae.checkpoint} on {n} test {images} by AIS "
              f"({_describe(args)})...", flush=True)
    start = time.time()
    estimates = vae.ais(x_test[:n], seed=args.seed, **_settings(args))
    seconds = time.time() - start
    if not args.json:
        print("\n".join(report_lines(
            {"log_likelihood_ais": float(np.mean(estimates))}, seconds)))
    return dict(checkpoint=vae.checkpoint, epoch=vae.epoch, method="ais",
                n_test=n, **_settings(args),
                log_likelihood=float(np.mean(estimates)),
                log_likelihoods=estimates.tolist(), seconds=round(seconds, 3))


def _bidirectional(vae, args, x_test, t_test, images):
    n = args.n_images or config.AIS_IMAGES
    if not args.json:
        print(f"Simulating {n} {images} from {vae.checkpoint} and running "
              f"BDMC ({_describe(args)})...", flush=True)
    start = time.time()
    result = vae.bdmc(n, seed=args.seed, **_settings(args))
    seconds = time.time() - start
    lower, upper = (float(np.mean(result[end]))
                    for end in ("forward", "reverse"))
    if not args.json:
        print(f">> Test log likelihood (BDMC) ({seconds:.1f}s)\n"
              f">> lower bound = {lower}, upper bound = {upper}, BDMC gap = "
              f"{upper - lower}")
    return dict(checkpoint=vae.checkpoint, epoch=vae.epoch, method="bdmc",
                n_simulated=n, **_settings(args), lower_bound=lower,
                upper_bound=upper, gap=upper - lower,
                lower_bounds=result["forward"].tolist(),
                upper_bounds=result["reverse"].tolist(),
                seconds=round(seconds, 3))


METHOD_RUNS = {"is": _importance_sampling, "ais": _annealed,
               "bdmc": _bidirectional}


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
