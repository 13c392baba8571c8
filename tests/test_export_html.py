"""`python -m vae_digits.export --format html`: for each model, one file
that Debian's Chromium opens from file:// with every request to a network
address failing the test; the page's own network (window.vae) decodes
100 random codes and encodes 100 real test digits as
`vae_digits.load(...)` does, within 1e-4 (and classifies them, for the
conditional model); the map decodes under the mouse, the noise slider
and the game work from the file; the served page's files are its parts,
not copies; --float16 stays within 1/255 of the pixels; and the
refusals."""
import contextlib
import dataclasses
import io
import json
import os
import re

import numpy as np
import pytest

import vae_digits
from tests.browser import SEEDED_RANDOM, read_canvas
from tests.helpers import read_real_test_digits
from tests.test_cli import assert_one_line_error
from vae_digits import export
from vae_digits.core.errors import UserError
from vae_digits.page.api import Explorer, _black_and_white
from vae_digits.page.handler import PAGE_DIR
from vae_digits.sharing import FORMATS, html, networks

MODEL_NAMES = ("mlp", "conv", "conditional", "bernoulli")
TOLERANCE = 1e-4


def run_export(*arguments):
    """The line `python -m vae_digits.export ARGUMENTS` prints."""
    line = io.StringIO()
    with contextlib.redirect_stdout(line):
        export.main(list(arguments))
    return line.getvalue()


@pytest.fixture(scope="module")
def exported(tmp_path_factory, served_mlp_dir, served_conv_dir, small_mnist):
    """{model: {checkpoint_dir, output (the file), line (printed), data}}:
    the explore tests' mlp and conv models and a conditional and a
    bernoulli one of 2 short epochs, each exported with its 500 test
    images."""
    root = tmp_path_factory.mktemp("export_html")
    conditional, bernoulli = (vae_digits.train(
        model=model, epochs=2, seed=2, data_path=small_mnist,
        checkpoint_dir=root / model, result_dir=root / "results", **settings)
        for model, settings in (("conditional", {}),
                                ("bernoulli", {"particles": 3})))
    found = {}
    for name, directory in (("mlp", served_mlp_dir), ("conv", served_conv_dir),
                            ("conditional", conditional),
                            ("bernoulli", bernoulli)):
        output = str(root / f"{name}.html")
        line = run_export("--checkpoint-dir", str(directory), "--data-path",
                          small_mnist, "--output", output)
        found[name] = dict(checkpoint_dir=str(directory), output=output,
                           line=line, data=small_mnist)
    return found


def open_file(browser, path, **options):
    """The page of the file `path`, opened from file:// once it is ready;
    every request to a network address is refused and recorded in
    page.requests, the page's uncaught errors in page.errors."""
    options.setdefault("viewport", {"width": 1100, "height": 2400})
    context = browser.new_context(**options)
    requests = []

    def refuse(route):
        if route.request.url.startswith(("file:", "data:")):
            return route.continue_()
        requests.append(route.request.url)
        return route.abort()
    context.route("**/*", refuse)
    page = context.new_page()
    page.add_init_script(SEEDED_RANDOM)
    page.errors, page.requests = [], requests
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("websocket", lambda socket: requests.append(socket.url))
    page.goto(f"file://{path}")
    page.wait_for_function("window.explore && window.explore.ready",
                           timeout=60000)
    return page


def call(page, method, rows):
    """window.vae[method](rows), through JSON (quicker than Playwright's
    own conversion of long arrays)."""
    return np.array(json.loads(page.evaluate(
        f"(rows) => JSON.stringify(window.vae.{method}(rows))",
        np.asarray(rows, np.float64).tolist())))


def test_the_line_says_what_it_wrote_and_the_file_is_the_served_page(
        exported):
    item = exported["conv"]
    assert re.fullmatch(
        r"Wrote a page of 500 test images and float32 weights \([0-9.]+ MB\)"
        rf" of {re.escape(item['checkpoint_dir'])}/vae\.epoch\.2\.ckpt to "
        rf"{re.escape(item['output'])}; open it in a browser, offline too, or"
        r" send it: it needs no server \(see docs/sharing\.md\)\n",
        item["line"])
    with open(item["output"], encoding="utf-8") as f:
        text = f.read()
    # every stylesheet and script of the served page, and layers.js and
    # network.js, as they are; nothing left to fetch
    with open(os.path.join(PAGE_DIR, "index.html")) as f:
        served = re.findall(r'(?:src|href)="([^":]+)"', f.read())
    assert served[0] == "explore.css" and "backend.js" in served
    for name in served + ["layers.js", "network.js"]:
        with open(os.path.join(PAGE_DIR, name)) as f:
            assert f.read() in text, name
    assert re.findall(r'(?:src|href)="([^"]*)"', text) == ["data:,"]
    assert text.index("window.vaeData = ") < text.index("// The operations the exported") \
        < text.index("// The page's own model") \
        < text.index("// The page's one way to its model")


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_the_page_decodes_and_encodes_as_the_model(browser, exported, name):
    """decode, encode and classify: the exported page's, the served
    page's (Explorer, the server's answers) and vae_digits.load's agree,
    on real grey test digits."""
    item = exported[name]
    page = open_file(browser, item["output"])
    rng = np.random.RandomState(3)
    images = read_real_test_digits()[0][:100].reshape(100, 784) / 255.
    with vae_digits.load(item["checkpoint_dir"]) as vae:
        codes = rng.randn(100, vae.z_dim)
        if vae.has_labels:
            codes = np.hstack([codes, np.eye(10)[rng.randint(10, size=100)]])
        if vae.binarized:  # grey images: one rule, the page's as vae.encode's
            served = Explorer(item["checkpoint_dir"], "mnist", None)
            np.testing.assert_allclose(
                served.encode({"images": images.tolist()})["means"],
                vae.encode(images.reshape(100, 28, 28)), rtol=0,
                atol=TOLERANCE)
            served.close()
        np.testing.assert_allclose(call(page, "decode", codes),
                                   vae.decode(codes).reshape(100, 784),
                                   rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(call(page, "encode", images),
                                   vae.encode(images.reshape(100, 28, 28)),
                                   rtol=0, atol=TOLERANCE)
        if vae.has_labels:
            np.testing.assert_allclose(
                call(page, "classify", images),
                vae.classify(images.reshape(100, 28, 28)), rtol=0,
                atol=TOLERANCE)
        else:
            assert page.evaluate("window.vae.classify") is None
    assert page.requests == [] and page.errors == []
    page.context.close()


def move_over_the_map(page, dx, dy):
    box = page.locator("#latent-map").bounding_box()
    before = page.evaluate("window.explore.latencies.length")
    page.mouse.move(box["x"] + dx + .5, box["y"] + dy + .5)
    page.wait_for_function(f"window.explore.latencies.length > {before}")
    page.wait_for_timeout(100)  # let a queued move finish too


def slide_noise(page, value):
    page.evaluate("""(value) => { const slider = document.getElementById("std-noise");
      slider.value = String(value); slider.dispatchEvent(new Event("input")); }""", value)
    page.wait_for_function(f"window.explore.variationsNoise === {value}")
    return np.array(page.evaluate("window.explore.variations"))


class PageRandom:
    """The page's seeded draws, as network.js makes them: mulberry32's
    uniforms, Box-Muller's normals, below(n) a whole number under n."""

    def __init__(self, seed):
        self.state = seed

    def uniform(self):
        mask = 0xFFFFFFFF
        self.state = state = (self.state + 0x6D2B79F5) & mask
        t = ((state ^ (state >> 15)) * (1 | state)) & mask
        t = ((t + ((t ^ (t >> 7)) * (61 | t) & mask)) & mask) ^ t
        return (t ^ (t >> 14)) / 4294967296

    def normal(self):
        return np.sqrt(-2 * np.log(1 - self.uniform())) * np.cos(
            2 * np.pi * self.uniform())

    def below(self, n):
        return int(self.uniform() * n)


def uniforms(seed, count):
    """The page's uniform draws from `seed`."""
    random = PageRandom(seed)
    return np.array([random.uniform() for _ in range(count)])


def normals(seed, count):
    """The page's normal draws from `seed`."""
    random = PageRandom(seed)
    return np.array([random.normal() for _ in range(count)])


def game_codes(seed, n, n_test, z_dim):
    """The codes of the conditional model's tiles of a game of `n` of
    `seed`: the page's draws of the game (its places and test images,
    shuffled; then for each tile z ~ N(0, I) and one of the ten digits)."""
    random = PageRandom(seed)
    for i in range(n - 1, 0, -1):
        random.below(i + 1)
    for i in range(n - n // 2):
        random.below(n_test - i)
    return np.array([[random.normal() for _ in range(z_dim)] +
                     list(np.eye(10)[random.below(10)])
                     for _ in range(n // 2)])


@pytest.mark.parametrize("name", ["mlp", "conv"])
def test_the_map_and_the_noise_slider_work_from_the_file(
        browser, exported, name):
    item = exported[name]
    page = open_file(browser, item["output"])
    move_over_the_map(page, 300, 200)
    code = page.evaluate("window.explore.lastCode")
    calm, wild = slide_noise(page, 0.7), slide_noise(page, 1.4)
    assert page.inner_text("#std-noise-value") == "1.40"
    index = int(page.input_value("#digit-index"))
    image = np.array(page.evaluate(f"window.vaeBackend.vary({index}, 1.4, 1, 0)"
                                   ".then((answer) => answer.image)"))
    with vae_digits.load(item["checkpoint_dir"]) as vae:
        np.testing.assert_allclose(read_canvas(page, "decoded"),
                                   vae.decode(code).ravel(), atol=1.5 / 255.)
        # the blog's noise: z ~ N(mean, (std * exp(std_noise))^2)
        mean, std = vae.encode(image.reshape(28, 28), std=True)
        epsilon = normals(0, 25 * vae.z_dim).reshape(25, vae.z_dim)
        np.testing.assert_allclose(
            wild, vae.decode(mean + std * np.exp(1.4) * epsilon).reshape(25, 784),
            rtol=0, atol=TOLERANCE)
    assert calm.std(axis=0).mean() < wild.std(axis=0).mean()
    np.testing.assert_allclose(read_canvas(page, "variations", scale=3),
                               wild[0], atol=1.5 / 255.)
    assert page.requests == [] and page.errors == []
    page.context.close()


def test_the_bernoulli_models_noise_flips_bits_at_its_temperature(
        browser, exported):
    item = exported["bernoulli"]
    page = open_file(browser, item["output"])
    shown = {noise: slide_noise(page, noise) for noise in (0.7, 1.4)}
    index = int(page.input_value("#digit-index"))
    image = np.array(page.evaluate(f"window.vaeBackend.vary({index}, 1.4, 1, 0)"
                                   ".then((answer) => answer.image)"))
    with vae_digits.load(item["checkpoint_dir"]) as vae:
        p = vae.encode(image.reshape(28, 28)).astype(np.float64)
        logits = np.log(p) - np.log1p(-p)
        flips = []
        for noise, images in shown.items():
            # bits of Bernoulli(sigmoid(logits / e^std_noise))
            heated = 1 / (1 + np.exp(-logits / np.exp(noise)))
            bits = uniforms(0, 25 * vae.z_dim).reshape(25, vae.z_dim) < heated
            np.testing.assert_allclose(images, vae.decode(bits.astype(
                np.float32)).reshape(25, 784), rtol=0, atol=TOLERANCE)
            flips.append((bits != (p > .5)).mean())
    assert flips[0] < flips[1]  # more noise flips more bits
    assert "flips more bits" in page.inner_text("#noise-hint")
    assert page.requests == [] and page.errors == []
    page.context.close()


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_the_pages_elbo_is_vae_elbo_parts(browser, exported, name):
    item = exported[name]
    page = open_file(browser, item["output"])
    page.wait_for_function("window.explore.elbo")
    grey = read_real_test_digits()[0][600:602].reshape(2, 784) / 255.
    with vae_digits.load(item["checkpoint_dir"]) as vae:
        x_test, _ = vae_digits.data.load_test_set(vae.dataset, item["data"],
                                                  vae.binarized, 0)
        requests = [{"index": 0}, {"index": 7}] + [{"image": image.tolist()}
                                                   for image in grey]
        for request in requests:
            shown = page.evaluate("(request) => window.vaeBackend.elbo(request)",
                                  request)
            image = x_test[request["index"]] if "index" in request \
                else np.array(request["image"])
            parts = vae.elbo_parts(image.reshape(28, 28))
            for key in ("reconstruction", "kl", "elbo"):
                assert abs(shown[key] - parts[key]) < 1e-3, (request.keys(), key)
            for key in ("kl_per_dimension", "decodings", "image"):
                np.testing.assert_allclose(
                    np.reshape(shown[key], np.shape(parts[key])), parts[key],
                    rtol=0, atol=TOLERANCE)
    assert page.requests == [] and page.errors == []
    page.context.close()


def test_the_game_shows_test_images_and_drawn_ones_alike(browser, exported):
    item = exported["conditional"]
    page = open_file(browser, item["output"])
    answer = page.evaluate("window.vaeBackend.humanOrMachine(16, 8)")
    assert sum(answer["machine"]) == 8
    images, _ = read_real_test_digits()  # its test set: the first 500
    stored = (images[:500].reshape(-1, 784) / 255.).astype(np.float32)
    shown = _black_and_white(stored.astype(np.float64))
    for image, drawn in zip(answer["images"], answer["machine"]):
        assert set(image) <= {0, 1}
        if not drawn:  # one of the page's test images, as the server shows it
            assert (shown == np.array(image)).all(axis=1).any()
    # the model's tiles: its decodings of the game's own draws, each of a
    # digit drawn from all ten (two 9s in this game)
    with vae_digits.load(item["checkpoint_dir"]) as vae:
        codes = game_codes(8, 16, 500, vae.z_dim)
        expected = _black_and_white(vae.decode(codes).reshape(8, 784))
    assert 9 in codes[:, -10:].argmax(axis=1)
    tiles = np.array(answer["images"])[np.array(answer["machine"])]
    assert ((tiles != expected).sum(axis=1) <= 2).all()
    assert page.evaluate("window.vaeBackend.humanOrMachine(16, 8)") == answer
    for i in (0, 3, 5):
        page.click(f"#hom-{i}")
    page.click("#hom-check")
    machine = page.evaluate("window.explore.game.machine")
    right = sum(m == (i in (0, 3, 5)) for i, m in enumerate(machine))
    assert page.inner_text("#hom-score").startswith(f"You got {right} of 16 right")
    page.click("#digit-7")
    page.wait_for_function("document.getElementById('chosen-caption')"
                           ".textContent.startsWith('the digit 7')")
    assert page.requests == [] and page.errors == []
    page.context.close()


def test_float16_weights_halve_the_file_within_a_pixel_level(
        browser, exported, tmp_path):
    item = exported["conv"]
    output = str(tmp_path / "conv16.html")
    line = run_export("--checkpoint-dir", item["checkpoint_dir"],
                      "--data-path", item["data"], "--output", output,
                      "--float16")
    assert os.path.getsize(output) < 0.6 * os.path.getsize(item["output"])
    page = open_file(browser, output)
    # the codes the export measures on: its figure is what the page's
    # float16 weights cost, seen in the page
    codes = np.random.RandomState(0).randn(html.ERROR_CODES, 2).astype(
        np.float32)
    with vae_digits.load(item["checkpoint_dir"]) as vae:
        expected = vae.decode(codes).reshape(-1, 784)
    error = np.abs(call(page, "decode", codes) - expected).max()
    reported = float(re.search(r"float16 weights, pixels within (\S+) of "
                               r"float32's", line).group(1))
    assert 1e-5 < error < 1 / 255. and reported == pytest.approx(error, rel=0.1)
    assert page.requests == [] and page.errors == []
    page.context.close()


def test_float16_is_refused_where_it_costs_a_pixel_level(
        exported, tmp_path, monkeypatch, capsys):
    # no trained model here costs 1/255: a limit of 1/100000 stands for
    # it, which the float16 weights of the mlp model do cost (float32's
    # do not), measured by the export itself
    monkeypatch.setattr(html, "FLOAT16_LIMIT", 1e-5)
    output = tmp_path / "page.html"
    assert_one_line_error(capsys, lambda: export.main(
        ["--checkpoint-dir", exported["mlp"]["checkpoint_dir"], "--data-path",
         exported["mlp"]["data"], "--output", str(output), "--float16"]), 1,
        "float16 weights change the mlp model's pixels by up to ",
        "e-0", ", more than 1/100000; export it without --float16.")
    assert os.listdir(tmp_path) == []


def test_a_model_outside_the_package_is_sent_to_savedmodel():
    with pytest.raises(UserError, match="export it with --format savedmodel"):
        networks.network(dataclasses.make_dataclass("Vae", ["model"])("my_vae"))


def test_by_default_it_goes_beside_the_models_pictures(
        exported, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    export.main(["--checkpoint-dir", exported["mlp"]["checkpoint_dir"],
                 "--data-path", exported["mlp"]["data"], "--images", "20",
                 "--format", "html"])
    [name] = os.listdir(tmp_path / "results")
    output = os.path.join("results", name, "export", "vae.epoch.2.html")
    assert os.path.isfile(output)
    out = capsys.readouterr().out
    assert out.startswith("Wrote a page of 20 test images") and f" to {output}; " in out
    assert FORMATS["html"].test_images == 500
