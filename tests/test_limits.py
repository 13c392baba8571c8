"""Nothing a caller asks crashes the process: counts of images have a
stated limit checked before anything is allocated, odd values are
refused by name, calls decode in bounded batches, close() refuses new
calls at once, flags have ranges checked before TensorFlow is imported,
and files from outside (IDX data, model_config.json) are read only as
far as they are sane."""
import datetime
import gzip
import json
import os
import threading
import time

import numpy as np
import pytest

import vae_digits
from tests import commands
from tests.helpers import write_idx
from vae_digits.core.config import MAX_IMAGES_PER_CALL
from vae_digits.trained import model as trained_model


@pytest.fixture(scope="module")
def conv(served_conv_dir):
    with vae_digits.load(served_conv_dir) as vae:
        yield vae


@pytest.mark.parametrize("call,fragment", [
    (lambda vae: vae.sample(10 ** 7), "n must be at most 1,000,000"),
    (lambda vae: vae.sample(10 ** 9), "n must be at most 1,000,000"),
    (lambda vae: vae.vary(np.zeros((28, 28)), 10 ** 7),
     "n must be at most 1,000,000"),
    (lambda vae: vae.interpolate(np.zeros(2), np.ones(2), steps=10 ** 7),
     "steps must be at most 1,000,000"),
    (lambda vae: vae.decode(np.zeros((MAX_IMAGES_PER_CALL + 1, 2))),
     "the number of codes must be at most 1,000,000"),
])
def test_a_count_beyond_the_limit_is_refused_before_any_work(
        conv, call, fragment):
    start = time.time()
    with pytest.raises(ValueError, match=fragment):
        call(conv)
    assert time.time() - start < 5


@pytest.mark.parametrize("value,error,fragment", [
    (np.zeros((1, 2), complex), TypeError, "codes must be real numbers"),
    ([["0.5", "0.1"]], TypeError, "codes must be an array of numbers, got "
                                  "values of type <U3"),
    ([[datetime.datetime(2020, 1, 1)] * 2], TypeError,
     "codes must be an array of numbers"),
    (np.array([[np.datetime64("2020-01-01")] * 2]), TypeError,
     "codes must be an array of numbers, got values of type datetime64"),
    ([[1e308, 0.]], ValueError, "codes must lie within float32's range"),
    ([[10 ** 400, 0]], ValueError, "codes holds a number beyond float"),
])
def test_odd_codes_are_refused_by_name(conv, value, error, fragment):
    with pytest.raises(error, match=fragment):
        conv.decode(value)


def test_odd_numbers_are_refused_by_the_argument_they_came_in(conv):
    image = np.zeros((28, 28))
    with pytest.raises(ValueError, match=r"std_noise must lie in \[-10, 10\]"):
        conv.vary(image, 4, std_noise=100)
    with pytest.raises(ValueError, match="std_noise is beyond float range"):
        conv.vary(image, 4, std_noise=10 ** 400)
    with pytest.raises(ValueError, match="seed must be at most 4,294,967,295"):
        conv.sample(2, seed=2 ** 32)
    with pytest.raises(TypeError, match="images must be numbers, got a "
                                        "string"):
        conv.encode("0.5")
    assert conv.vary(image, 4, std_noise=-10., seed=1).shape == (4, 28, 28)


def test_decode_runs_in_bounded_batches(conv, monkeypatch):
    codes = np.random.RandomState(0).randn(20, 2)
    whole = conv.decode(codes)
    runs = []
    real_run = conv._session.run
    monkeypatch.setattr(trained_model, "ROWS_PER_RUN", 7)
    monkeypatch.setattr(conv._session, "run", lambda fetch, feed: (
        runs.append(len(next(iter(feed.values())))), real_run(fetch, feed))[1])
    batched = conv.decode(codes)
    assert runs == [7, 7, 6]
    np.testing.assert_allclose(batched, whole, atol=1e-6)


def test_close_refuses_new_calls_at_once_and_waits_for_those_under_way(
        served_conv_dir):
    vae = vae_digits.load(served_conv_dir)
    refused, stop = [], threading.Event()

    def keep_calling():
        while not stop.is_set():
            try:
                vae.decode(np.zeros((500, 2)))
            except ValueError:
                refused.append(True)
                return
    threads = [threading.Thread(target=keep_calling) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.)
    closer = threading.Thread(target=vae.close)
    closer.start()
    closer.join(timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not closer.is_alive()
    assert len(refused) == 8
    with pytest.raises(ValueError, match="this model is closed"):
        vae.sample(1)


def run(*args, cwd=None, timeout=60):
    return commands.run(*args, cwd=cwd, timeout=timeout)


@pytest.mark.parametrize("args,fragment", [
    (["vae_digits.train", "--seed", "4294967296"],
     "--seed: must be at most 4,294,967,295"),
    (["vae_digits.train", "--z-dim", "100000000"],
     "--z-dim: must be at most 4,096"),
    (["vae_digits.generate", "--n-samples", "10000000"],
     "--n-samples: must be at most 10,000"),
    (["vae_digits.generate", "--mode", "manifold", "--grid-size", "100000"],
     "--grid-size: must be at most 100"),
    (["vae_digits.generate", "--mode", "interpolate", "--steps", "100000000"],
     "--steps: must be at most 1,000"),
    (["vae_digits.evaluate", "--n-particles", "100000000"],
     "--n-particles: must be at most 1,000,000"),
    (["vae_digits.train", "--model", "conditional", "--hidden-layers",
      "100000"], "--hidden-layers: must be at most 10,000"),
])
def test_a_flag_beyond_its_range_is_one_line_before_tensorflow(
        tmp_path, args, fragment):
    result = run(*args, cwd=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and fragment in result.stderr
    assert os.listdir(tmp_path) == []


def _idx_directory(tmp_path, images_file_bytes):
    directory = tmp_path / "data"
    directory.mkdir()
    with open(directory / "t10k-images-idx3-ubyte.gz", "wb") as f:
        f.write(images_file_bytes)
    write_idx(str(directory / "t10k-labels-idx1-ubyte.gz"), np.zeros(60))
    return str(directory)


def test_an_idx_header_announcing_too_much_is_refused_before_reading(
        tmp_path):
    header = (0x803).to_bytes(4, "big") + b"".join(
        d.to_bytes(4, "big") for d in (2 ** 31, 2 ** 31, 28))
    data = _idx_directory(tmp_path, gzip.compress(header + b"\0" * 1000))
    with pytest.raises(vae_digits.core.errors.UserError,
                       match="announces data of shape"):
        vae_digits.data.load_mnist_test(data)


def test_a_decompression_bomb_is_read_no_further_than_announced(tmp_path):
    header = (0x803).to_bytes(4, "big") + b"".join(
        d.to_bytes(4, "big") for d in (60, 28, 28))
    compressor = gzip.compress(header + b"\0" * (200 << 20))  # 200 MB
    assert len(compressor) < 1 << 20
    data = _idx_directory(tmp_path, compressor)
    start = time.time()
    with pytest.raises(vae_digits.core.errors.UserError,
                       match="should hold 47040 bytes .* but holds more"):
        vae_digits.data.load_mnist_test(data)
    assert time.time() - start < 5


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "link-loop", "nested",
                                  "list-dataset", "huge"])
def test_a_bad_model_config_is_one_line_and_never_hangs(tmp_path, kind):
    directory = tmp_path / "checkpoints"
    directory.mkdir()
    (directory / "vae.epoch.1.ckpt.index").write_bytes(b"")
    path = directory / "model_config.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "link-loop":
        os.symlink("model_config.json", path)
    elif kind == "nested":
        path.write_text("[" * 20000 + "]" * 20000)
    elif kind == "huge":
        path.write_text(" " * (1 << 20) + "{}")
    else:
        path.write_text(json.dumps({"model": "conv", "dataset": ["mnist"],
                                    "x_dim": 784, "z_dim": 2,
                                    "kl_weight": 1.}))
    result = run("vae_digits.generate", "--checkpoint-dir", str(directory),
                 cwd=str(tmp_path), timeout=30)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: cannot read {path} (")
