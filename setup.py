"""Install vae_digits: `pip install -e .` (add `.[test]` for the tests)."""
from setuptools import find_packages, setup

setup(
    name="vae_digits",
    version="0.1.0",
    description="The ZhuSuan VAE that learns to write handwritten digits, "
                "reproduced on TensorFlow 2 in TF1 graph mode",
    long_description=open("README.md").read(),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.9",
    # Only the package: examples/ is a facade for checkouts and must not
    # become a top-level `examples` package in site-packages.
    packages=find_packages(include=["vae_digits", "vae_digits.*"]),
    # the explore page, served from the package: it works offline
    package_data={"vae_digits": ["page/*.html", "page/*.js", "page/*.css"]},
    install_requires=["tensorflow>=2.16", "numpy", "six", "imageio", "tqdm",
                      "tensorboard", "matplotlib"],
    # test: the suite, which also runs the notebooks (nbmake) and drives
    # the explore page in Debian's Chromium (Playwright, no browser
    # download); notebook: Jupyter, to open notebooks/ yourself.
    extras_require={"test": ["pytest", "nbmake", "ipykernel", "playwright"],
                    "notebook": ["jupyter"]},
)
