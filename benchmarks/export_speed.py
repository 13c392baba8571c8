"""How big and how fast the exported page is (`python -m vae_digits.export
--format html`): for each model, the file's size with float32 and with
float16 weights, the largest pixel error float16 costs on 100 random
codes (measured in TensorFlow at export, and in the page against
`vae.decode`), and, in headless Chromium opening the file from file://,
the time to open it (navigation to window.explore.ready), the time of
one `window.vae.decode` of one code, and the time from a pointer move
over the map to the new pixels (window.explore.latencies).

For each model it trains a small one on DATA (one epoch on
--train-images images, in a temporary directory) unless its checkpoint
directory is given; the page holds the first --images test images of
DATA.

    python benchmarks/export_speed.py ../shared/data/mnist
    python benchmarks/export_speed.py DATA --checkpoint-dir conv=checkpoints/conv_vae
"""
import json
import os
import sys
import tempfile
import time

import machine
import numpy as np
from loaded_model import each_trained_model, model_arguments

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
DECODE_TIMES = """(repeats) => {
  const m = window.vae.model, times = [];
  const code = Array.from({length: m.code_dim},
                          (_, k) => (k < m.z_dim ? 0.5 : k === m.z_dim ? 1 : 0));
  for (let i = 0; i < repeats + 5; i++) {
    const start = performance.now();
    window.vae.decode([code]);
    if (i >= 5) times.push(performance.now() - start);
  }
  return times;
}"""


def export_both(name, directory, args, work):
    """{dtype: (path, line)} of the model's page with float32 and float16
    weights, and the float16 error TensorFlow measures."""
    from vae_digits import load, sharing
    from vae_digits.sharing.html import float16_error
    test_set = sharing.read_test_set("mnist", args.data, args.images)
    files = {}
    for dtype in ("float32", "float16"):
        path = os.path.join(work, f"{name}.{dtype}.html")
        line = sharing.export(directory, "html", path, work, test_set,
                              float16=dtype == "float16")
        files[dtype] = path
        print(f"  {line}", flush=True)
    with load(directory) as vae:
        return files, float16_error(vae)


def page_figures(browser, path, moves):
    """(seconds to open, decode ms [median, p95], pointer to pixels ms
    [median, p95, max]) of the page of `path`."""
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    start = time.perf_counter()
    page.goto(f"file://{path}")
    page.wait_for_function("window.explore && window.explore.ready",
                           timeout=120000, polling=5)
    opening = time.perf_counter() - start
    decodes = page.evaluate(DECODE_TIMES, 100)
    box = page.locator("#latent-map").bounding_box()
    rng = np.random.RandomState(0)
    page.evaluate("window.explore.latencies = []")
    for i in range(moves):
        x, y = rng.uniform(0.1, 0.9, 2)
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.wait_for_function(f"window.explore.latencies.length > {i}")
    latencies = page.evaluate("window.explore.latencies")
    page.close()
    return (opening, np.percentile(decodes, [50, 95]),
            np.percentile(latencies, [50, 95, 100]))


def browser_error(browser, path, directory):
    """The largest difference between the page's decode of 100 random codes
    and vae.decode."""
    import vae_digits
    page = browser.new_page()
    page.goto(f"file://{path}")
    page.wait_for_function("window.vae !== undefined", timeout=120000)
    with vae_digits.load(directory) as vae:
        rng = np.random.RandomState(1)
        codes = rng.randn(100, vae.z_dim)
        if vae.has_labels:
            codes = np.hstack([codes, np.eye(10)[rng.randint(10, size=100)]])
        found = json.loads(page.evaluate(
            "(codes) => JSON.stringify(window.vae.decode(codes))", codes.tolist()))
        error = np.abs(np.array(found) - vae.decode(codes).reshape(100, -1)).max()
    page.close()
    return error


def main():
    parser = model_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--moves", type=int, default=60)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"CPU: {machine.describe()}")
    work = tempfile.mkdtemp(prefix="vae_digits_export_")
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print(f"Chromium {browser.version}")
        for name, directory in each_trained_model(args):
            files, tf_error = export_both(name, directory, args, work)
            page_error = browser_error(browser, files["float16"], directory)
            opening, decode, pointer = page_figures(browser, files["float32"],
                                                    args.moves)
            rows.append((name, *(os.path.getsize(files[d]) / 1e6 for d in
                                 ("float32", "float16")),
                         tf_error * 255, page_error * 255, opening, *decode, *pointer))
        browser.close()
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"{'model':<12} {'MB f32':>7} {'MB f16':>7} {'f16 err/255 (TF, page)':>23} "
          f"{'open s':>7} {'decode ms p50/95':>17} {'pointer ms p50/95/max':>22}")
    for (name, f32, f16, tf_error, page_error, opening, d50, d95, p50, p95,
         pmax) in rows:
        print(f"{name:<12} {f32:>7.1f} {f16:>7.1f} {tf_error:>11.2f} {page_error:>11.2f} "
              f"{opening:>7.2f} {d50:>8.1f} {d95:>8.1f} {p50:>7.1f} {p95:>7.1f} {pmax:>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
