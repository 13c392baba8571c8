"""`dataset` and `save_image_collections`, as ZhuSuan's examples.utils."""
from examples.utils import dataset
from vae_digits.pictures.grids import save_image_collections

__all__ = ["dataset", "save_image_collections"]
