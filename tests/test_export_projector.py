"""`python -m vae_digits.export --format projector`: TensorBoard, started
on the result, shows it in its Projector tab, found through the projector
plugin's own HTTP endpoints: the run, the embedding and its shape, its
values (the encoder's means of the test images), its metadata rows and
its sprite."""
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import imageio.v3 as iio
import numpy as np
import pytest

import vae_digits
from vae_digits import data, export
from vae_digits.sharing.projector import TENSOR_NAME, sprite

N_IMAGES = 300
PLUGIN = "/data/plugin/projector/"
URL_LINE = re.compile(r"TensorBoard \S+ at (http://127\.0\.0\.1:\d+/)")


@pytest.fixture(scope="module")
def projector(tmp_path_factory, small_mnist):
    """The blog's model trained one short epoch, exported for the first
    N_IMAGES test images by the command."""
    root = tmp_path_factory.mktemp("export_projector")
    checkpoint_dir = vae_digits.train(
        epochs=1, train_images=200, batch_size=50, seed=5,
        data_path=small_mnist, checkpoint_dir=root / "checkpoints",
        result_dir=root / "results")
    output = str(root / "projector")
    line = io.StringIO()
    with contextlib.redirect_stdout(line):
        export.main(["--format", "projector", "--checkpoint-dir",
                     checkpoint_dir, "--output", output, "--images",
                     str(N_IMAGES)])
    return dict(checkpoint_dir=checkpoint_dir, output=output,
                data=small_mnist, stdout=line.getvalue())


@pytest.fixture(scope="module")
def tensorboard(projector, tmp_path_factory):
    """The base URL of `tensorboard --logdir` on the export, on a free
    port, stopped after the module's tests."""
    log = tmp_path_factory.mktemp("tensorboard") / "log"
    with open(log, "w") as f:
        process = subprocess.Popen(
            [sys.executable, "-m", "tensorboard.main", "--logdir",
             projector["output"], "--host", "127.0.0.1", "--port", "0",
             "--load_fast", "false"], stdout=f, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while not URL_LINE.search(log.read_text()):
            assert process.poll() is None and time.time() < deadline, \
                log.read_text()
            time.sleep(0.2)
        yield URL_LINE.search(log.read_text()).group(1).rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=60)


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def test_the_line_names_the_images_and_how_to_open_them(projector):
    assert projector["stdout"] == (
        f"Wrote the codes of {N_IMAGES} test images of "
        f"{os.path.join(projector['checkpoint_dir'], 'vae.epoch.1.ckpt')} "
        f"to {projector['output']}; see it in the Projector tab of "
        f"`tensorboard --logdir {projector['output']}`\n")
    assert sorted(os.listdir(projector["output"])) == [
        "checkpoint", "embedding.ckpt.data-00000-of-00001",
        "embedding.ckpt.index", "metadata.tsv", "projector_config.pbtxt",
        "sprite.png"]


def test_tensorboard_shows_the_projector_tab(tensorboard):
    deadline = time.time() + 60
    while True:  # the plugin finds its configs in a thread of its own
        listing = json.loads(get(tensorboard + "/data/plugins_listing"))
        if listing["projector"]["enabled"] or time.time() > deadline:
            break
        time.sleep(0.5)
    assert listing["projector"]["enabled"]


def test_the_plugin_finds_the_embedding_its_labels_and_sprite(
        tensorboard, projector):
    assert json.loads(get(tensorboard + PLUGIN + "runs")) == ["."]
    info = json.loads(get(tensorboard + PLUGIN + "info?run=."))
    [embedding] = info["embeddings"]
    assert embedding["tensorName"] == TENSOR_NAME
    assert embedding["tensorShape"] == [N_IMAGES, 40]
    assert embedding["sprite"]["singleImageDim"] == [28, 28]
    query = f"?run=.&name={TENSOR_NAME}"
    images, labels = data.load_mnist_test(projector["data"], one_hot=False)
    images = images[:N_IMAGES].reshape(-1, 28, 28)
    tensor = np.frombuffer(get(tensorboard + PLUGIN + "tensor" + query),
                           np.float32).reshape(N_IMAGES, 40)
    with vae_digits.load(projector["checkpoint_dir"]) as vae:
        np.testing.assert_array_equal(tensor, vae.encode(images))
    rows = get(tensorboard + PLUGIN + "metadata" + query).decode()
    assert rows.splitlines() == ["index\tlabel"] + [
        f"{index}\t{label}" for index, label in enumerate(labels[:N_IMAGES])]
    picture = iio.imread(io.BytesIO(get(tensorboard + PLUGIN +
                                        "sprite_image" + query)))
    assert picture.shape == (18 * 28, 18 * 28)  # 18 x 18 >= 300 images
    np.testing.assert_array_equal(picture, sprite(images))
    # dark ink on white: the first cell is the first test digit, a 7
    expected = 255 - np.rint(images[0] * 255.)
    np.testing.assert_array_equal(picture[:28, :28], expected)
    assert picture[-28:, -28:].min() == 255  # no image: blank
