"""The explore page in a real browser, with a mouse: the map decodes the
point under the pointer, a drawing is normalised as MNIST's digits were and
encoded, the noise slider and the game, and the conditional model's
digits (the chosen one large, its tile in the row outlined, the map
decoding with it). (Phones, keyboards and the accessibility check:
test_explore_access.py.)"""
import numpy as np

import vae_digits
from tests.browser import map_point, open_page, read_canvas, under_the_finger
from tests.helpers import ExploreServer as Server
from tests.helpers import judge_digits


def test_the_pointer_over_the_map_draws_that_points_decoding(
        browser, conv_server, served_conv_dir):
    page = open_page(browser, conv_server)
    box = page.locator("#latent-map").bounding_box()
    latent = conv_server.request("GET", "/api/latent")[1]
    seen = []
    for dx, dy in ((120, 150), (300, 330), (420, 110)):
        before = page.evaluate("window.explore.latencies.length")
        page.mouse.move(box["x"] + dx + .5, box["y"] + dy + .5)
        page.wait_for_function(f"window.explore.latencies.length > {before}")
        page.wait_for_timeout(100)  # let a queued move finish too
        code = page.evaluate("window.explore.lastCode")
        seen.append((code, read_canvas(page, "decoded")))
        # the point under the pointer, to a thousandth of the map
        under = under_the_finger(page, box["x"] + dx + .5, box["y"] + dy + .5)
        np.testing.assert_allclose(code, np.array(latent["mean"]) + map_point(
            page, latent, *under) @ np.array(latent["components"]),
            atol=1e-3 * latent["limit"])
    with vae_digits.load(served_conv_dir) as vae:
        for code, pixels in seen:
            np.testing.assert_allclose(pixels, vae.decode(code).ravel(),
                                       atol=1.5 / 255.)
    assert len({tuple(code) for code, _ in seen}) == 3
    # a mouse click marks an end; the second gives the way between them
    page.mouse.click(box["x"] + 120, box["y"] + 150)
    page.mouse.click(box["x"] + 420, box["y"] + 110)
    page.wait_for_function("document.getElementById('interpolation-caption')"
                           ".textContent.startsWith('from the first')")
    ends = page.evaluate("window.explore.ends")
    with vae_digits.load(served_conv_dir) as vae:
        first = np.array(latent["mean"]) + np.array(ends[0]) @ np.array(latent["components"])
        np.testing.assert_allclose(read_canvas(page, "interpolation", scale=2),
                                   vae.decode(first).ravel(), atol=1.5 / 255.)
    assert page.errors == []
    page.close()


def ink_box(image):
    rows, columns = np.nonzero(np.reshape(image, (28, 28)) > 0.1)
    return rows.min(), rows.max(), columns.min(), columns.max()


def test_a_stroke_down_the_pad_is_a_one_scaled_and_centred_as_mnist(
        browser, conv_server, served_conv_dir):
    page = open_page(browser, conv_server)
    page.locator("#draw-pad").scroll_into_view_if_needed()
    pad = page.locator("#draw-pad").bounding_box()
    # a mouse that only hovers draws nothing
    for step in range(10):
        page.mouse.move(pad["x"] + 30 + 20 * step, pad["y"] + 200)
    page.wait_for_timeout(200)
    assert page.evaluate("window.explore.strokes.length") == 0
    assert read_canvas(page, "draw-pad").max() == 0
    # a short stroke down the left of the pad: a 1 (rows, not columns)
    page.mouse.move(pad["x"] + 60, pad["y"] + 40)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(pad["x"] + 62, pad["y"] + 40 + 10 * step)
    page.mouse.up()
    page.wait_for_function("window.explore.padVersion > 0 && "
                           "window.explore.encodedVersion === window.explore.padVersion")
    top, bottom, left, right = ink_box(read_canvas(page, "draw-pad"))
    assert bottom - top >= 8 and right - left <= 3 and right < 10
    normalised = np.array(page.evaluate("Array.from(window.explore.pad)"))
    np.testing.assert_allclose(read_canvas(page, "draw-normalised"), normalised,
                               atol=1.5 / 255.)
    top, bottom, left, right = ink_box(normalised)
    assert 18 <= bottom - top + 1 <= 21 and right - left + 1 <= 5
    rows, columns = np.mgrid[:28, :28] + 0.5
    weights = normalised.reshape(28, 28) / normalised.sum()
    assert abs((weights * rows).sum() - 14) < 0.5
    assert abs((weights * columns).sum() - 14) < 0.5
    with vae_digits.load(served_conv_dir) as vae:
        means = vae.encode(normalised.reshape(28, 28))[0]
        reconstruction = vae.reconstruct(normalised.reshape(28, 28))[0]
    np.testing.assert_allclose(page.evaluate("window.explore.drawnMeans"),
                               means, atol=2e-3)
    np.testing.assert_allclose(read_canvas(page, "draw-reconstruction"),
                               reconstruction.ravel(), atol=2 / 255.)
    page.close()


def test_the_noise_slider_redraws_the_digits_variations(browser,
                                                        conv_server):
    page = open_page(browser, conv_server)
    page.wait_for_function("window.explore.variationsNoise === 0.7")
    page.evaluate("""() => {
      const slider = document.getElementById("std-noise");
      slider.value = "1.4";
      slider.dispatchEvent(new Event("input"));
    }""")
    assert page.inner_text("#std-noise-value") == "1.40"
    page.wait_for_function("window.explore.variationsNoise === 1.4")
    status, expected = conv_server.request("POST", "/api/vary", {
        "index": 3, "std_noise": 1.4, "n": 25, "seed": 0})
    np.testing.assert_allclose(page.evaluate("window.explore.variations"),
                               expected["images"], atol=1e-9)
    np.testing.assert_allclose(read_canvas(page, "variations", scale=3),
                               expected["images"][0], atol=1.5 / 255.)
    page.close()


def test_human_or_machine_counts_what_you_got_right(browser, conv_server):
    page = open_page(browser, conv_server)
    for i in (0, 3, 5):
        page.click(f"#hom-{i}")
    assert page.get_attribute("#hom-3", "aria-pressed") == "true"
    assert page.get_attribute("#hom-4", "aria-pressed") == "false"
    page.click("#hom-check")
    machine = page.evaluate("window.explore.game.machine")
    marked = [i in (0, 3, 5) for i in range(16)]
    right = sum(m == k for m, k in zip(machine, marked))
    assert page.inner_text("#hom-score").startswith(
        f"You got {right} of 16 right")
    assert sum(machine) == 8
    # the model's tiles are outlined, inside their own tile
    for i, drawn in enumerate(machine):
        assert ("machine" in page.get_attribute(f"#hom-{i}", "class")) == drawn
    tile = page.locator(f"#hom-{machine.index(True)}")
    outline = tile.evaluate("(t) => { const s = getComputedStyle(t, '::after');"
                            " return [s.top, s.left, s.right, s.bottom]; }")
    assert all(float(side.rstrip("px")) >= 0 for side in outline)
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
                "document.getElementById('chosen-caption').textContent"
                ".startsWith('the digit 7')")
            page.wait_for_timeout(100)
            drawn = np.array(page.evaluate("window.explore.drawnDigit"))
            np.testing.assert_allclose(read_canvas(page, "chosen-digit"), drawn,
                                       atol=1.5 / 255.)
            sevens.append(drawn)
        assert judge_digits(np.array(sevens)) == 7
        # the choice shows in the view: its tile outlined in the row, and
        # the map's image under the cursor (the centre) decoded with a 7
        row, mark = (page.locator(v).bounding_box() for v in ("#conditioned", "#chosen-mark"))
        assert abs(mark["x"] - (row["x"] + 0.7 * row["width"])) < 3
        assert abs(mark["width"] - row["width"] / 10) < 3 and abs(mark["y"] - row["y"]) < 3
        latent = server.request("GET", "/api/latent")[1]
        centre = latent["mean"] + [float(k == 7) for k in range(10)]
        page.wait_for_function("window.explore.lastCode[window.explore.lastCode.length - 3] === 1")
        page.wait_for_timeout(100)
        np.testing.assert_allclose(page.evaluate("window.explore.lastCode"), centre, atol=1e-9)
        np.testing.assert_allclose(read_canvas(page, "decoded"), server.request(
            "POST", "/api/decode", {"codes": [centre]})[1]["images"][0], atol=2 / 255.)
        assert "digit 7" in page.inner_text("#decoded-caption")
        assert page.is_visible("#digit-0") and page.is_visible("#new-style")
        assert not page.is_visible("#std-noise")
        box = page.locator("#latent-map").bounding_box()
        before = page.evaluate("window.explore.latencies.length")
        page.mouse.move(box["x"] + 301.5, box["y"] + 201.5)
        page.wait_for_function(f"window.explore.latencies.length > {before}")
        page.wait_for_timeout(100)
        under = under_the_finger(page, box["x"] + 301.5, box["y"] + 201.5)
        z = np.array(latent["mean"]) + map_point(page, latent, *under) @ \
            np.array(latent["components"])
        expected = np.concatenate([z, np.eye(10)[7]])
        np.testing.assert_allclose(page.evaluate("window.explore.lastCode"),
                                   expected, atol=1e-3 * latent["limit"])
        with vae_digits.load(trained_conditional["checkpoint_dir"]) as vae:
            np.testing.assert_allclose(read_canvas(page, "decoded"),
                                       vae.decode(expected).ravel(),
                                       atol=0.1)
        page.close()
    finally:
        server.stop()
