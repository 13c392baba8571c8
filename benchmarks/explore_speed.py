"""How fast the explore page answers: `POST /api/decode` of one code over
loopback with 1, 4 and 16 concurrent clients (each on its own keep-alive
connection), for each model, and, with --browser, the time from a pointer
move on the map to the new pixels on `decoded` in headless Chromium
(performance.now() in the page). With --room N [N ...] it also lets N
clients connect at the same moment, each sending --room-requests decodes
(a class opening the page together), and prints the same figures.

For each model it trains a small one on DATA (one epoch on
--train-images images, in a temporary directory) unless its checkpoint
directory is given, starts `python -m vae_digits.explore` on a free port
and prints p50 / p95 / p99 latency in milliseconds, requests per second
and errors.

    python benchmarks/explore_speed.py DATA --requests 2000 --browser
    python benchmarks/explore_speed.py DATA --clients --room 100 300
"""
import http.client
import json
import re
import subprocess
import sys
import threading
import time

import numpy as np
from loaded_model import each_trained_model, model_arguments

CHROMIUM = "/usr/bin/chromium"


def start_server(checkpoint_dir, data):
    """The explore server of `checkpoint_dir` on a free port; `data` its
    --data-path, or a list of further arguments."""
    extra = data if isinstance(data, list) else ["--data-path", data]
    process = subprocess.Popen(
        [sys.executable, "-m", "vae_digits.explore", "--port", "0",
         "--checkpoint-dir", checkpoint_dir] + extra,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
    return process, port


def client(port, body, count, latencies, errors, barrier=None):
    if barrier is not None:
        barrier.wait()  # every client connects at the same moment
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        start = time.perf_counter()
        try:
            connection.request("POST", "/api/decode", body=body,
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
        except OSError as e:
            errors.append(str(e))
            connection = http.client.HTTPConnection("127.0.0.1", port,
                                                    timeout=30)
        latencies.append((time.perf_counter() - start) * 1e3)
    connection.close()


def load_test(port, code, clients, requests, together=False):
    body = json.dumps({"codes": [code]}).encode()
    latencies, errors = [], []
    barrier = threading.Barrier(clients) if together else None
    threads = [threading.Thread(target=client, args=(
        port, body, requests, latencies, errors, barrier))
        for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    return p50, p95, p99, len(latencies) / seconds, len(errors)


def browser_latency(port, moves):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1100, "height": 2400})
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function("window.explore && window.explore.ready",
                               timeout=60000)
        box = page.locator("#latent-map").bounding_box()
        rng = np.random.RandomState(0)
        for _ in range(moves):
            before = page.evaluate("window.explore.latencies.length")
            x, y = rng.uniform(60, 460, size=2)
            page.mouse.move(box["x"] + x, box["y"] + y)
            page.wait_for_function(
                f"window.explore.latencies.length > {before}")
        latencies = page.evaluate("window.explore.latencies")
        browser.close()
    return np.percentile(latencies, [50, 95]), len(latencies)


def main():
    parser = model_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000,
                        help="requests at each number of clients, shared "
                             "among them")
    parser.add_argument("--clients", type=int, nargs="*", default=[1, 4, 16])
    parser.add_argument("--browser", action="store_true",
                        help="also time pointer moves in headless Chromium")
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--room", type=int, nargs="*", default=[],
                        help="clients connecting at the same moment")
    parser.add_argument("--room-requests", type=int, default=3,
                        help="decodes each client of a room sends")
    args = parser.parse_args()
    rows = []
    for name, directory in each_trained_model(args):
        process, port = start_server(directory, args.data)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port)
            conn.request("GET", "/api/model")
            model = json.loads(conn.getresponse().read())
            code = [0.1] * model["code_dim"]
            if model["has_labels"]:
                code[model["z_dim"]:] = [0.] * 10
                code[model["z_dim"] + 7] = 1.
            for clients in args.clients:
                rows.append((name, f"{clients} clients") +
                            load_test(port, code, clients,
                                      args.requests // clients))
                print("{:<12} {:<11} p50 {:6.2f}  p95 {:6.2f}  p99 {:6.2f} "
                      "ms  {:7.1f} req/s  {} errors".format(*rows[-1]),
                      flush=True)
            for clients in args.room:
                rows.append((name, f"room of {clients}") + load_test(
                    port, code, clients, args.room_requests, together=True))
                print("{:<12} {:<11} p50 {:6.2f}  p95 {:6.2f}  p99 {:6.2f} "
                      "ms  {:7.1f} req/s  {} errors".format(*rows[-1]),
                      flush=True)
            if args.browser:
                (p50, p95), n = browser_latency(port, args.moves)
                print(f"{name:<12} browser     pointer move to pixels: p50 "
                      f"{p50:6.2f}  p95 {p95:6.2f} ms over {n} moves", flush=True)
        finally:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
