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

import numpy as np

from vae_digits import cli, config, datasets, models
from vae_digits.checkpoints import epoch_of, resolve_trained_model
from vae_digits.data import binarize, load_mnist_test


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.evaluate",
        description="Report the test figures of a trained model: for the "
                    "blog's the lower bound and the importance-sampled "
                    "log-likelihood, in nats.")
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
                             "n_test, n_particles, the model's figures such "
                             "as lower_bound and log_likelihood, seconds) "
                             "instead of lines")
    cli.add_common_arguments(parser, argv, result_dir=False)
    return parser.parse_args(argv)


def _main(argv):
    args = parse_args(argv)
    checkpoint, model_config = resolve_trained_model(
        args.checkpoint_dir, args.checkpoint, args.model)
    model = models.get(model_config["model"])
    dataset = args.dataset or model_config["dataset"] or datasets.DEFAULT
    x_test, t_test = load_mnist_test(
        args.data_path or datasets.default_data_path(dataset), one_hot=False,
        dataset=dataset)
    if model.BINARIZED:
        x_test = binarize(x_test, np.random.RandomState(args.seed))
    if not args.json:
        print("Evaluating {} on {} test {} with {} particles...".format(
            checkpoint, len(x_test),
            "digits" if dataset == datasets.DEFAULT else "images",
            args.n_particles), flush=True)

    # TensorFlow is imported only once the inputs have been checked.
    from vae_digits.evaluation import evaluate, report_lines
    from vae_digits.graph import restored_session

    with restored_session(checkpoint, model_config, args.seed) as (sess,
                                                                   graph):
        results, seconds = evaluate(sess, graph, x_test, args.batch_size,
                                    args.n_particles, labels=t_test)
    if args.json:
        report = {"checkpoint": checkpoint,
                  "epoch": epoch_of(checkpoint, strict=False),
                  "n_test": len(x_test), "n_particles": args.n_particles}
        report.update(results)
        report["seconds"] = round(seconds, 3)
        print(json.dumps(report))
    else:
        print("\n".join(report_lines(results, seconds)))
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
