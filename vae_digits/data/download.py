"""Fetching MNIST and Fashion-MNIST from their published locations, safely.

Each file is tried at every mirror in turn, written through a temporary
file beside its destination, checked against its published md5 and only
then renamed into place: an interrupted or corrupt download never leaves
a file behind. When every mirror fails the caller gets one UserError that
says where to put which files by hand.
"""
import hashlib
import os
import sys
import urllib.request

from vae_digits.core.errors import UserError
from vae_digits.core.files import atomic_path

PICKLE_URLS = (
    "http://www.iro.umontreal.ca/~lisa/deep/data/mnist/mnist.pkl.gz",
    "http://deeplearning.net/data/mnist/mnist.pkl.gz",
)
PICKLE_MD5 = "a02cd19f81d51c426d7ca14024243ce9"

IDX_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
IDX_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}

FASHION_MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/"
    "master/data/fashion/",
)
FASHION_MD5 = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}

TIMEOUT_SECONDS = 30
_CHUNK_BYTES = 1 << 20


class DownloadError(Exception):
    """One URL could not be fetched intact."""


def md5_of(path):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_url(url, destination, md5, opener=urllib.request.urlopen):
    """Fetch `url` to `destination` if its md5 matches; else DownloadError.

    `destination` is created by an atomic rename only once the whole file
    is verified; nothing is left behind on failure.
    """
    with atomic_path(destination) as partial:
        digest = hashlib.md5()
        with open(partial, "wb") as out:
            try:
                with opener(url, timeout=TIMEOUT_SECONDS) as response:
                    for chunk in iter(lambda: response.read(_CHUNK_BYTES),
                                      b""):
                        digest.update(chunk)
                        out.write(chunk)
            except (OSError, ValueError) as e:
                raise DownloadError(f"{url}: {_reason(e)}") from e
        if digest.hexdigest() != md5:
            raise DownloadError(f"{url}: checksum mismatch (md5 {digest.hexdigest()}, expected "
                                f"{md5})")


def fetch(urls, destination, md5, manual_hint, opener=urllib.request.urlopen):
    """Try each of `urls` in turn; UserError with `manual_hint` if all fail."""
    failures = []
    for url in urls:
        try:
            download_url(url, destination, md5, opener=opener)
            return destination
        except DownloadError as e:
            failures.append(str(e))
    tried = "; ".join(failures) if failures else "no URL to try"
    raise UserError(f"could not download {os.path.basename(destination)} "
                    f"from any of the {len(failures)} places tried ({tried})"
                    f". {manual_hint}")


def sources(dataset="mnist"):
    """(mirrors, md5 by file name) of a dataset's IDX files."""
    if dataset == "fashion-mnist":
        return FASHION_MIRRORS, FASHION_MD5
    return IDX_MIRRORS, IDX_MD5


def fetch_idx_files(directory, names, opener=urllib.request.urlopen,
                    dataset="mnist"):
    """Download those of the IDX files `names` of `dataset` missing in
    `directory` from the first of its mirrors that serves each intact."""
    mirrors, md5 = sources(dataset)
    for name in names:
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            print(f"Downloading {name} ...", file=sys.stderr,
                  flush=True)
            fetch([base + name for base in mirrors], path, md5[name],
                  manual_hint(directory, dataset), opener=opener)


def fetch_pickle(path, opener=urllib.request.urlopen):
    """Download the classic mnist.pkl.gz to `path` from PICKLE_URLS."""
    print(f"Downloading {os.path.basename(path)} ...",
          file=sys.stderr, flush=True)
    fetch(PICKLE_URLS, path, PICKLE_MD5,
          manual_hint(os.path.dirname(path) or "."), opener=opener)


def manual_hint(directory, dataset="mnist"):
    """What to do by hand when no mirror can be reached."""
    md5 = sources(dataset)[1]
    if dataset == "fashion-mnist":
        return (f"Offline? Put the four Fashion-MNIST files {', '.join(md5)} "
                f"in {directory.rstrip('/')}/, install Debian's "
                "dataset-fashion-mnist, or pass --data-path.")
    return (f"Offline? Put the four MNIST files {', '.join(md5)} in "
            f"{directory.rstrip('/')}/, or mnist.pkl.gz there, or pass "
            "--data-path.")


def _reason(error):
    return str(getattr(error, "reason", None) or error)
