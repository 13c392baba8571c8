"""Measure a trained model on the test images: `python -m vae_digits.evaluate`.

Restores the newest checkpoint (or --checkpoint) of the model recorded in
model_config.json and reports on the test set of --data-path, prepared
as training does (binarised for the blog's model): the model's test
figures averaged over the images (for the blog's model the lower bound,
the ELBO with one particle, in nats) and, for the models that have one,
the test log-likelihood estimated by importance sampling with
--n-particles draws of q(z | x), as the ZhuSuan tutorial does. --json
prints one JSON object instead of lines.
"""
import json
import sys

from vae_digits import cli, models
from vae_digits.core import arguments, config
from vae_digits.data import catalog, load_test_set
from vae_digits.trained import load
from vae_digits.trained.scores import report_lines


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.evaluate",
        description="Report the test figures of a trained model: for the "
                    "blog's the lower bound and the importance-sampled "
                    "log-likelihood, in nats.")
    cli.add_checkpoint_argument(parser)
    parser.add_argument("--n-particles", type=arguments.particles,
                        default=config.TEST_N_PARTICLES,
                        help="importance-sampling particles per test digit "
                             "(drawn in chunks; memory stays bounded)")
    parser.add_argument("--batch-size", type=arguments.batch_size,
                        default=config.TEST_BATCH_SIZE,
                        help="test digits per batch")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (checkpoint, epoch, "
                             "n_test, n_particles, the model's figures such "
                             "as lower_bound and log_likelihood, seconds) "
                             "instead of lines")
    cli.add_common_arguments(parser, argv, result_dir=False)
    return parser.parse_args(argv)


def _main(argv):
    args = parse_args(argv)
    path, model_config, dataset, data_path = cli.model_and_data(args)
    model = models.get(model_config["model"])
    if model.uses_labels and "--n-particles" in (argv or sys.argv[1:]):
        print(f"note: --n-particles is not used by the {model.name} model, which has "
              "no likelihood estimate.", file=sys.stderr)
    x_test, t_test = load_test_set(dataset, data_path, model.binarized,
                                   args.seed)
    # TensorFlow is imported once the inputs have been checked.
    with load(path, seed=args.seed) as vae:
        if not args.json:
            images = "digits" if dataset == catalog.DEFAULT else "images"
            particles = "" if model.uses_labels else \
                f" with {args.n_particles} particles"
            print(f"Evaluating {vae.checkpoint} on {len(x_test)} test "
                  f"{images}{particles}...", flush=True)
        report = vae.evaluate(x_test, t_test, args.n_particles,
                              args.batch_size)
    if args.json:
        print(json.dumps(report))
    else:
        results = {name: value for name, value in report.items()
                   if name in model.test_metrics}
        print("\n".join(report_lines(results, report["seconds"])))
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
