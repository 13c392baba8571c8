"""Run a lab: `python -m vae_digits.lab NAME` (`python -m vae_digits.lab`
lists them).

Each lab (labs/) looks at a trained model (--checkpoint-dir, --model as
elsewhere) or trains the small ones it needs, writes its figure(s) as
PNG and its table as CSV into --result-dir (by default
results/<the model's directory>/labs/NAME), and prints the table and
how long it took. Its draws are seeded (--seed, 0 unless given), so a
lab repeats.
"""
import os
import sys
import time

from vae_digits import cli
from vae_digits.core import arguments, config
from vae_digits.core.errors import UserError
from vae_digits.labs import LABS


def listing():
    """The labs, one line each, as `python -m vae_digits.lab` prints
    them."""
    lines = ["usage: python -m vae_digits.lab NAME [FLAGS]", "", "labs:"]
    lines += [f"  {name:<13} {lab.SUMMARY}" for name, lab in LABS.items()]
    lines += ["", "`python -m vae_digits.lab NAME --help` lists a lab's "
              "flags; docs/labs/ shows each one's figure from a real run."]
    return "\n".join(lines)


def parse_args(name, argv, raise_errors=False):
    """The flags of the lab `name`: those every lab takes, then its own;
    with `raise_errors` (run_lab), a bad value raises ValueError."""
    lab = LABS[name]
    parser = cli.ArgumentParser(prog=f"python -m vae_digits.lab {name}",
                                description=lab.__doc__.split("\n\n")[0],
                                raise_errors=raise_errors)
    cli.add_common_arguments(parser, argv)
    parser.add_argument("--n-images", type=arguments.image_count,
                        default=100, help="test images the lab looks at")
    for action in parser._actions:
        if action.dest == "seed":  # a lab repeats unless told otherwise
            action.default, action.help = 0, "seed of the lab's draws"
    lab.add_arguments(parser)
    return parser.parse_args(argv)


def result_directory(args, name):
    """--result-dir, or results/<the checkpoint directory's name>/labs/NAME
    (results/labs/NAME for a lab that trains its own models)."""
    if args.result_dir:
        return args.result_dir
    if args.checkpoint_dir is None or name == "iwae-vs-vae":
        return os.path.join(config.RESULT_ROOT, "labs", name)
    model_directory = os.path.basename(os.path.abspath(args.checkpoint_dir))
    return os.path.join(config.RESULT_ROOT, model_directory, "labs", name)


def _main(argv):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(listing())
        return 0
    _run(argv[0], argv[1:])
    return 0


def _run(name, argv, raise_errors=False):
    """Run the lab `name` with the flags `argv`: (its Table, the paths of
    its figures); the table and where it went are printed."""
    if name not in LABS:
        raise UserError(f"unknown lab {name!r}; choose one of "
                        f"{', '.join(LABS)} (python -m vae_digits.lab "
                        "lists them).")
    args = parse_args(name, argv, raise_errors)
    lab = LABS[name]
    if args.checkpoint_dir is None and hasattr(lab, "default_checkpoint_dir"):
        args.checkpoint_dir = lab.default_checkpoint_dir(args)
    directory = result_directory(args, name)
    start = time.time()
    from vae_digits.train import train_model
    table, figures = lab.run(args, directory, train_model)
    csv_path = os.path.join(directory, f"{name.replace('-', '_')}.csv")
    table.write_csv(csv_path)
    print("\n".join(table.lines()))
    print(f"Wrote {', '.join(figures + [csv_path])} in "
          f"{time.time() - start:.0f} s", flush=True)
    return table, figures


def run_lab(name: str, **options) -> tuple:
    """`python -m vae_digits.lab NAME` from Python, each flag a keyword
    (`n_images=50`, `temperatures="10,100"`): (the lab's Table, whose
    `rows` are dicts, the paths of its figures). A bad value raises
    ValueError."""
    from vae_digits.train import flag_words
    argv = [word for key, value in options.items()
            for word in flag_words(key, value)]
    return _run(name, argv, raise_errors=True)


def main(argv=None):
    return cli.run(_main, argv)


if __name__ == "__main__":
    main()
