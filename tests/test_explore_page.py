"""The explore page in a real browser: Debian's Chromium, headless, driven
by Playwright for Python (launched with its executable_path: no browser is
downloaded). Skipped, with the reason, where either is missing:
`apt-get install chromium` and `pip install -e ".[test]"` bring them."""
import os
import shutil

import numpy as np
import pytest

import vae_digits
from tests.helpers import ExploreServer as Server
from tests.helpers import judge_digits

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed "
    "(pip install -e \".[test]\")")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")

# Chromium as root, with no network: no sandbox, nothing in the background.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

READ_CANVAS = """([id, x, y, scale]) => {
  const canvas = document.getElementById(id);
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                                                    canvas.height).data;
  const pixels = [];
  for (let row = 0; row < 28; row++) {
    for (let column = 0; column < 28; column++) {
      const px = Math.floor(x + (column + 0.5) * scale);
      const py = Math.floor(y + (row + 0.5) * scale);
      pixels.push(data[4 * (py * canvas.width + px)] / 255);
    }
  }
  return pixels;
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def conv_server(served_conv_dir):
    server = Server("--checkpoint-dir", served_conv_dir)
    yield server
    server.stop()


def open_page(browser, server):
    page = browser.new_page(viewport={"width": 1100, "height": 2400})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url)
    page.wait_for_function("window.explore && window.explore.ready",
                           timeout=60000)
    page.errors = errors
    return page


def read_canvas(page, canvas_id, x=0, y=0, scale=None):
    """A 28x28 image drawn on a canvas at (x, y), `scale` pixels a pixel."""
    if scale is None:
        scale = page.evaluate(f"document.getElementById('{canvas_id}').width / 28")
    return np.array(page.evaluate(READ_CANVAS, [canvas_id, x, y, scale]))


def test_the_pointer_over_the_map_draws_that_points_decoding(
        browser, conv_server, served_conv_dir):
    page = open_page(browser, conv_server)
    box = page.locator("#latent-map").bounding_box()
    seen = []
    for dx, dy in ((120, 150), (300, 330), (420, 110)):
        before = page.evaluate("window.explore.latencies.length")
        page.mouse.move(box["x"] + dx, box["y"] + dy)
        page.wait_for_function(f"window.explore.latencies.length > {before}")
        page.wait_for_timeout(100)  # let a queued move finish too
        code = page.evaluate("window.explore.lastCode")
        seen.append((code, read_canvas(page, "decoded")))
    with vae_digits.load(served_conv_dir) as vae:
        for code, pixels in seen:
            np.testing.assert_allclose(pixels, vae.decode(code).ravel(),
                                       atol=1.5 / 255.)
    # three different points of the plane, three different codes
    assert len({tuple(code) for code, _ in seen}) == 3
    latencies = page.evaluate("window.explore.latencies")
    assert all(0 < latency < 60000 for latency in latencies)
    assert page.errors == []
    page.close()


def test_a_drawing_gets_its_marker_and_reconstruction(browser, conv_server,
                                                      served_conv_dir):
    page = open_page(browser, conv_server)
    page.locator("#draw-pad").scroll_into_view_if_needed()
    pad = page.locator("#draw-pad").bounding_box()
    page.mouse.move(pad["x"] + 150, pad["y"] + 40)
    page.mouse.down()
    for step in range(1, 21):  # a stroke down the middle: a 1
        page.mouse.move(pad["x"] + 145, pad["y"] + 40 + 10 * step)
    page.mouse.up()
    page.wait_for_function("window.explore.drawnPoint !== null")
    page.wait_for_timeout(500)  # the last stroke's answer
    drawn = np.array(page.evaluate("Array.from(window.explore.pad)"))
    assert drawn.max() == 1. and (drawn > 0).sum() > 20
    with vae_digits.load(served_conv_dir) as vae:
        means = vae.encode(drawn.reshape(28, 28))[0]
        reconstruction = vae.reconstruct(drawn.reshape(28, 28))[0]
    np.testing.assert_allclose(page.evaluate("window.explore.drawnPoint"),
                               means, atol=1e-3)
    np.testing.assert_allclose(read_canvas(page, "draw-reconstruction"),
                               reconstruction.ravel(), atol=1.5 / 255.)
    # the marker: a red ring on the map where the code lies
    red = page.evaluate("""() => {
      const canvas = document.getElementById("latent-map");
      const [x, y] = [window.explore.drawnPoint].map(p => {
        const size = canvas.width - 88, limit = window.explore.latent.limit;
        return [44 + (p[0] + limit) / (2 * limit) * size,
                44 + (limit - p[1]) / (2 * limit) * size];
      })[0];
      const data = canvas.getContext("2d").getImageData(x - 12, y - 12, 24,
                                                        24).data;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] > 180 && data[i + 1] < 60 && data[i + 2] < 60) red++;
      }
      return red;
    }""")
    assert red > 20
    page.close()


def test_the_noise_slider_redraws_the_digits_variations(browser,
                                                        conv_server):
    page = open_page(browser, conv_server)
    page.wait_for_function("window.explore.variations !== undefined")
    before = page.evaluate("window.explore.variations")
    page.evaluate("""() => {
      const slider = document.getElementById("std-noise");
      slider.value = "1.4";
      slider.dispatchEvent(new Event("input"));
    }""")
    page.wait_for_function(
        "document.getElementById('std-noise-value').textContent === '1.40'")
    page.wait_for_function("JSON.stringify(window.explore.variations) !== "
                           "{!r}".format(str(before).replace(" ", "")))
    status, expected = conv_server.request("POST", "/api/vary", {
        "index": 3, "std_noise": 1.4, "n": 25, "seed": 0})
    after = page.evaluate("window.explore.variations")
    np.testing.assert_allclose(after, expected["images"], atol=1e-9)
    # the first of the 5 x 5 grid, as drawn
    np.testing.assert_allclose(read_canvas(page, "variations", scale=3),
                               expected["images"][0], atol=1.5 / 255.)
    page.close()


def test_human_or_machine_counts_what_you_got_right(browser, conv_server):
    page = open_page(browser, conv_server)
    for i in (0, 3, 5):
        page.click(f"#hom-{i}")
    page.click("#hom-check")
    machine = page.evaluate("window.explore.game.machine")
    marked = [i in (0, 3, 5) for i in range(16)]
    right = sum(m == k for m, k in zip(machine, marked))
    assert page.inner_text("#hom-score").startswith(
        f"You got {right} of 16 right")
    assert sum(machine) == 8
    page.close()


def test_the_conditional_page_draws_the_digit_asked_for(
        browser, trained_conditional):
    server = Server("--checkpoint-dir", trained_conditional["checkpoint_dir"],
                    "--data-path", trained_conditional["data"])
    try:
        page = open_page(browser, server)
        sevens = []
        for _ in range(7):
            page.click("#new-style")
            page.click("#digit-7")
            page.wait_for_function(
                "document.getElementById('decoded-caption').textContent"
                ".startsWith('the digit 7')")
            page.wait_for_timeout(100)
            drawn = np.array(page.evaluate("window.explore.drawnDigit"))
            np.testing.assert_allclose(read_canvas(page, "decoded"), drawn,
                                       atol=1.5 / 255.)
            sevens.append(drawn)
        assert judge_digits(np.array(sevens)) == 7
        assert page.is_visible("#digit-0") and page.is_visible("#new-style")
        assert not page.is_visible("#std-noise")
        # z in 10-D: a point of the map is z = mean + x c1 + y c2 of the
        # principal axes /api/latent gives, followed by the chosen digit
        latent = server.request("GET", "/api/latent")[1]
        box = page.locator("#latent-map").bounding_box()
        before = page.evaluate("window.explore.latencies.length")
        page.mouse.move(box["x"] + 300.5, box["y"] + 200.5)
        page.wait_for_function(f"window.explore.latencies.length > {before}")
        page.wait_for_timeout(100)
        size, limit = 520 - 2 * 44, latent["limit"]
        point = np.array([(300 - 44) / size * 2 * limit - limit,
                          limit - (200 - 44) / size * 2 * limit])
        z = np.array(latent["mean"]) + point @ np.array(latent["components"])
        expected = np.concatenate([z, np.eye(10)[7]])
        np.testing.assert_allclose(page.evaluate("window.explore.lastCode"),
                                   expected, atol=0.02 * limit)
        with vae_digits.load(trained_conditional["checkpoint_dir"]) as vae:
            np.testing.assert_allclose(read_canvas(page, "decoded"),
                                       vae.decode(expected).ravel(),
                                       atol=0.1)
        page.close()
    finally:
        server.stop()
