"""Measure a trained VAE on the test digits: `python -m vae_digits.evaluate`.

Restores the newest checkpoint (or --checkpoint) and reports, in nats, on
the test set of --data-path binarised as training does: the test lower
bound (the ELBO with one particle, averaged over the digits) and the test
log-likelihood estimated by importance sampling with --n-particles draws
of q(z | x), as the ZhuSuan tutorial does. --json prints one JSON object
instead of lines.
"""
import json

import numpy as np

from vae_digits import cli, config
from vae_digits.checkpoints import epoch_of, resolve_trained_model
from vae_digits.data import binarize, load_mnist_test


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.evaluate",
        description="Report the test lower bound and the importance-sampled "
                    "test log-likelihood of a trained VAE, in nats.")
    cli.add_checkpoint_argument(parser)
    parser.add_argument("--n-particles", type=cli.positive_int,
                        default=config.TEST_N_PARTICLES,
                        help="importance-sampling particles per test digit "
                             "(drawn in chunks; memory stays bounded)")
    parser.add_argument("--batch-size", type=cli.positive_int,
                        default=config.TEST_BATCH_SIZE,
                        help="test digits per batch")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object (checkpoint, epoch, "
                             "n_test, n_particles, lower_bound, "
                             "log_likelihood, seconds) instead of lines")
    cli.add_common_arguments(parser, result_dir=False)
    return parser.parse_args(argv)


def _main(argv):
    args = parse_args(argv)
    checkpoint, model_config = resolve_trained_model(args.checkpoint_dir,
                                                     args.checkpoint)
    x_test, _ = load_mnist_test(args.data_path)
    x_test = binarize(x_test, np.random.RandomState(args.seed))
    if not args.json:
        print("Evaluating {} on {} test digits with {} particles...".format(
            checkpoint, len(x_test), args.n_particles), flush=True)

    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits.evaluation import evaluate, report_lines
    from vae_digits.graph import restored_session

    with restored_session(checkpoint, model_config, args.seed) as (sess,
                                                                   graph):
        lower_bound, log_likelihood, seconds = evaluate(
            sess, graph, x_test, args.batch_size, args.n_particles)
    if args.json:
        print(json.dumps({
            "checkpoint": checkpoint,
            "epoch": epoch_of(checkpoint, strict=False),
            "n_test": len(x_test), "n_particles": args.n_particles,
            "lower_bound": lower_bound, "log_likelihood": log_likelihood,
            "seconds": round(seconds, 3)}))
    else:
        print("\n".join(report_lines(lower_bound, log_likelihood, seconds)))
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
