"""Take a trained model elsewhere: `python -m vae_digits.export`.

Loads the newest checkpoint of --checkpoint-dir (or --checkpoint, or the
default directory of --model) with `vae_digits.load` and writes it in
one of the formats of sharing/ to --output (by default
results/NAME/export/vae.epoch.N.FORMAT, beside the model's pictures):
- savedmodel: a TensorFlow SavedModel directory (decode, encode, and
  classify for the conditional model) that loads without vae_digits and
  that TensorFlow Serving serves;
- projector: the codes, labels and images of the first --images test
  images, for TensorBoard's Projector tab;
- html: the explore page and the model in one self-contained file that
  opens from file:// with no server or network (--float16: weights at
  half the size, where that changes no pixel by 1/255).
It prints one line: what it wrote, where, and how to open it. An
existing --output is never replaced.
"""
import os
import sys

from vae_digits import cli, sharing
from vae_digits.checkpoints.names import resolve_checkpoint
from vae_digits.core import arguments, config
from vae_digits.sharing import FORMATS


def parse_args(argv=None):
    parser = cli.ArgumentParser(
        prog="python -m vae_digits.export",
        description="Write a trained model in a form that leaves this "
                    "package: the explore page with the model in one file "
                    "(html), a TensorFlow SavedModel (savedmodel), or its "
                    "test images' codes for TensorBoard's Projector tab "
                    "(projector).")
    cli.add_checkpoint_argument(parser)
    parser.add_argument("--format", choices=list(FORMATS),
                        default=sharing.DEFAULT,
                        help="html (the default): one self-contained page "
                             "that runs the model in the browser, offline; "
                             "savedmodel: a SavedModel directory with the "
                             "signatures decode, encode (and classify for "
                             "the conditional model), for tf.saved_model."
                             "load and TensorFlow Serving; projector: a "
                             "directory for `tensorboard --logdir`")
    parser.add_argument("--output", default=None,
                        help="the file or directory to write, which must "
                             "not exist yet (default: the checkpoint's name "
                             "with the format's in place of .ckpt, in "
                             f"{config.EXPORT_DIR_NAME}/ under the result "
                             "directory of the checkpoint directory, e.g. "
                             f"{config.RESULT_ROOT}/vae_digits/"
                             f"{config.EXPORT_DIR_NAME}/vae.epoch.1000."
                             "savedmodel)")
    parser.add_argument("--images", type=arguments.projector_images,
                        default=None,
                        help="html and projector: the first N test "
                             "images, 1 to "
                             f"{config.MAX_PROJECTOR_IMAGES:,} (default: "
                             f"{config.HTML_IMAGES:,} for html, "
                             f"{config.PROJECTOR_IMAGES:,} for projector, "
                             "or all of a smaller test set)")
    parser.add_argument("--float16", action="store_true",
                        help="html: store the weights as float16, half the "
                             "size; refused where that changes a pixel of "
                             "a decoding by 1/255 or more")
    cli.add_common_arguments(parser, argv, result_dir=False)
    args = parser.parse_args(argv)
    if FORMATS[args.format].write is None:
        parser.error(sharing.not_built(args.format))
    return args


def _main(argv):
    args = parse_args(argv)
    path, _, dataset, data_path = cli.model_and_data(args)
    export_format = FORMATS[args.format]
    export_dir = os.path.join(cli.default_result_dir(path),
                              config.EXPORT_DIR_NAME)
    sharing.check_output(args.output or sharing.default_output(
        export_dir, resolve_checkpoint(args.checkpoint_dir, args.checkpoint),
        args.format))
    test_set, options = None, {}
    if export_format.test_images:
        test_set = sharing.read_test_set(
            dataset, data_path, args.images or export_format.test_images)
    elif args.images is not None:
        _unused("--images", args.format)
    if args.float16 and "float16" in export_format.options:
        options["float16"] = True
    elif args.float16:
        _unused("--float16", args.format)
    # TensorFlow is imported once the flags have been checked.
    print(sharing.export(path, args.format, args.output, export_dir,
                         test_set, seed=args.seed, **options))
    return 0


def _unused(flag, name):
    print(f"note: {flag} is not used by --format {name}.", file=sys.stderr)


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
