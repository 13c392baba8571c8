"""The explore server in a room: 100 clients connecting at once, 300
stalled ones, hostile requests, SIGTERM during a burst, an IPv6 loopback,
and --follow beside a damaged or foreign checkpoint. Only loopback
addresses are used, and every loop is bounded."""
import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from tests.helpers import ExploreServer as Server
from tests.helpers import sigint_at_default
from vae_digits.page.handler import MAX_BODY


@pytest.fixture(scope="module")
def server(served_conv_dir):
    server = Server("--checkpoint-dir", served_conv_dir)
    yield server
    if server.process.poll() is None:
        server.stop()


def raw_request(port, data, timeout=10., host="127.0.0.1"):
    """The raw answer to the bytes `data` (until the server closes)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def status_of(answer):
    return int(answer.split(b" ", 2)[1])


def decode_request(port, body=b'{"codes": [[0.5, -0.5]]}', headers=()):
    head = (f"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}"
            "\r\nConnection: close\r\n").encode()
    return head + b"".join(h.encode() + b"\r\n" for h in headers) + \
        b"\r\n" + body


def test_a_room_of_100_clients_connecting_at_once(server):
    start = threading.Barrier(100)

    def client(_):
        start.wait()
        connection = http.client.HTTPConnection("127.0.0.1", server.port,
                                                timeout=60)
        statuses = []
        for _ in range(3):
            connection.request("POST", "/api/decode", body=json.dumps(
                {"codes": [[0., 0.]]}), headers={"Content-Type":
                                                 "application/json"})
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
        return statuses
    with concurrent.futures.ThreadPoolExecutor(100) as pool:
        results = list(pool.map(client, range(100)))
    assert results == [[200, 200, 200]] * 100


def _threads(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f
                    if line.startswith("Threads:"))


def test_300_stalled_clients_neither_block_a_decode_nor_linger(server):
    baseline = _threads(server.process.pid)
    stalled = []
    for _ in range(300):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        s.sendall(b"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1")
        stalled.append(s)
    try:
        started = time.time()
        answer = raw_request(server.port, decode_request(server.port))
        assert status_of(answer) == 200 and time.time() - started < 1.
        deadline = time.time() + 30  # dropped after REQUEST_SECONDS (10)
        while _threads(server.process.pid) > baseline + 5:
            assert time.time() < deadline, _threads(server.process.pid)
            time.sleep(0.5)
        assert all(s.recv(1) == b"" for s in stalled[:20])  # closed on them
    finally:
        for s in stalled:
            s.close()


@pytest.mark.parametrize("length,status", [("-1", 400), ("abc", 400),
                                           ("1e3", 400), ("+12", 400)])
def test_a_content_length_that_is_not_plain_digits_is_a_400(
        server, length, status):
    head = (f"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()
    started = time.time()
    answer = raw_request(server.port, head + b'{"codes": [[0, 0]]}')
    assert status_of(answer) == status and time.time() - started < 2
    assert b"Content-Length must be a whole number" in answer


def test_the_body_cap_is_a_boundary(server):
    body = b'{"codes": [[0, 0]]}'
    exact = body + b" " * (MAX_BODY - len(body))
    assert status_of(raw_request(server.port, decode_request(
        server.port, exact))) == 200
    assert status_of(raw_request(server.port, decode_request(
        server.port, exact + b" "))) == 413


@pytest.mark.parametrize("body,fragment", [
    (b'{"codes": ' + b"[" * 1000 + b"]" * 1000 + b"}", b"not JSON"),
    (b'{"codes": [[' + b"1" * 5000 + b', 0]]}', b"not JSON"),
    (b'{"codes": [[1' + b"0" * 400 + b', 0]]}', b"beyond float"),
    (b'{"codes": [[3.5e38, 0]]}', b"float32's range"),
    (b'{"codes": [[1e400, 0]]}', b"beyond float range"),
    (b'{"codes": [[true, false]]}', b"true and false are not"),
    (b'{"codes": [["0.5", "0.1"]]}', b"array of numbers"),
])
def test_any_body_the_parser_cannot_take_is_a_400(server, body, fragment):
    answer = raw_request(server.port, decode_request(server.port, body))
    assert status_of(answer) == 400 and fragment in answer, answer[-300:]


def test_head_has_no_body_and_405_says_what_is_allowed(server):
    answer = raw_request(server.port, (
        f"HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        "Connection: close\r\n\r\n").encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert status_of(answer) == 200 and body == b""
    assert b"Content-Length: " in head
    answer = raw_request(server.port, (
        f"DELETE /api/model HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        "\r\n").encode())
    assert status_of(answer) == 405 and b"Allow: GET, HEAD, POST" in answer
    answer = raw_request(server.port, (
        f"GET /api/decode HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        "\r\n").encode())
    assert status_of(answer) == 405 and b"\r\nAllow: POST\r\n" in answer


def test_a_loopback_server_answers_only_its_own_names(server):
    for host, status in ((f"evil.example:{server.port}", 403),
                         (f"localhost:{server.port}", 200),
                         (f"127.0.0.1:{server.port}", 200),
                         ("127.0.0.1", 403)):
        answer = raw_request(server.port, (
            f"GET /api/model HTTP/1.1\r\nHost: {host}\r\nConnection: close"
            "\r\n\r\n").encode())
        assert status_of(answer) == status, host
        assert b"Access-Control-Allow-Origin" not in answer
    for origin, status in (("http://evil.example", 403),
                           (f"http://127.0.0.1:{server.port}", 200)):
        answer = raw_request(server.port, decode_request(
            server.port, headers=[f"Origin: {origin}"]))
        assert status_of(answer) == status, origin


def test_control_characters_reach_the_log_escaped(served_conv_dir):
    server = Server("--checkpoint-dir", served_conv_dir)
    raw_request(server.port, b"GET /\x1b[31mred\x07 HTTP/1.1\r\nHost: "
                + f"127.0.0.1:{server.port}".encode() + b"\r\n\r\n")
    code, _, err = server.stop()
    assert code == 0 and "\x1b" not in err and "\x07" not in err
    assert "/\\x1b[31mred\\x07: 404 no such page" in err


def test_sigterm_during_a_burst_finishes_and_frees_the_port(
        served_conv_dir):
    server = Server("--checkpoint-dir", served_conv_dir)
    statuses, stop = [], threading.Event()

    def burst():
        while not stop.is_set():
            try:
                answer = raw_request(server.port, decode_request(server.port),
                                     timeout=5)
            except OSError:
                return
            if not answer:  # accepted as the server stopped, never read
                return
            statuses.append(status_of(answer))
    threads = [threading.Thread(target=burst) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.)
    server.process.send_signal(signal.SIGTERM)
    out, err = server.process.communicate(timeout=30)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert server.process.returncode == 0, err
    assert out.splitlines()[-1] == "Stopped: SIGTERM."
    assert "Traceback" not in err, err
    assert statuses and set(statuses) == {200}
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", server.port))


def _has_ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback")
def test_the_ipv6_loopback_serves(served_conv_dir):
    process = subprocess.Popen(
        [sys.executable, "-m", "vae_digits.explore", "--checkpoint-dir",
         served_conv_dir, "--host", "::1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=sigint_at_default)
    try:
        line = process.stdout.readline()
        assert " at http://[::1]:" in line, line + process.stderr.read()
        port = int(line.split("]:")[1].split("/")[0])
        answer = raw_request(port, (
            f"GET /api/model HTTP/1.1\r\nHost: [::1]:{port}\r\nConnection: "
            "close\r\n\r\n").encode(), host="::1")
        assert status_of(answer) == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_follow_says_once_what_it_skips_and_keeps_serving(
        served_conv_dir, small_mnist, tmp_path):
    checkpoints = str(tmp_path / "checkpoints")
    shutil.copytree(served_conv_dir, checkpoints)
    server = Server("--checkpoint-dir", checkpoints, "--follow")
    try:
        epoch = server.request("GET", "/api/model")[1]["epoch"]
        for name in os.listdir(checkpoints):  # a truncated newer one
            if name.startswith(f"vae.epoch.{epoch}.ckpt"):
                target = os.path.join(checkpoints, name.replace(
                    f".{epoch}.", f".{epoch + 5}."))
                shutil.copy(os.path.join(checkpoints, name), target)
                if ".data-" in name:
                    with open(target, "r+b") as f:
                        f.truncate(64)
        time.sleep(7)  # three looks at the directory
        assert server.request("GET", "/api/model")[1]["epoch"] == epoch
    finally:
        code, _, err = server.stop()
    assert code == 0
    warnings = [line for line in err.splitlines() if "skipping" in line]
    assert len(warnings) == 1 and f"vae.epoch.{epoch + 5}.ckpt" in \
        warnings[0] and "still serving" in warnings[0], err
    assert "Loaded" not in err
