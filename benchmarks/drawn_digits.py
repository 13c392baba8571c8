"""Are digits drawn on the explore page's pad read as MNIST digits? Real
test digits are thinned to their strokes (Zhang-Suen), drawn on the pad in
headless Chromium as mouse strokes, each at another size and place, and
the page's normalised drawing is encoded. Printed: the median distance
between a digit's code drawn and its code given directly (beside the
median distance between the codes of two different test digits, the
scale), and, for the conditional model, the classifier's accuracy on the
digits drawn and given directly.

    python benchmarks/drawn_digits.py --checkpoint-dir checkpoints/conditional --digits 100
"""
import argparse
import json
import sys

import numpy as np
from explore_speed import CHROMIUM, start_server

PAD_CSS = 280  # the pad's size on a desktop page


def thinned(image):
    """The one-pixel skeleton of a binary 28x28 image (Zhang and Suen)."""
    pixels = np.pad(image, 1).astype(np.uint8)
    changed = True
    while changed:
        changed = False
        for step in (0, 1):
            p = pixels
            n = [p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:],
                 p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]]
            count = sum(n)
            turns = sum((n[i] == 0) & (n[(i + 1) % 8] == 1) for i in range(8))
            if step == 0:
                side = (n[0] * n[2] * n[4] == 0) & (n[2] * n[4] * n[6] == 0)
            else:
                side = (n[0] * n[2] * n[6] == 0) & (n[0] * n[4] * n[6] == 0)
            remove = (p[1:-1, 1:-1] == 1) & (count >= 2) & (count <= 6) & \
                (turns == 1) & side
            if remove.any():
                pixels[1:-1, 1:-1][remove] = 0
                changed = True
    return pixels[1:-1, 1:-1].astype(bool)


def strokes(image):
    """The skeleton as polylines through neighbouring pixels' centres,
    each edge walked once: the strokes a hand would draw."""
    skeleton = thinned(np.reshape(image, (28, 28)) >= .5)
    points = set(zip(*(axis.tolist() for axis in np.nonzero(skeleton))))
    edges = {p: {(p[0] + dr, p[1] + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                 if (dr or dc) and (p[0] + dr, p[1] + dc) in points} for p in points}
    lines = []
    # ends first (one neighbour), then whatever is left (loops, dots)
    for start in sorted(points, key=lambda p: (len(edges[p]) != 1, p)):
        if not edges[start] and any(start in line for line in lines):
            continue
        line = [start]
        while edges[line[-1]]:
            step = min(edges[line[-1]])
            edges[line[-1]].discard(step)
            edges[step].discard(line[-1])
            line.append(step)
        lines.append(line)
    return [[(c + .5, r + .5) for r, c in line] for line in lines]


def draw(page, box, lines, scale, offset):
    """The lines as mouse strokes on the pad, `scale` page pixels a digit
    pixel, the digit's corner at `offset` within the pad."""
    def at(point):
        return (box["x"] + offset[0] + point[0] * scale,
                box["y"] + offset[1] + point[1] * scale)
    for line in lines:
        page.mouse.move(*at(line[0]))
        page.mouse.down()
        for point in line[1:]:
            page.mouse.move(*at(point))
        page.mouse.up()


def read_drawn(page, digits, rng, conditional):
    """(codes, probabilities) of each digit drawn on the pad."""
    codes, probabilities = [], []
    box = page.locator("#draw-pad").bounding_box()
    for image in digits:
        page.click("#clear-pad")
        scale = rng.uniform(5, 9)
        offset = rng.uniform(5, PAD_CSS - 5 - 28 * scale, size=2)
        draw(page, box, strokes(image), scale, offset)
        page.wait_for_function("window.explore.padVersion > 0 && "
                               "window.explore.encodedVersion === window.explore.padVersion")
        codes.append(page.evaluate("window.explore.drawnMeans"))
        if conditional:
            probabilities.append(page.evaluate("window.explore.drawnProbabilities"))
    return np.array(codes), np.array(probabilities)


def measure(url, port, n, seed):
    """The figures of the first `n` test images of the server at `url`."""
    import http.client

    from playwright.sync_api import sync_playwright

    def post(path, body):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("POST", path, json.dumps(body),
                           {"Content-Type": "application/json"})
        return json.loads(connection.getresponse().read())
    test = post("/api/test_images", {"indices": list(range(n))})
    direct = post("/api/encode", {"images": test["images"]})
    conditional = "probabilities" in direct
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto(url)
        page.wait_for_function("window.explore && window.explore.ready", timeout=60000)
        page.locator("#draw-pad").scroll_into_view_if_needed()
        codes, probabilities = read_drawn(page, test["images"],
                                          np.random.RandomState(seed), conditional)
        browser.close()
    return figures(np.array(direct["means"]), codes, test["labels"],
                   np.array(direct.get("probabilities", [])), probabilities)


def figures(direct, drawn, labels, direct_probabilities, drawn_probabilities):
    distance = np.linalg.norm(drawn - direct, axis=1)
    shift = np.roll(np.arange(len(direct)), 1)
    between = np.linalg.norm(direct - direct[shift], axis=1)
    result = {"digits": len(direct), "drawn_to_direct": float(np.median(distance)),
              "between_digits": float(np.median(between))}
    if len(drawn_probabilities):
        result["accuracy_direct"] = float(np.mean(
            np.argmax(direct_probabilities, 1) == labels))
        result["accuracy_drawn"] = float(np.mean(
            np.argmax(drawn_probabilities, 1) == labels))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint-dir", required=True)
    parser.add_argument("--data-path", default=None,
                        help="the test images (default: the model's own)")
    parser.add_argument("--digits", type=int, default=100,
                        help="test images drawn, 1 to 1024 (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="one JSON line")
    args = parser.parse_args()
    if not 1 <= args.digits <= 1024:
        parser.error("--digits must lie in 1..1024")
    extra = [] if args.data_path is None else ["--data-path", args.data_path]
    process, port = start_server(args.checkpoint_dir, extra)
    try:
        result = measure(f"http://127.0.0.1:{port}/", port, args.digits, args.seed)
    finally:
        process.terminate()
        process.wait()
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['digits']} test digits drawn on the pad: median distance of "
          f"their codes to the codes given directly {result['drawn_to_direct']:.3f} "
          f"(between two test digits' codes: {result['between_digits']:.3f})")
    if "accuracy_drawn" in result:
        print(f"classifier accuracy: direct {result['accuracy_direct']:.3f}, "
              f"drawn {result['accuracy_drawn']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
