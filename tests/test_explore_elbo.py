"""The ELBO of one digit, in the explore page: for the chosen test image
and for a drawn digit, the page shows vae.elbo_parts's reconstruction and
KL terms and their sum, the KL of each latent dimension as bars (the
unused ones flat and grey) and the decodings of z ~ q(z | x) beside the
image; served and exported alike (the exported page computes them in
network.js: test_export_html.py holds it to vae.elbo_parts)."""
import numpy as np

import vae_digits
from tests.browser import open_page, read_canvas
from tests.helpers import ExploreServer
from vae_digits import data

ACTIVE_KL = 0.01  # elbo.js's line between a used dimension and a flat one
BAR_COLOURS = {True: [0x22, 0x44, 0x66], False: [0xaa, 0xaa, 0xaa]}

KL_BARS = """() => {
  const canvas = document.getElementById("elbo-kl"), n = window.explore.model.z_dim;
  const {width, height} = canvas, slot = width / n;
  const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  return Array.from({length: n}, (_, k) => {
    const x = Math.floor(k * slot + slot / 2);
    let top = height;
    while (top > 0 && pixels[4 * ((top - 1) * width + x) + 3] > 0) top--;
    const at = 4 * ((height - 1) * width + x);
    return [height - top, Array.from(pixels.slice(at, at + 3))];
  });
}"""


def shown_numbers(page):
    return [float(page.inner_text(f"#elbo-{name}"))
            for name in ("reconstruction", "kl-total", "value")]


def check_panel(page, parts):
    """The panel shows `parts` (vae.elbo_parts of its image)."""
    shown = page.evaluate("window.explore.elbo")
    for name in ("reconstruction", "kl", "elbo"):
        np.testing.assert_allclose(shown[name], parts[name], rtol=0, atol=1e-3)
    np.testing.assert_allclose(shown["kl_per_dimension"],
                               parts["kl_per_dimension"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(shown_numbers(page), [parts["reconstruction"],
                               parts["kl"], parts["elbo"]], atol=0.006)
    assert abs(parts["elbo"] + parts["reconstruction"] + parts["kl"]) < 1e-9
    np.testing.assert_allclose(read_canvas(page, "elbo-input"),
                               parts["image"].ravel(), atol=1.5 / 255.)
    for i, decoding in enumerate(parts["decodings"]):
        np.testing.assert_allclose(
            read_canvas(page, "elbo-decodings", x=56 * i, scale=2),
            np.clip(decoding.ravel(), 0, 1), atol=1.5 / 255.)
    # one bar a dimension, as tall as its KL; the unused ones flat and grey
    kls = np.asarray(parts["kl_per_dimension"])
    bars = page.evaluate(KL_BARS)
    heights = np.array([height for height, _ in bars])
    height = page.evaluate("document.getElementById('elbo-kl').height")
    np.testing.assert_allclose(heights, np.maximum(
        1, (height - 4) * kls / max(kls.max(), ACTIVE_KL)), atol=1.01)
    for kl, (_, colour) in zip(kls, bars):
        assert colour == BAR_COLOURS[bool(kl > ACTIVE_KL)]
    used = int((kls > ACTIVE_KL).sum())
    assert page.inner_text("#elbo-dimensions").startswith(
        f"{used} of {len(kls)} dimensions carry more than 0.01 nats")
    return used


def test_the_chosen_test_image_and_a_drawn_digit_show_their_elbo(
        browser, conv_server, served_conv_dir, small_mnist):
    page = open_page(browser, conv_server)
    page.wait_for_function("window.explore.elbo && "
                           "window.explore.elbo.job.request.index === 3")
    with vae_digits.load(served_conv_dir) as vae:
        x_test, _ = data.load_test_set("mnist", small_mnist, vae.binarized, 0)
        assert page.inner_text("#elbo-source") == "The ELBO of test image 3:"
        check_panel(page, vae.elbo_parts(x_test[3].reshape(28, 28)))
        # another test image: the panel follows the choice
        page.fill("#digit-index", "7")
        page.press("#digit-index", "Enter")
        page.wait_for_function("window.explore.elbo.job.request.index === 7")
        check_panel(page, vae.elbo_parts(x_test[7].reshape(28, 28)))
        # a drawn digit: its grey levels as the page sends them
        pad = page.locator("#draw-pad").bounding_box()
        page.mouse.move(pad["x"] + 140, pad["y"] + 40)
        page.mouse.down()
        for step in range(1, 11):
            page.mouse.move(pad["x"] + 140 + 3 * step, pad["y"] + 40 + 20 * step)
        page.mouse.up()
        page.wait_for_function("window.explore.elbo.job.source === 'your drawing'")
        page.wait_for_function("window.explore.encodedVersion === window.explore.padVersion")
        page.wait_for_timeout(300)  # the last drawing's ELBO follows its encoding
        image = np.array(page.evaluate("window.explore.elbo.job.request.image"))
        np.testing.assert_allclose(image, np.round(page.evaluate(
            "Array.from(window.explore.pad)"), 3), atol=1e-9)
        assert page.inner_text("#elbo-source") == "The ELBO of your drawing:"
        check_panel(page, vae.elbo_parts(image.reshape(28, 28)))
        # the noise slider leaves the drawing's bound; a new test image does not
        page.evaluate("""() => { const slider = document.getElementById("std-noise");
          slider.value = "1.4"; slider.dispatchEvent(new Event("input")); }""")
        page.wait_for_function("window.explore.variationsNoise === 1.4")
        page.wait_for_timeout(300)
        assert page.inner_text("#elbo-source") == "The ELBO of your drawing:"
        page.fill("#digit-index", "5")
        page.press("#digit-index", "Enter")
        page.wait_for_function("window.explore.elbo.job.request.index === 5")
        assert page.inner_text("#elbo-source") == "The ELBO of test image 5:"
    assert page.errors == []
    page.close()


def test_the_blogs_model_shows_its_unused_dimensions_flat(
        browser, served_mlp_dir, small_mnist):
    server = ExploreServer("--checkpoint-dir", served_mlp_dir)
    try:
        page = open_page(browser, server)
        page.wait_for_function("window.explore.elbo")
        index = page.evaluate("window.explore.elbo.job.request.index")
        with vae_digits.load(served_mlp_dir) as vae:
            x_test, _ = data.load_test_set("mnist", small_mnist, True, 0)
            used = check_panel(page, vae.elbo_parts(x_test[index].reshape(28, 28)))
        assert 0 < used < 40
        assert page.errors == []
        page.close()
    finally:
        server.stop()
