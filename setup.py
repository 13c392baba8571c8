"""Install vae_digits: `pip install -e .` (add `.[test]` for the tests)."""
import pathlib

from setuptools import find_packages, setup

DOCS = ["mkdocs>=1.6", "mkdocs-material>=9", "mkdocstrings[python]>=0.25"]

setup(
    name="vae_digits",
    version="0.1.0",
    description="The ZhuSuan VAE that learns to write handwritten digits, "
                "reproduced on TensorFlow 2 in TF1 graph mode",
    long_description=pathlib.Path("README.md").read_text(),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.9",
    # Only the package: examples/ is a facade for checkouts and must not
    # become a top-level `examples` package in site-packages.
    packages=find_packages(include=["vae_digits", "vae_digits.*"]),
    # the explore page, served from the package: it works offline
    package_data={"vae_digits": ["page/static/*.html", "page/static/*.js",
                                 "page/static/*.css"]},
    install_requires=["tensorflow>=2.16", "numpy", "six", "imageio", "tqdm",
                      "tensorboard", "matplotlib"],
    # docs: MkDocs with the Material theme and mkdocstrings, which builds
    # the API reference from the docstrings (`mkdocs serve`);
    # test: the suite, which also runs the notebooks (nbmake), drives the
    # explore page in Debian's Chromium (Playwright, no browser download)
    # and checks it with axe-core (axe-playwright-python, which carries it),
    # runs ruff and builds the docs strictly; notebook: Jupyter, to open
    # notebooks/ yourself.
    extras_require={"docs": DOCS,
                    "test": ["pytest", "nbmake", "ipykernel", "playwright",
                             "axe-playwright-python", "ruff"] + DOCS,
                    "notebook": ["jupyter"],
                    # JAX: the peer of benchmarks/train_speed.py --peer jax
                    # (benchmarks/peers/jax_vae.py); the package never
                    # imports it
                    "bench": ["jax"],
                    # mutmut: benchmarks/mutation_score.py, what the tests catch
                    "mutation": ["mutmut>=3.8,<4; python_version >= '3.10'"]},
)
