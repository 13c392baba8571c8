"""Play with a trained model in the browser: `python -m vae_digits.explore`.

Loads the newest checkpoint of --checkpoint-dir (or --checkpoint, or the
default directory of --model) with `vae_digits.load`, encodes the test
images of its dataset for the map, and serves the page (vae_digits/page/)
and its JSON API (server.py) on --host and --port until Ctrl-C. With
--follow it loads each newer checkpoint a training run saves there.
"""
import errno
import ipaddress
import sys

from vae_digits import arguments, cli
from vae_digits.errors import UserError


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


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _main(argv):
    args = parse_args(argv)
    path, model_config, dataset, data_path = cli.model_and_data(args)
    if args.follow and args.checkpoint is not None:
        raise UserError("--follow watches a checkpoint directory for newer "
                        "checkpoints; pass --checkpoint-dir, not "
                        "--checkpoint.")
    from vae_digits.server import ExploreServer
    try:  # the port first: a busy one is said before the model loads
        server = ExploreServer((args.host, args.port), None)
    except (OSError, OverflowError) as e:
        if getattr(e, "errno", None) == errno.EADDRINUSE:
            raise UserError("port {} on {} is in use; stop what uses it or "
                            "pass another --port.".format(args.port,
                                                          args.host))
        raise UserError("cannot listen on {} port {} ({}); pass another "
                        "--host or --port.".format(
                            args.host, args.port,
                            getattr(e, "strerror", None) or e))
    # TensorFlow is imported once the flags have been checked.
    from vae_digits.explorer import Explorer
    try:
        server.explorer = explorer = Explorer(
            path, dataset, data_path, seed=args.seed or 0,
            follow=args.follow)
    except BaseException:
        server.server_close()
        raise
    host, port = server.server_address[:2]
    vae = explorer.vae
    try:  # from here on Ctrl-C stops the server cleanly
        if not is_loopback(args.host):
            print("note: listening on {}: the page is reachable from other "
                  "machines.".format(args.host), file=sys.stderr)
        print("Serving the {} model (epoch {}, {}) at http://{}:{}/ ; "
              "Ctrl-C stops".format(
                  vae.model, vae.epoch, vae.checkpoint,
                  "127.0.0.1" if host in ("0.0.0.0", "") else host, port),
              flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.server_close()
        explorer.close()
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
