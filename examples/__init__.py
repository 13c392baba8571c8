"""ZhuSuan's example layout, so the blog's imports work from a checkout:

    from examples import conf
    from examples.utils import dataset, save_image_collections

A thin facade over vae_digits; it is not installed into site-packages.
"""
