"""What the explore page shows a user after each thing they do: a bad
index's error beside its box (read out, the grid kept), a marked tile of
the game told apart from the focus ring, the map readable on a phone
with a first decoding before any touch, and a drawing made with the
keyboard alone. (The conditional view's digit choice seen in the view
itself: test_explore_page.py.)"""
import numpy as np

import vae_digits
from tests.browser import PHONE, open_page, read_canvas


def box_of(page, selector):
    return page.locator(selector).bounding_box()


def test_a_bad_index_shows_its_error_beside_the_box_and_keeps_the_grid(
        browser, conv_server):
    page = open_page(browser, conv_server)
    page.wait_for_function("window.explore.variationsNoise === 0.7")
    page.wait_for_timeout(200)
    grid = read_canvas(page, "variations", scale=3)
    page.fill("#digit-index", "99999")
    page.press("#digit-index", "Enter")
    note = page.locator("#digit-index-error")
    note.wait_for(timeout=5000)
    assert note.inner_text() == "index must be a test image, 0 to 499, got 99999."
    assert note.get_attribute("aria-live") in ("assertive", "polite")
    assert page.get_attribute("#digit-index", "aria-invalid") == "true"
    assert page.get_attribute("#digit-index", "aria-describedby") == "digit-index-error"
    # beside the box, on its line, not at the top of the page
    field, beside = box_of(page, "#digit-index"), box_of(page, "#digit-index-error")
    assert abs((field["y"] + field["height"] / 2) - (beside["y"] + beside["height"] / 2)) < 20
    assert 0 <= beside["x"] - (field["x"] + field["width"]) < 100
    assert page.is_hidden("#error")
    page.wait_for_timeout(300)
    np.testing.assert_array_equal(read_canvas(page, "variations", scale=3), grid)
    # a good index clears it and draws its own grid
    page.fill("#digit-index", "7")
    page.press("#digit-index", "Enter")
    page.wait_for_function("document.getElementById('digit-index-error').textContent === ''")
    assert page.get_attribute("#digit-index", "aria-invalid") is None
    expected = conv_server.request("POST", "/api/vary", {
        "index": 7, "std_noise": 0.7, "n": 25, "seed": 0})[1]["images"]
    page.wait_for_function("window.explore.noiseIndex === 7")
    page.wait_for_timeout(300)
    np.testing.assert_allclose(read_canvas(page, "variations", scale=3),
                               expected[0], atol=1.5 / 255.)
    assert page.errors == []
    page.close()


def rgb(css):
    """(r, g, b) of a computed colour, 'rgb(r, g, b)'."""
    return np.array([float(v) for v in css[css.index("(") + 1:-1].split(",")[:3]])


def hue(colour):
    r, g, b = colour / 255
    top, low = max(r, g, b), min(r, g, b)
    if top == low:
        return 0.
    h = ((g - b) / (top - low)) % 6 if top == r else \
        (b - r) / (top - low) + 2 if top == g else (r - g) / (top - low) + 4
    return 60 * h


def test_a_marked_tile_and_the_focus_ring_differ_in_colour_and_shape(
        browser, conv_server):
    page = open_page(browser, conv_server)
    page.click("#hom-1")  # marked, then the focus moves on by keyboard
    page.focus("#clear-pad")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "hom-0"
    style = """([id, pseudo]) => { const s = getComputedStyle(
      document.getElementById(id), pseudo);
      return {outline: s.outlineStyle, outlineColor: s.outlineColor,
              offset: s.outlineOffset, border: s.borderTopColor,
              content: s.content}; }"""
    focused = page.evaluate(style, ["hom-0", None])
    marked = page.evaluate(style, ["hom-1", None])
    assert page.get_attribute("#hom-1", "aria-pressed") == "true"
    assert focused["outline"] != "none" and marked["outline"] == "none"
    ring, border = rgb(focused["outlineColor"]), rgb(marked["border"])
    assert np.linalg.norm(ring - border) > 120
    gap = abs(hue(ring) - hue(border))
    assert min(gap, 360 - gap) > 90
    # shape: the ring lies outside the tile; the mark is a check mark in
    # its corner, which an unmarked tile with the focus lacks
    assert float(focused["offset"].rstrip("px")) > 0
    assert page.evaluate(style, ["hom-1", "::before"])["content"] not in ("none", "normal")
    assert page.evaluate(style, ["hom-0", "::before"])["content"] in ("none", "normal")
    page.close()


# rows of the map under its box (the tick labels, then the x axis's name):
# True where a row holds ink
INK_ROWS = """() => {
  const map = document.getElementById("latent-map");
  const top = map.height - 44 + 2, width = 80;
  const data = map.getContext("2d").getImageData(map.width / 2 - width / 2, top,
                                                  width, 40).data;
  const rows = [];
  for (let r = 0; r < 40; r++) {
    let ink = false;
    for (let x = 0; x < width; x++) ink = ink || data[4 * (r * width + x)] < 128;
    rows.push(ink);
  }
  return {rows, scale: map.clientWidth / map.width};
}"""


def first_run(flags):
    """The length of the first run of True in `flags`."""
    start = flags.index(True)
    return (flags[start:] + [False]).index(False)


def test_on_a_phone_the_map_reads_and_shows_its_centre_before_a_touch(
        browser, conv_server, served_conv_dir):
    page = open_page(browser, conv_server, **PHONE)
    # the tick label "0" under the map: at least 8 CSS pixels tall
    ink = page.evaluate(INK_ROWS)
    assert ink["scale"] < 0.8  # the phone does shrink the map
    assert first_run(ink["rows"]) * ink["scale"] >= 8
    # the legend fits the screen, with no digit alone on a row
    boxes = [page.locator("#legend li").nth(k).bounding_box() for k in range(10)]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes)
    rows = {}
    for b in boxes:
        rows.setdefault(round(b["y"]), []).append(b)
    assert min(len(row) for row in rows.values()) >= 2
    # before any touch: the map's centre decoded, and a hint
    page.wait_for_function("window.explore.lastCode !== null")
    page.wait_for_timeout(200)
    latent = conv_server.request("GET", "/api/latent")[1]
    np.testing.assert_allclose(page.evaluate("window.explore.lastCode"),
                               latent["mean"], atol=1e-9)
    with vae_digits.load(served_conv_dir) as vae:
        centre = vae.decode(np.array(latent["mean"])).ravel()
    np.testing.assert_allclose(read_canvas(page, "decoded"), centre, atol=2 / 255.)
    assert centre.max() > 0.5
    assert "move" in page.inner_text("#decoded-caption")
    assert page.evaluate("window.explore.latencies.length") == 0
    # and the strip says what will show there
    strip = page.evaluate("""() => { const c = document.getElementById("interpolation");
      return Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data); }""")
    assert max(strip[0::4]) > 128
    assert page.errors == []
    page.close()


def test_a_digit_drawn_with_the_keyboard_alone(browser, conv_server, served_conv_dir):
    page = open_page(browser, conv_server)
    label = page.get_attribute("#draw-pad", "aria-label")
    assert "arrow keys" in label and "Space" in label
    for _ in range(40):  # Tab to the pad, as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "draw-pad":
            break
    assert page.evaluate("document.activeElement.id") == "draw-pad"
    for _ in range(10):  # the cursor from the centre up a quarter of the pad
        page.keyboard.press("ArrowUp")
    assert page.is_visible("#pad-cursor")
    assert page.evaluate("window.explore.strokes.length") == 0  # the pen is up
    page.keyboard.down("Space")  # down the pad with Space held: a 1
    for _ in range(20):
        page.keyboard.press("ArrowDown")
    page.keyboard.up("Space")
    assert "pen up" in page.inner_text("#pad-status")
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # the pen up: nothing drawn
    strokes = page.evaluate("window.explore.strokes")
    assert len(strokes) == 1
    np.testing.assert_allclose(strokes[0], [[0.5, 0.25 + k / 40] for k in range(21)],
                               atol=1e-9)
    page.wait_for_function("window.explore.padVersion > 0 && "
                           "window.explore.encodedVersion === window.explore.padVersion")
    pad = read_canvas(page, "draw-pad").reshape(28, 28)
    rows, columns = np.nonzero(pad > 0.5)
    assert rows.min() >= 6 and rows.max() <= 21 and columns.min() >= 12 and columns.max() <= 15
    normalised = np.array(page.evaluate("Array.from(window.explore.pad)"))
    with vae_digits.load(served_conv_dir) as vae:
        means = vae.encode(normalised.reshape(28, 28))[0]
    np.testing.assert_allclose(page.evaluate("window.explore.drawnMeans"), means, atol=2e-3)
    # Enter puts the pen down and lifts it; Delete clears the pad
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Enter")
    strokes = page.evaluate("window.explore.strokes")
    assert len(strokes) == 2
    np.testing.assert_allclose(strokes[1], [[0.6 - k / 8, 0.75] for k in range(4)],
                               atol=1e-9)
    page.keyboard.press("Delete")
    assert page.evaluate("window.explore.strokes.length") == 0
    page.keyboard.press("Tab")
    assert page.is_hidden("#pad-cursor")
    assert page.errors == []
    page.close()
