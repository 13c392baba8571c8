"""`python -m vae_digits`: the package's commands, and a way to run one.

    python -m vae_digits                  lists the commands
    python -m vae_digits train --epochs 10
"""
import importlib
import sys

COMMANDS = {
    "train": "train a model (by default the blog's VAE on MNIST)",
    "generate": "draw pictures of a trained model",
    "evaluate": "report a trained model's test figures",
    "explore": "serve a page to play with a trained model",
    "export": "write a trained model as one HTML page, a SavedModel or for TensorBoard",
    "lab": "run an experiment on what a VAE's numbers mean (lists them)",
}


def usage():
    """The list of commands, as printed."""
    lines = ["usage: python -m vae_digits COMMAND [FLAGS]  (or python -m "
             "vae_digits.COMMAND [FLAGS])", "", "commands:"]
    lines += [f"  {name:<10} {summary}" for name, summary in COMMANDS.items()]
    lines += ["", "`python -m vae_digits COMMAND --help` lists a command's "
              "flags."]
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    if argv[0] not in COMMANDS:
        print(f"error: unknown command {argv[0]!r}; choose one of "
              f"{', '.join(COMMANDS)} (python -m vae_digits lists them).",
              file=sys.stderr)
        return 2
    command = importlib.import_module(f"vae_digits.{argv[0]}")
    return command.main(argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main())
