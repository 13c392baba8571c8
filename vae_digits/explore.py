"""Play with a trained model in the browser: `python -m vae_digits.explore`.

Loads the newest checkpoint of --checkpoint-dir (or --checkpoint, or the
default directory of --model) with `vae_digits.load`, encodes the test
images of its dataset for the map, and serves the page (vae_digits/page/static/)
and its JSON API (page/server.py) on --host and --port until Ctrl-C. With
--follow it loads each newer checkpoint a training run saves there.
"""
from vae_digits import cli
from vae_digits.core import arguments
from vae_digits.core.errors import UserError
from vae_digits.page.server import listen, serve


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.explore",
        description="Serve a page to play with a trained model: the latent "
                    "map under the mouse, the blog's noise slider, drawing "
                    "digits, 'human or machine?'.")
    cli.add_checkpoint_argument(parser)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on; anything but a loopback "
                             "address makes the page reachable from other "
                             "machines")
    parser.add_argument("--port", type=arguments.port,
                        default=8000,
                        help="port to listen on (0: any free port)")
    parser.add_argument("--follow", action="store_true",
                        help="load each newer checkpoint that a training "
                             "run saves in the checkpoint directory")
    cli.add_common_arguments(parser, argv, result_dir=False)
    return parser.parse_args(argv)


def _main(argv):
    args = parse_args(argv)
    path, _, dataset, data_path = cli.model_and_data(args)
    if args.follow and args.checkpoint is not None:
        raise UserError("--follow watches a checkpoint directory for newer "
                        "checkpoints; pass --checkpoint-dir, not "
                        "--checkpoint.")
    # the port first: a busy one is said before the model loads
    server = listen(args.host, args.port)
    # TensorFlow is imported once the flags have been checked.
    from vae_digits.page.api import Explorer
    try:
        explorer = Explorer(path, dataset, data_path, seed=args.seed or 0,
                            follow=args.follow)
    except BaseException:
        server.server_close()
        raise
    serve(server, explorer, args.host)
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
