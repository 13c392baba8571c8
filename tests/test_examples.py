"""The blog's imports work from a checkout through the examples facade."""
import os

from vae_digits import data
from vae_digits.pictures import grids as images


def test_blog_imports_reach_the_package():
    from examples import conf
    from examples.utils import dataset, save_image_collections
    assert dataset.load_mnist_realval is data.load_mnist_realval
    assert save_image_collections is images.save_image_collections
    assert conf.data_dir == os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
