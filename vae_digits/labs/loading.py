"""The trained model and the test images a lab looks at, from the flags
every lab shares (--checkpoint-dir, --model, --dataset, --data-path,
--n-images, --seed), checked as the commands check them."""
from __future__ import annotations

from vae_digits.checkpoints.model_config import find_trained_model
from vae_digits.core.errors import UserError
from vae_digits.data import load_test_set

__all__ = ["model_and_images"]


def model_and_images(args, checkpoint_dir=None, binarized=None):
    """(vae_digits.load of --checkpoint-dir (or `checkpoint_dir`), its
    first --n-images test images as it reads them, their labels)."""
    from vae_digits import models
    from vae_digits.trained import load
    path, model_config, dataset, data_path = find_trained_model(
        checkpoint_dir or args.checkpoint_dir, None, args.model,
        args.dataset, args.data_path)
    model = models.get(model_config["model"])
    x, labels = load_test_set(dataset, data_path, model.binarized
                              if binarized is None else binarized, args.seed)
    if args.n_images > len(x):
        raise UserError(f"--n-images {args.n_images} is more than the "
                        f"{len(x)} test images of {data_path}; pass a smaller "
                        "one.")
    return load(path, seed=args.seed), x[:args.n_images], \
        labels[:args.n_images]
