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
- html: one self-contained page (not built yet).
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
                    "package: a TensorFlow SavedModel (savedmodel), or its "
                    "test images' codes for TensorBoard's Projector tab "
                    "(projector).")
    cli.add_checkpoint_argument(parser)
    parser.add_argument("--format", choices=list(FORMATS),
                        default=sharing.DEFAULT,
                        help="savedmodel: a SavedModel directory with the "
                             "signatures decode, encode (and classify for "
                             "the conditional model), for tf.saved_model."
                             "load and TensorFlow Serving; projector: a "
                             "directory for `tensorboard --logdir`; html: "
                             "one self-contained page (not built yet)")
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
                        help="projector: the first N test images, 1 to "
                             f"{config.MAX_PROJECTOR_IMAGES:,} (default: "
                             f"{config.PROJECTOR_IMAGES:,}, or all of a "
                             "smaller test set)")
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
    test_set = None
    if export_format.uses_test_images:
        test_set = sharing.read_test_set(
            dataset, data_path, args.images or config.PROJECTOR_IMAGES)
    elif args.images is not None:
        print(f"note: --images is not used by --format {args.format}.",
              file=sys.stderr)
    # TensorFlow is imported once the flags have been checked.
    print(sharing.export(path, args.format, args.output, export_dir,
                         test_set, seed=args.seed))
    return 0


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
