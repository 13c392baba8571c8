"""`python -m vae_digits.explore` as its users run it: the command's lines
and errors, the JSON API against the loaded model, every malformed request
answered in one sentence while the server goes on, --follow (the page
too, in a real browser), and Ctrl-C.
The page itself in a real browser is in test_explore_page.py."""
import json
import os
import re
import socket
import time

import numpy as np
import pytest

import vae_digits
from tests.browser import (
    dots_in_their_colours,
    map_point,
    open_page,
    read_canvas,
    under_the_finger,
)
from tests.helpers import ExploreServer as Server
from tests.helpers import read_real_test_digits
from tests.test_cli import run_module


@pytest.fixture(scope="module")
def server(served_conv_dir):
    server = Server("--checkpoint-dir", served_conv_dir)
    yield server
    if server.process.poll() is None:
        server.stop()


def test_it_says_what_it_serves_and_where(server, served_conv_dir):
    assert server.first_line.startswith(
        f"Serving the conv model (epoch 2, {served_conv_dir}/vae.epoch.2.ckpt)")
    status, page = server.request("GET", "/")
    assert status == 200 and b'id="latent-map"' in page
    for name in (b"decoded", b"std-noise", b"draw-pad"):
        assert b'id="' + name + b'"' in page
    # the page works offline: nothing is fetched from another host
    for name in ("/", "/explore.js", "/explore.css"):
        content = server.request("GET", name)[1].decode()
        assert not re.search(r"(src|href)=\"(https?:)?//", content), name
        assert "http://" not in content and "https://" not in content


def test_the_api_answers_what_the_loaded_model_answers(server,
                                                       served_conv_dir):
    status, model = server.request("GET", "/api/model")
    assert status == 200
    assert (model["model"], model["epoch"], model["z_dim"]) == ("conv", 2, 2)
    assert model["class_names"][7] == "7"
    status, latent = server.request("GET", "/api/latent")
    assert len(latent["points"]) == len(latent["labels"]) == 500
    assert latent["components"] == [[1., 0.], [0., 1.]]
    images, labels = read_real_test_digits()
    assert latent["labels"][:20] == [int(label) for label in labels[:20]]
    codes = [[-1.5, 0.5], [0., 0.], [2., -1.]]
    status, decoded = server.request("POST", "/api/decode",
                                     {"codes": codes})
    status, encoded = server.request("POST", "/api/encode", {
        "images": (images[:4] / 255.).reshape(4, 784).tolist()})
    with vae_digits.load(served_conv_dir) as vae:
        expected_images = vae.decode(codes).reshape(3, 784)
        expected_means = vae.encode(images[:4] / 255.)
        np.testing.assert_allclose(latent["points"][:4], expected_means,
                                   atol=1e-4)
        std_noise = vae.vary(images[3] / 255., 25, 1.4, seed=0)
    np.testing.assert_allclose(decoded["images"], expected_images,
                               atol=5e-4)
    np.testing.assert_allclose(encoded["means"], expected_means, atol=1e-5)
    status, varied = server.request("POST", "/api/vary", {
        "index": 3, "std_noise": 1.4, "n": 25, "seed": 0})
    np.testing.assert_allclose(varied["images"], std_noise.reshape(25, 784),
                               atol=5e-4)
    status, chosen = server.request("POST", "/api/test_images",
                                    {"indices": [7, 3]})
    np.testing.assert_allclose(chosen["images"], (images[[7, 3]] / 255.)
                               .reshape(2, 784), atol=5e-4)
    assert chosen["labels"] == [int(labels[7]), int(labels[3])]
    status, game = server.request("POST", "/api/human_or_machine",
                                  {"n": 10, "seed": 1})
    assert status == 200 and sum(game["machine"]) == 5
    assert len(game["images"]) == 10


BAD_REQUESTS = [
    ("not JSON", "POST", "/api/decode", b"{codes:", 400, "not JSON"),
    ("not an object", "POST", "/api/decode", b"[1, 2]", 400,
     "must be a JSON object"),
    ("no codes", "POST", "/api/decode", b"{}", 400, "needs 'codes'"),
    ("wrong length", "POST", "/api/decode", b'{"codes": [[1, 2, 3]]}', 400,
     "codes must have shape [n, 2]"),
    ("NaN", "POST", "/api/decode", b'{"codes": [[NaN, 0]]}', 400,
     "holds NaN, which is not a finite number"),
    ("infinity", "POST", "/api/decode", b'{"codes": [[Infinity, 0]]}', 400,
     "holds Infinity"),
    ("huge number", "POST", "/api/decode", b'{"codes": [[1e400, 0]]}', 400,
     "NaN or infinite"),
    ("strings", "POST", "/api/decode", b'{"codes": [["a", "b"]]}', 400,
     "must be an array of numbers"),
    ("pixel out of range", "POST", "/api/encode",
     json.dumps({"images": [[2.] * 784]}).encode(), 400,
     "pixel values in [0, 1]"),
    ("too many rows", "POST", "/api/decode",
     json.dumps({"codes": [[0., 0.]] * 1025}).encode(), 400,
     "at most 1024 codes"),
    ("noise out of range", "POST", "/api/vary",
     b'{"index": 3, "std_noise": 9}', 400, "std_noise must lie in [0, 3]"),
    ("index outside", "POST", "/api/vary", b'{"index": 500}', 400,
     "index must be a test image, 0 to 499"),
    ("unknown path", "GET", "/api/secrets", None, 404, "no such page"),
    ("outside the page", "GET", "/../vae_digits/trained.py", None, 404,
     "no such page"),
    ("a package file", "GET", "/trained.py", None, 404, "no such page"),
    ("GET of a POST", "GET", "/api/decode", None, 405, "takes POST"),
    ("POST of a GET", "POST", "/api/model", b"{}", 405, "takes GET"),
    ("DELETE", "DELETE", "/api/model", None, 405, "not a method"),
]


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=[c[0] for c in
                                                    BAD_REQUESTS])
def test_a_malformed_request_gets_one_sentence(server, case):
    _, method, path, raw, status, fragment = case
    answer_status, answer = server.request(method, path, raw=raw)
    assert answer_status == status
    assert list(answer) == ["error"] and fragment in answer["error"]
    assert "\n" not in answer["error"] and answer["error"].endswith(".")
    assert server.request("GET", "/api/model")[0] == 200  # still serving


def test_a_body_over_4_mb_is_refused_unread(server):
    status, answer = server.request(
        "POST", "/api/decode", raw=b" " * (4 * 1024 * 1024 + 1))
    assert status == 413 and "at most 4194304" in answer["error"]
    assert server.request("GET", "/api/model")[0] == 200


def test_ctrl_c_stops_cleanly_frees_the_port_and_logged_each_refusal(
        served_conv_dir):
    server = Server("--checkpoint-dir", served_conv_dir)
    for case in BAD_REQUESTS[:5]:
        server.request(case[1], case[2], raw=case[3])
    code, out, err = server.stop()
    assert code == 0 and out.strip() == "Stopped."
    lines = err.splitlines()
    assert len(lines) == 5 and "Traceback" not in err
    assert all(re.match(r"^127\.0\.0\.1 POST /api/decode: 400 ", line)
               for line in lines)
    with socket.socket() as again:  # free at once
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", server.port))


def test_a_port_in_use_is_one_line(server, served_conv_dir):
    result = run_module("vae_digits.explore", "--checkpoint-dir",
                        served_conv_dir,
                        "--port", str(server.port))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"error: port {server.port} on 127.0.0.1 is in use; stop "
                             "what uses it or pass another --port.\n")


@pytest.mark.parametrize("args,fragment", [
    (["--checkpoint-dir", "{empty}"], "no checkpoint in {empty}"),
    (["--checkpoint", "{empty}/vae.epoch.3.ckpt"], "no checkpoint "),
    (["--host", "no.such.host.invalid"],
     "cannot listen on no.such.host.invalid port 8000"),
    (["--follow", "--checkpoint", "{conv}/vae.epoch.2.ckpt"],
     "--follow watches a checkpoint directory"),
], ids=["empty directory", "missing checkpoint", "bad host", "follow one"])
def test_bad_starts_are_one_line(args, fragment, served_conv_dir, tmp_path):
    values = dict(empty=str(tmp_path), conv=served_conv_dir)
    args = [arg.format(**values) for arg in args]
    if "--checkpoint-dir" not in args and "--checkpoint" not in args:
        args += ["--checkpoint-dir", served_conv_dir]
    result = run_module("vae_digits.explore", *args)
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert fragment.format(**values) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_out_of_range_is_a_usage_error(served_conv_dir):
    result = run_module("vae_digits.explore", "--checkpoint-dir",
                        served_conv_dir,
                        "--port", "70000")
    assert result.returncode == 2
    assert result.stderr.endswith("argument --port: must be a port number "
                                  "0-65535, got '70000' (see --help)\n")


def test_another_host_than_loopback_says_so(served_conv_dir):
    server = Server("--checkpoint-dir", served_conv_dir, "--host", "0.0.0.0")
    code, _, err = server.stop()
    assert code == 0
    assert err.splitlines() == [
        "note: listening on 0.0.0.0: the page is reachable from other "
        "machines, and it answers whatever Host name they use (the Host "
        "check guards loopback servers only)."]
    other = Server("--checkpoint-dir", served_conv_dir, "--host", "0.0.0.0")
    try:  # and so it does
        status, _ = other.request("GET", "/api/model",
                                  headers={"Host": "teacher.local:80"})
        assert status == 200
    finally:
        other.stop()


def followed_in_the_page(page, latent, checkpoints):
    """The page, within its 2 s, shows the newer model over its own map:
    its epoch, its dots and projection, the pointer decoding through
    them."""
    page.wait_for_function(f"window.explore.model.epoch === {latent['epoch']}",
                           timeout=10000)
    page.wait_for_timeout(300)  # its map drawn
    assert f", epoch {latent['epoch']}, " in page.inner_text("#model-info")
    shown = page.evaluate("window.explore.latent")
    for key in ("points", "mean", "components"):
        np.testing.assert_allclose(shown[key], latent[key], atol=1e-9)
    right = dots_in_their_colours(page, latent)
    assert len(right) >= 100 and right.all()
    box = page.locator("#latent-map").bounding_box()
    page.mouse.move(box["x"] + 300.5, box["y"] + 200.5)
    page.wait_for_function("window.explore.latencies.length > 0")
    page.wait_for_timeout(100)
    code = np.array(latent["mean"]) + map_point(page, latent, *under_the_finger(
        page, box["x"] + 300.5, box["y"] + 200.5)) @ np.array(latent["components"])
    np.testing.assert_allclose(page.evaluate("window.explore.lastCode"), code,
                               atol=1e-3 * latent["limit"])
    with vae_digits.load(checkpoints) as vae:
        assert vae.epoch == latent["epoch"]
        np.testing.assert_allclose(read_canvas(page, "decoded"),
                                   vae.decode(code).ravel(), atol=2 / 255.)
    page.close()


def test_follow_loads_the_newer_checkpoint_a_training_run_saves(
        browser, small_mnist, tmp_path):
    checkpoints = str(tmp_path / "checkpoints")
    options = dict(model="mlp", seed=2, data_path=small_mnist,
                   checkpoint_dir=checkpoints,
                   result_dir=str(tmp_path / "results"))
    vae_digits.train(epochs=1, **options)
    server = Server("--checkpoint-dir", checkpoints, "--follow")
    try:
        before = server.request("GET", "/api/latent")[1]
        assert before["epoch"] == 1
        page = open_page(browser, server)
        vae_digits.train(epochs=2, **options)
        deadline = time.time() + 30
        while server.request("GET", "/api/model")[1]["epoch"] != 2:
            assert time.time() < deadline, "epoch 2 was not loaded"
            time.sleep(0.3)
        after = server.request("GET", "/api/latent")[1]
        assert after["epoch"] == 2 and after["points"] != before["points"]
        followed_in_the_page(page, after, checkpoints)
    finally:
        code, _, err = server.stop()
    assert code == 0
    assert "Loaded {}".format(os.path.join(checkpoints, "vae.epoch.2.ckpt")) \
        in err
