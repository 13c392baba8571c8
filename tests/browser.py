"""Driving the explore page in Debian's Chromium, headless, through
Playwright for Python (launched with its executable_path: no browser is
downloaded): opening a page, reading a 28x28 image back from a canvas,
seeding the page's Math.random. Tests that use it skip, with the reason,
where Chromium or Playwright is missing: `apt-get install chromium` and
`pip install -e ".[test]"` bring them."""
import os
import shutil

import numpy as np
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root, with no network: no sandbox, nothing in the background.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True,
         "is_mobile": True, "device_scale_factor": 2}
TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True,
          "is_mobile": True}

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

# Math.random from a fixed seed (mulberry32), before the page's scripts run.
SEEDED_RANDOM = """(() => {
  let seed = 12345;
  Math.random = () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();"""


def launch(playwright):
    """Debian's Chromium, or a skip saying how to get it."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def open_page(browser, server, **options):
    """A page of `server`, seeded, once it is ready; page.errors collects
    the page's uncaught errors."""
    options.setdefault("viewport", {"width": 1100, "height": 2400})
    page = browser.new_page(**options)
    page.add_init_script(SEEDED_RANDOM)
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



MAP_MARGIN = 44  # map.js's MARGIN: the canvas pixels around the plane


def map_point(page, latent, x, y):
    """The plane's point at (x, y) of the map canvas's own pixels."""
    size = page.evaluate("document.getElementById('latent-map').width") \
        - 2 * MAP_MARGIN
    limit = latent["limit"]
    return np.array([(x - MAP_MARGIN) / size * 2 * limit - limit,
                     limit - (y - MAP_MARGIN) / size * 2 * limit])


def map_pixel(page, latent, points):
    """The map canvas's own pixels (x, y) of the plane's `points` [n, 2]:
    x to the right, y up."""
    size = page.evaluate("document.getElementById('latent-map').width") \
        - 2 * MAP_MARGIN
    limit, points = latent["limit"], np.asarray(points, np.float64)
    return MAP_MARGIN + np.stack([points[:, 0] + limit, limit - points[:, 1]],
                                 axis=1) / (2 * limit) * size


def under_the_finger(page, x, y):
    """The map canvas's own pixel under (x, y) of the viewport, from the
    canvas's box on the page and its border: the page may show its 520
    pixels at any size (a phone shrinks them)."""
    box = page.locator("#latent-map").bounding_box()
    width, height, left, top, right, bottom = page.evaluate(
        """() => { const map = document.getElementById("latent-map"),
                          style = getComputedStyle(map);
          return [map.width, map.height].concat(["Left", "Top", "Right",
            "Bottom"].map((side) => parseFloat(style[`border${side}Width`]))); }""")
    return np.array([(x - box["x"] - left) * width / (box["width"] - left - right),
                     (y - box["y"] - top) * height / (box["height"] - top - bottom)])


def last_dot_over(centres, pixels):
    """For each pixel (x, y) of `pixels`, the last of the dots at `centres`
    (drawn in order, each a 2.5-pixel square from 1 pixel up and left of
    its centre) that reaches it, and whether that one covers it whole
    (else its colour is blended with what lay under it)."""
    low = centres[None, :, :] - 1.  # [pixel, dot, axis]
    high = low + 2.5
    pixel = pixels[:, None, :]
    reaches = ((low < pixel + 1) & (high > pixel)).all(axis=2)
    covers = ((low <= pixel) & (high >= pixel + 1)).all(axis=2)
    last = len(centres) - 1 - np.argmax(reaches[:, ::-1], axis=1)
    return last, covers[np.arange(len(pixels)), last]


READ_COLOURS = """(pixels) => { const base = window.explore.base,
    data = base.getContext("2d").getImageData(0, 0, base.width, base.height).data;
  return pixels.map(([x, y]) => "#" + Array.from(data.slice(
    4 * (y * base.width + x), 4 * (y * base.width + x) + 3),
    (v) => v.toString(16).padStart(2, "0")).join("")); }"""


def dots_in_their_colours(page, latent):
    """Whether the map the page drew (its dots, under the cursor and the
    rings) shows, at the pixel of each dot of `latent` (the API's map),
    the colour of its digit, or of the dot drawn over it: for each dot
    whose pixel the last dot over it covers whole."""
    centres = map_pixel(page, latent, latent["points"])
    pixels = np.floor(centres).astype(int)
    shown = np.array(page.evaluate(READ_COLOURS, pixels.tolist()))
    last, whole = last_dot_over(centres, pixels)
    colours = np.array(page.evaluate("COLOURS"))
    return (shown == colours[np.array(latent["labels"])[last] % 10])[whole]
