"""The download path, with the mirrors replaced by a local HTTP server."""
import functools
import hashlib
import http.server
import io
import os
import pathlib
import shutil
import threading
import urllib.error

import pytest

from tests.helpers import SHARED_MNIST
from vae_digits import data
from vae_digits.core.errors import UserError
from vae_digits.data import download

TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def mirror(tmp_path):
    """A directory served over HTTP on localhost; yields (dir, base URL)."""
    root = tmp_path / "mirror"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_url():
    """A localhost URL where nothing listens."""
    server = http.server.HTTPServer(("127.0.0.1", 0), QuietHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/"


def test_downloads_verified_real_files_trying_mirrors_in_turn(
        tmp_path, mirror, dead_url, monkeypatch):
    if not os.path.isdir(SHARED_MNIST):
        pytest.skip(f"real MNIST files not found at {SHARED_MNIST}")
    root, url = mirror
    for name in TEST_FILES:  # the published files, with published md5s
        shutil.copy(os.path.join(SHARED_MNIST, name), str(root / name))
    monkeypatch.setattr(download, "IDX_MIRRORS", (dead_url, url))
    monkeypatch.chdir(tmp_path)  # the default data directory, created
    target = tmp_path / "data"
    x_test, t_test = data.load_mnist_test("data")
    assert x_test.shape == (10000, 784) and t_test.shape == (10000, 10)
    assert sorted(os.listdir(str(target))) == sorted(TEST_FILES)


def test_checksum_mismatch_leaves_no_file(tmp_path, mirror, monkeypatch):
    root, url = mirror
    (root / "mnist.pkl.gz").write_bytes(b"not the real pickle")
    monkeypatch.setattr(download, "PICKLE_URLS", (url + "mnist.pkl.gz",))
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "data" / "mnist.pkl.gz"
    with pytest.raises(UserError, match="checksum mismatch"):
        data.load_mnist_realval("data/mnist.pkl.gz")
    assert os.listdir(str(target.parent)) == []


def test_downloaded_pickle_is_verified_then_loaded(tmp_path, mirror,
                                                   monkeypatch):
    from tests.test_data import pickle_splits, write_pickle
    root, url = mirror
    served = write_pickle(root / "mnist.pkl.gz", pickle_splits())
    md5 = hashlib.md5(pathlib.Path(served).read_bytes()).hexdigest()
    monkeypatch.setattr(download, "PICKLE_URLS", (url + "mnist.pkl.gz",))
    monkeypatch.setattr(download, "PICKLE_MD5", md5)
    target = str(tmp_path / "mnist.pkl.gz")
    assert data.load_mnist_realval(target)[0].shape == (50, 784)
    assert download.md5_of(target) == md5


def test_offline_failure_says_where_to_put_which_files(tmp_path, dead_url,
                                                       monkeypatch):
    monkeypatch.setattr(download, "IDX_MIRRORS", (dead_url,))
    monkeypatch.chdir(tmp_path)
    target = "data"
    with pytest.raises(UserError) as error:
        data.load_mnist_realval(target)
    message = str(error.value)
    assert "\n" not in message
    assert "could not download train-images-idx3-ubyte.gz" in message
    for name in download.IDX_MD5:
        assert name in message
    assert target in message and "mnist.pkl.gz" in message
    assert "--data-path" in message
    assert os.listdir(target) == []


def test_transfer_broken_midway_leaves_no_partial_file(tmp_path):
    class BrokenResponse(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 0:
                raise ConnectionResetError("connection reset")
            return super().read(4)

    def opener(url, timeout):
        return BrokenResponse(b"0123456789")

    destination = str(tmp_path / "file.gz")
    with pytest.raises(download.DownloadError, match="connection reset"):
        download.download_url("http://example/file.gz", destination,
                              "0" * 32, opener=opener)
    assert os.listdir(str(tmp_path)) == []


class Served(io.BytesIO):
    """A response that can be used in `with`, as urlopen's."""


def _opener(files, asked):
    """An opener serving `files` ({url: bytes}), recording each call's
    (url, timeout) in `asked`; any other url is refused as urlopen
    refuses."""
    def opener(url, timeout):
        asked.append((url, timeout))
        if url not in files:
            raise urllib.error.URLError(ConnectionRefusedError(
                111, "Connection refused"))
        return Served(files[url])
    return opener


def test_missing_files_are_fetched_from_the_first_mirror_serving_them(
        tmp_path, capsys, monkeypatch):
    content = b"fashion labels"
    md5 = hashlib.md5(content).hexdigest()
    name = "t10k-labels-idx1-ubyte.gz"
    monkeypatch.setitem(download.FASHION_MD5, name, md5)
    asked = []
    second = download.FASHION_MIRRORS[1] + name
    download.fetch_idx_files(str(tmp_path), [name], _opener(
        {second: content}, asked), dataset="fashion-mnist")
    assert (tmp_path / name).read_bytes() == content
    assert asked == [(download.FASHION_MIRRORS[0] + name, 30), (second, 30)]
    assert capsys.readouterr() == ("", f"Downloading {name} ...\n")
    download.fetch_idx_files(str(tmp_path), [name], _opener({}, asked))
    assert len(asked) == 2  # there already: nothing fetched


def test_an_offline_fashion_download_says_what_to_do(tmp_path):
    name = "t10k-images-idx3-ubyte.gz"
    with pytest.raises(UserError) as caught:
        download.fetch_idx_files(str(tmp_path) + "/", [name],
                                 _opener({}, []), dataset="fashion-mnist")
    tried = "; ".join(f"{mirror}{name}: [Errno 111] Connection refused"
                      for mirror in download.FASHION_MIRRORS)
    assert str(caught.value) == (
        f"could not download {name} from any of the 2 places tried "
        f"({tried}). Offline? Put the four Fashion-MNIST files "
        f"{', '.join(download.FASHION_MD5)} in {tmp_path}/, install "
        "Debian's dataset-fashion-mnist, or pass --data-path.")


def test_the_pickle_is_fetched_where_asked(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as caught:
        download.fetch_pickle("mnist.pkl.gz", _opener({}, []))
    assert capsys.readouterr().err == "Downloading mnist.pkl.gz ...\n"
    assert str(caught.value).endswith(
        "). Offline? Put the four MNIST files "
        f"{', '.join(download.IDX_MD5)} in ./, or mnist.pkl.gz there, or "
        "pass --data-path.")
    content = b"a pickle"
    monkeypatch.setattr(download, "PICKLE_MD5",
                        hashlib.md5(content).hexdigest())
    download.fetch_pickle(str(tmp_path / "m.pkl.gz"), _opener(
        {download.PICKLE_URLS[1]: content}, []))
    assert (tmp_path / "m.pkl.gz").read_bytes() == content


def test_nothing_to_try_and_a_hint_for_a_directory_from_the_root():
    with pytest.raises(UserError) as caught:
        download.fetch([], "/tmp/x/file.gz", "0" * 32, "Hint.")
    assert str(caught.value) == ("could not download file.gz from any of "
                                 "the 0 places tried (no URL to try). Hint.")
    assert download.manual_hint("/srv/data/").startswith(
        "Offline? Put the four MNIST files ")
    assert " in /srv/data/, or mnist.pkl.gz" in download.manual_hint(
        "/srv/data/")
    assert " in /srv/MNIST_X/, or" in download.manual_hint("/srv/MNIST_X/")
    assert " in /srv/FASHION_X/, install" in download.manual_hint(
        "/srv/FASHION_X/", "fashion-mnist")
    assert download.sources("fashion-mnist") == (download.FASHION_MIRRORS,
                                                 download.FASHION_MD5)
    assert download.sources() == (download.IDX_MIRRORS, download.IDX_MD5)


def test_a_failure_is_named_by_its_reason():
    assert download._reason(urllib.error.URLError("no route")) == "no route"
    assert download._reason(OSError("disk full")) == "disk full"
