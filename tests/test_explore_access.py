"""The explore page on phones and keyboards, for each model: nothing
scrolls sideways at 390 x 844 or 768 x 1024, a finger over the map decodes
under it and a tap marks nothing, every control is reached by Tab in
order, the map's cursor moves by the arrow keys, a whole game is played
from the keyboard, axe-core finds no serious or critical violation, the
noise slider ends at its last value and a good request clears the error
line."""
import numpy as np
import pytest

import vae_digits
from tests.browser import (
    PHONE,
    TABLET,
    dots_in_their_colours,
    map_point,
    open_page,
    read_canvas,
    under_the_finger,
)
from tests.helpers import ExploreServer

MODELS = ["mlp", "conv", "conditional"]


@pytest.fixture(scope="module", params=MODELS)
def model_server(request, served_mlp_dir, served_conv_dir, trained_conditional,
                 small_mnist):
    directory = {"mlp": served_mlp_dir, "conv": served_conv_dir,
                 "conditional": trained_conditional["checkpoint_dir"]}[request.param]
    extra = ["--data-path", trained_conditional["data"]] \
        if request.param == "conditional" else []
    server = ExploreServer("--checkpoint-dir", str(directory), *extra)
    server.directory = str(directory)
    server.data = trained_conditional["data"] \
        if request.param == "conditional" else small_mnist
    yield server
    server.stop()


@pytest.mark.parametrize("device", [PHONE, TABLET], ids=["phone", "tablet"])
def test_nothing_scrolls_sideways_and_the_views_fit(browser, model_server, device):
    page = open_page(browser, model_server, **device)
    width = device["viewport"]["width"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    for view in ("#latent-map", "#decoded", "#draw-pad", "#human-or-machine",
                 "#interpolation", "#mark-end"):
        box = page.locator(view).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, view
    # on a phone the decoded image sits above the map: both in one screen
    decoded, map_box = (page.locator(v).bounding_box() for v in ("#decoded", "#latent-map"))
    assert decoded["y"] + decoded["height"] <= map_box["y"] or \
        decoded["x"] >= map_box["x"] + map_box["width"]
    assert map_box["y"] + map_box["height"] <= device["viewport"]["height"]
    page.close()


def touch(session, kind, points):
    session.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})


def test_a_finger_over_the_map_decodes_under_it_and_a_tap_marks_nothing(
        browser, model_server):
    page = open_page(browser, model_server, **PHONE)
    box = page.locator("#latent-map").bounding_box()
    session = page.context.new_cdp_session(page)
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    touch(session, "touchStart", [(x, y)])
    for step in range(1, 6):
        touch(session, "touchMove", [(x + 20 * step, y + 15 * step)])
    touch(session, "touchEnd", [])
    page.wait_for_timeout(300)
    page.wait_for_function("window.explore.latencies.length >= 2")
    page.wait_for_timeout(300)
    # the cursor under the finger: the page shows the map's 520 pixels
    # smaller here, and the cursor is the plane's point of the pixel the
    # finger rests on
    cursor = page.evaluate("window.explore.cursor")
    latent = model_server.request("GET", "/api/latent")[1]
    under = map_point(page, latent, *under_the_finger(page, x + 100, y + 75))
    np.testing.assert_allclose(cursor, under, atol=1e-3 * latent["limit"])
    with vae_digits.load(model_server.directory) as vae:
        np.testing.assert_allclose(
            read_canvas(page, "decoded"),
            vae.decode(page.evaluate("window.explore.lastCode")).ravel(), atol=2 / 255.)
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x + 50, y + 50)
    page.wait_for_timeout(200)
    assert page.evaluate("window.explore.ends") == []
    page.tap("#mark-end")
    assert len(page.evaluate("window.explore.ends")) == 1
    assert page.errors == []
    page.close()


def tab_order(page, stops=80):
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || "
                                  "document.activeElement.tagName"))
    return seen


def test_every_control_is_reached_by_tab_in_order(browser, model_server):
    page = open_page(browser, model_server)
    seen = tab_order(page)
    order = ["latent-map", "mark-end", "draw-pad", "clear-pad"] + \
        [f"hom-{i}" for i in range(16)] + ["hom-check", "hom-new"]
    if "conditional" in page.inner_text("#model-info"):
        order[2:2] = [f"digit-{k}" for k in range(10)] + ["new-style", "z-0"]
    else:
        order[2:2] = ["digit-choice", "digit-index", "std-noise"]
    positions = [seen.index(stop) for stop in order]
    assert positions == sorted(positions)
    # the focus shows
    page.focus("#hom-0")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement)"
                         ".outlineStyle") != "none"
    page.close()


def test_the_arrow_keys_move_the_cursor_and_enter_marks_the_ends(
        browser, model_server):
    page = open_page(browser, model_server)
    page.focus("#latent-map")
    for key in ["ArrowRight"] * 4 + ["ArrowUp"] * 2:
        page.keyboard.press(key)
    step = page.evaluate("2 * window.explore.latent.limit / 40")
    np.testing.assert_allclose(page.evaluate("window.explore.cursor"),
                               [4 * step, 2 * step], atol=1e-9)
    page.keyboard.press("Enter")
    for key in ["Shift+ArrowLeft"] * 2:
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('interpolation-caption')"
                           ".textContent.startsWith('from the first')")
    ends = [[4 * step, 2 * step], [-6 * step, 2 * step]]
    np.testing.assert_allclose(page.evaluate("window.explore.ends"), ends,
                               atol=1e-9)
    page.wait_for_timeout(200)
    # the row from the first end's decoding to the second's, ten steps
    latent = page.evaluate("window.explore.latent")
    a, b = (np.array(latent["mean"]) + np.array(end) @ np.array(
        latent["components"]) for end in ends)
    codes = a + np.linspace(0, 1, 10)[:, None] * (b - a)
    if page.evaluate("window.explore.model.has_labels"):
        digit = np.eye(10)[page.evaluate("window.explore.digit")]
        codes = np.hstack([codes, np.tile(digit, (10, 1))])
    scale = page.evaluate("document.getElementById('interpolation').height / 28")
    tiles = [read_canvas(page, "interpolation", x=28 * scale * i, scale=scale)
             for i in range(10)]
    with vae_digits.load(model_server.directory) as vae:
        np.testing.assert_allclose(
            read_canvas(page, "decoded"),
            vae.decode(page.evaluate("window.explore.lastCode")).ravel(), atol=2 / 255.)
        expected = vae.decode(codes).reshape(10, 784)
    np.testing.assert_allclose(tiles, expected, atol=2 / 255.)
    page.close()


def test_each_dot_of_the_map_is_drawn_where_its_image_decodes(
        browser, model_server):
    # the dot of each test image: where its code projects on the map's
    # plane, so that the pointer on it decodes that point (the code
    # itself for 2-D codes)
    latent = model_server.request("GET", "/api/latent")[1]
    points = np.array(latent["points"])
    mean, components = np.array(latent["mean"]), np.array(latent["components"])
    with vae_digits.load(model_server.directory) as vae:
        images, _ = vae_digits.data.load_test_set(
            vae.dataset, model_server.data, vae.binarized, 0)
        codes = vae.encode(images)
    assert len(points) == len(codes)
    np.testing.assert_allclose(components @ components.T, np.eye(2), atol=1e-6)
    projected = mean + ((codes - mean) @ components.T) @ components
    np.testing.assert_allclose(mean + points @ components, projected,
                               atol=1e-3)
    # ... and drawn there, in its digit's colour, x to the right, y up
    page = open_page(browser, model_server)
    right = dots_in_their_colours(page, latent)
    assert len(right) >= 100 and right.all()
    page.close()


def test_a_whole_game_from_the_keyboard(browser, model_server):
    page = open_page(browser, model_server)
    machine = page.evaluate("window.explore.game.machine")
    page.focus("#clear-pad")
    for i in range(16):  # Tab to each tile; Space on those the model drew
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == f"hom-{i}"
        if machine[i] or i == 0:
            page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # check
    right = 16 - (not machine[0])
    assert page.inner_text("#hom-score").startswith(f"You got {right} of 16 right")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # a new grid
    page.wait_for_function("document.getElementById('hom-score').textContent === ''")
    assert page.get_attribute("#hom-0", "aria-pressed") == "false"
    page.close()


def test_the_pad_clears_from_the_keyboard(browser, model_server):
    page = open_page(browser, model_server)
    page.locator("#draw-pad").scroll_into_view_if_needed()
    box = page.locator("#draw-pad").bounding_box()
    page.mouse.move(box["x"] + 100, box["y"] + 50)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 200, steps=5)
    page.mouse.up()
    page.wait_for_function("window.explore.drawnPoint !== null")
    page.focus("#draw-pad")
    page.keyboard.press("Delete")
    assert page.evaluate("window.explore.strokes.length") == 0
    assert read_canvas(page, "draw-pad").max() == 0
    page.close()


def test_axe_finds_no_serious_or_critical_violation(browser, model_server):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    for options in ({}, PHONE):
        page = open_page(browser, model_server, **options)
        violations = axe.Axe().run(page).response["violations"]
        serious = [(v["id"], v["help"]) for v in violations
                   if v["impact"] in ("serious", "critical")]
        assert serious == []
        page.close()


def slide(page, slider, values):
    """The slider through `values` at once, one input event each."""
    page.evaluate("""([id, values]) => { const slider = document.getElementById(id);
      for (const v of values) { slider.value = v; slider.dispatchEvent(new Event("input")); }
    }""", [slider, values])


def test_the_slider_ends_at_its_last_value_however_fast_it_moves(
        browser, model_server):
    page = open_page(browser, model_server)
    if not page.is_visible("#std-noise"):
        # the conditional page: its z sliders follow the same way
        slide(page, "z-0", [-2, -1, 0, 1, 2.5])
        page.wait_for_timeout(1500)
        style = page.evaluate("window.explore.style")
        assert style[0] == 2.5
        with vae_digits.load(model_server.directory) as vae:
            expected = vae.decode(np.concatenate([style, np.eye(10)[0]]))
        np.testing.assert_allclose(read_canvas(page, "conditioned", scale=2),
                                   expected.ravel(), atol=2 / 255.)
        return page.close()
    page.wait_for_function("window.explore.variationsNoise === 0.7")
    page.focus("#std-noise")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert page.input_value("#std-noise") == "0.95"
    assert page.inner_text("#std-noise-value") == "0.95"
    page.wait_for_function("window.explore.variationsNoise === 0.95")
    slide(page, "std-noise", [1.1, 2.2, 0.3, 1.4])
    page.wait_for_function("window.explore.variationsNoise === 1.4")
    page.wait_for_timeout(500)  # nothing older lands after it
    assert page.evaluate("window.explore.variationsNoise") == 1.4
    index = int(page.input_value("#digit-index"))
    expected = model_server.request("POST", "/api/vary", {
        "index": index, "std_noise": 1.4, "n": 25, "seed": 0})[1]["images"]
    np.testing.assert_allclose(read_canvas(page, "variations", scale=3),
                               expected[0], atol=1.5 / 255.)
    # an error no control caused shows on the error line; the next good
    # request clears it (a bad index: test_explore_feedback.py)
    page.evaluate("backend.decode([[1]]).catch(showError)")
    page.wait_for_selector("#error:not([hidden])")
    assert "codes" in page.inner_text("#error")
    slide(page, "std-noise", [0.7])
    page.wait_for_selector("#error", state="hidden")
    page.close()
