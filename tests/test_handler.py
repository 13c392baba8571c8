"""The explore server's answer to each request, in this process on a free
port with a stand-in for the model (test_explore.py runs the real command
on a trained one): the page's files, the JSON API, and for anything else
one sentence with its status, its Allow header and a logged line; and
beyond its cap on connections, a new one waiting for a slot."""
import contextlib
import http.client
import json
import os
import socket
import threading
import time

import pytest

from vae_digits.page import handler, server

PORT = None  # set by the fixture


class Explorer:
    """Answers as the model's Explorer does, or fails as asked."""

    def model(self):
        return {"model": "stand-in"}

    def latent(self):
        return {"points": [[0.5, -1.]]}

    def decode(self, body):
        if "codes" not in body:
            raise ValueError("codes must be given.")
        return {"images": body["codes"]}

    def encode(self, body):
        raise TypeError("images must be numbers, got a string.")

    def vary(self, body):
        raise RuntimeError("out of order")

    def test_images(self, body):
        return {"indices": body["indices"]}

    def human_or_machine(self, body):
        time.sleep(body["seconds"])  # an answer slower than a request
        return {"n": 1}


@pytest.fixture(scope="module")
def served():
    """(the server, the lines it logged)."""
    global PORT
    instance = server.listen("127.0.0.1", 0)
    instance.explorer, logged = Explorer(), []
    instance.log = logged.append
    PORT = instance.server_address[1]
    thread = threading.Thread(target=instance.serve_forever,
                              kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield instance, logged
    instance.shutdown()
    instance.server_close()


def _ask(method, path, body=None, headers=None, connection=None):
    """(status, headers, the JSON answer or the bytes) of one request."""
    own = connection is None
    connection = connection or http.client.HTTPConnection(
        "127.0.0.1", PORT, timeout=10)
    raw = body if isinstance(body, bytes) or body is None else \
        json.dumps(body).encode()
    connection.request(method, path, body=raw, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    if own:
        connection.close()
    answer = json.loads(content) if content and response.getheader(
        "Content-Type") == "application/json" else content
    return response.status, dict(response.getheaders()), answer


def _raw(request):
    """(status line, the JSON answer) of bytes sent as they are."""
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)  # no more: a drain ends here
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    if not received.startswith(b"HTTP/"):  # an HTTP/0.9 answer: no head
        return None, json.loads(received)
    head, _, body = received.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), json.loads(body)


def test_the_pages_files_are_served_as_they_are(served):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    for path, name, kind in (
            ("/", "index.html", "text/html; charset=utf-8"),
            ("/index.html", "index.html", "text/html; charset=utf-8"),
            ("/explore.js", "explore.js", "text/javascript; charset=utf-8"),
            ("/explore.css?v=2", "explore.css", "text/css; charset=utf-8")):
        with open(os.path.join(handler.PAGE_DIR, name), "rb") as f:
            content = f.read()
        status, headers, body = _ask("GET", path, connection=connection)
        assert (status, body) == (200, content)  # one connection for all
        assert headers == {"Content-Type": kind, "Cache-Control": "no-store",
                           "Content-Length": str(len(content))}
        status, headers, body = _ask("HEAD", path, connection=connection)
        assert (status, body) == (200, b"")
        assert headers["Content-Length"] == str(len(content))
    connection.close()


def test_head_sends_the_headers_and_not_one_byte_more(served):
    for path in ("/", "/explore.css", "/api/model"):
        with socket.create_connection(("127.0.0.1", PORT), timeout=10) as sock:
            sock.sendall(f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\n"
                         "Connection: close\r\n\r\n".encode())
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        head, _, rest = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and rest == b"", path


def test_the_api_answers_what_the_model_answers(served):
    assert _ask("GET", "/api/model")[::2] == (200, {"model": "stand-in"})
    status, headers, answer = _ask("GET", "/api/latent?fresh=1")
    assert (status, answer) == (200, {"points": [[0.5, -1.]]})
    assert headers["Content-Type"] == "application/json"
    assert _ask("POST", "/api/decode", {"codes": [[1.5, -2]]})[::2] == \
        (200, {"images": [[1.5, -2]]})
    origin = {"Origin": f"http://127.0.0.1:{PORT}"}
    assert _ask("POST", "/api/test_images", {"indices": [3]}, origin)[::2] \
        == (200, {"indices": [3]})
    assert _ask("HEAD", "/api/model")[::2] == (200, b"")


@pytest.mark.parametrize("method, path, body, status, allow, error", [
    ("POST", "/api/decode", {}, 400, None, "codes must be given."),
    ("POST", "/api/encode", {}, 400, None,
     "images must be numbers, got a string."),
    ("POST", "/api/vary", {}, 500, None,
     "the model failed on this request (RuntimeError: out of order)."),
    ("GET", "/api/decode", None, 405, "POST",
     "/api/decode takes POST, not GET."),
    ("POST", "/api/model", {}, 405, "GET, HEAD",
     "/api/model takes GET, not POST."),
    ("POST", "/", {}, 405, "GET, HEAD", "/ takes GET, not POST."),
    ("GET", "/secrets", None, 404, None, "no such page: /secrets."),
    ("POST", "/secrets", {}, 404, None, "no such page: /secrets."),
    ("PUT", "/", None, 405, "GET, HEAD, POST",
     "PUT is not a method of this server; use GET or POST."),
    ("DELETE", "/api/model", None, 405, "GET, HEAD, POST",
     "DELETE is not a method of this server; use GET or POST."),
    ("POST", "/api/decode", b"[1, 2]", 400, None,
     "the body must be a JSON object."),
    ("POST", "/api/decode", b'{"codes": [NaN]}', 400, None,
     "the body holds NaN, which is not a finite number; send finite numbers."),
    ("POST", "/api/decode", b'{"codes": [-Infinity]}', 400, None,
     "the body holds -Infinity, which is not a finite number; send finite "
     "numbers."),
    ("POST", "/api/decode", b'{"codes": [1e400]}', 400, None,
     "the body holds 1e400, beyond float range (NaN or infinite in the "
     "model); send numbers within float32's range."),
    ("POST", "/api/decode", b'{"codes": [-1234567890.12345678e400]}', 400,
     None, "the body holds -1234567890.12345678, beyond float range (NaN or "
     "infinite in the model); send numbers within float32's range."),
    ("POST", "/api/decode", b'{"codes": ', 400, None, "the body is not JSON "
     "this server takes (nesting, a number too long); send a JSON object."),
    ("POST", "/api/decode", b'{"a": "\xff"}', 400, None, "the body is not "
     "JSON this server takes (nesting, a number too long); send a JSON "
     "object."),
    ("POST", "/api/decode", b"[" * 100_000, 400, None, "the body is not JSON "
     "this server takes (nesting, a number too long); send a JSON object."),
], ids=["value error", "type error", "model failure", "GET of a POST",
        "POST of a GET", "POST of the page", "unknown", "unknown POST", "PUT",
        "DELETE", "not an object", "NaN", "infinity", "huge", "long huge",
        "not JSON", "not UTF-8", "nested"])
def test_a_refusal_is_one_sentence_and_closes(served, method, path, body,
                                             status, allow, error):
    got, headers, answer = _ask(method, path, body)
    assert (got, answer) == (status, {"error": error})
    assert headers.get("Allow") == allow
    assert headers["Connection"] == "close"
    assert headers["Cache-Control"] == "no-store"
    _, logged = served
    assert logged[-1] == f"127.0.0.1 {method} {path}: {status} {error}"


def test_only_its_own_host_names_and_origin_are_answered(served):
    for host in (f"localhost:{PORT}", f"[::1]:{PORT}", f"127.0.0.1:{PORT}"):
        assert _ask("GET", "/api/model", headers={"Host": host})[0] == 200
    name = "rebound.example" + "x" * 60
    assert _ask("GET", "/api/model", headers={"Host": name})[::2] == (
        403, {"error": f"this server answers for 127.0.0.1:{PORT}, not "
                       f"{name[:60]}."})
    assert _raw(b"GET / HTTP/1.0\r\n\r\n") == (
        "HTTP/1.1 403 Forbidden", {"error": f"this server answers for "
                                            f"127.0.0.1:{PORT}, not no Host."})
    page = "http://evil.example/" + "y" * 60
    assert _ask("POST", "/api/decode", {"codes": []},
                {"Origin": page})[::2] == (403, {
                    "error": f"a page of {page[:60]} may not post to this "
                             "server."})
    assert _ask("GET", "/api/model", headers={"Origin": page})[0] == 200


@pytest.mark.parametrize("length, status, error", [
    (b"x" * 25, 400, "Content-Length must be a whole number of bytes, got "
                     "'xxxxxxxxxxxxxxxxxxxx'."),
    (None, 411, "the request needs a Content-Length."),
    (b"abc", 400, "Content-Length must be a whole number of bytes, got 'abc'."),
    (b"-1", 400, "Content-Length must be a whole number of bytes, got '-1'."),
    (b"1234567890123", 400, "Content-Length must be a whole number of bytes, "
                            "got '1234567890123'."),
    (b"4194305", 413, "the body is 4194305 bytes; at most 4194304 are taken."),
], ids=["long", "missing", "text", "negative", "13 digits", "over 4 MB"])
def test_a_body_is_read_only_with_a_plain_length_within_the_limit(
        served, length, status, error):
    header = b"" if length is None else b"Content-Length: " + length + \
        b"\r\n"
    request = (b"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % PORT
               + header + b"\r\n")
    line, answer = _raw(request)
    assert (int(line.split()[1]), answer) == (status, {"error": error})


def test_a_body_of_4_mb_is_read_and_one_over_is_drained(served):
    body = b'{"codes": "' + b"x" * (handler.MAX_BODY - 13) + b'"}'
    assert len(body) == handler.MAX_BODY
    status, _, answer = _ask("POST", "/api/decode", body)
    assert status == 200 and len(answer["images"]) == handler.MAX_BODY - 13
    status, headers, answer = _ask("POST", "/api/decode", body + b" ")
    assert status == 413 and headers["Connection"] == "close"


def test_a_malformed_request_line_is_answered_in_json(served):
    _, logged = served
    assert _raw(b"NONSENSE\r\n\r\n") == (
        None, {"error": "Bad request syntax ('NONSENSE')."})
    assert logged[-1] == ("127.0.0.1 - -: 400 Bad request syntax "
                          "('NONSENSE').")
    assert _raw(b"GET / HTTP/1.1\r\nX: " + b"x" * 70_000 + b"\r\n\r\n") == (
        "HTTP/1.1 431 Request Header Fields Too Large",
        {"error": "Line too long."})
    assert logged[-1] == "127.0.0.1 GET /: 431 Line too long."
    status, answer = _raw(b"GET /\x1b[2J HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                          b"\r\n" % PORT)
    assert answer == {"error": "no such page: /\x1b[2J."}
    assert logged[-1] == \
        "127.0.0.1 GET /\\x1b[2J: 404 no such page: /\\x1b[2J."


def _closed_within(sock, seconds):
    """Whether the server ends the connection within `seconds`, the
    client still open."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        return False
    return True


def test_a_refused_request_is_closed_at_once_its_body_read_to_16_mb(served):
    head = b"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % PORT
    with socket.create_connection(("127.0.0.1", PORT)) as sock:
        sock.sendall(head + b"Content-Length: 2\r\n\r\n[]")
        assert _closed_within(sock, 3)
    with socket.create_connection(("127.0.0.1", PORT)) as sock:
        sock.sendall(head + b"Content-Length: 5000000\r\n\r\n"
                     + b" " * 5_000_000)
        assert _closed_within(sock, 3)  # all of it drained, then closed
    with socket.create_connection(("127.0.0.1", PORT)) as sock:
        sock.sendall(head + b"Content-Length: 100000000\r\n\r\n")
        # 16 MB drained, then it closes (maybe before all was sent)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b" " * (18 << 20))
        assert _closed_within(sock, 3)


def test_a_refused_body_sent_whole_still_gets_its_answer(served):
    """All of it is read before the connection closes: unread bytes would
    make the close a reset, which takes the answer with it."""
    # 15 MB: more than the sockets' buffers could hold unread
    with socket.create_connection(("127.0.0.1", PORT), timeout=5) as sock:
        sock.sendall(b"POST /api/decode HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     b"Content-Length: 15000000\r\n\r\n" % PORT
                     + b" " * 15_000_000)
        time.sleep(0.5)  # the server is done and closed before we read
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 413 ")
    assert received.endswith(b"at most 4194304 are taken.\"}")


def test_a_stalled_request_is_dropped_a_slow_answer_is_not(served,
                                                           monkeypatch):
    monkeypatch.setattr(server, "REQUEST_SECONDS", 0.3)
    with socket.create_connection(("127.0.0.1", PORT)) as sock:
        sock.sendall(b"GET /api/mo")  # and nothing more
        assert _closed_within(sock, 3)
    assert _ask("POST", "/api/human_or_machine", {"seconds": 0.8})[::2] == \
        (200, {"n": 1})
    monkeypatch.setattr(served[0].explorer, "latent",
                        lambda: time.sleep(0.8) or {"points": []})
    assert _ask("GET", "/api/latent")[::2] == (200, {"points": []})
    served[0].wait_for_answers()


def test_head_and_queries_are_answered_as_get(served):
    assert _ask("GET", "/api/latent?at=1?and=2")[0] == 200
    for path, status in (("/api/model", "200 OK"),
                         ("/nothing?x=1?y", "404 Not Found")):
        with socket.create_connection(("127.0.0.1", PORT), timeout=5) as s:
            s.sendall(b"HEAD %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                      b"Connection: close\r\n\r\n" % (path.encode(), PORT))
            received = b""
            while chunk := s.recv(65536):
                received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 " + status.encode()) and body == b""
    assert served[1][-1] == \
        "127.0.0.1 HEAD /nothing: 404 no such page: /nothing."


def test_a_request_line_too_long_is_414(served):
    line, answer = _raw(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert answer == {"error": "bad request."}


def test_beyond_the_cap_a_connection_waits_for_a_slot(monkeypatch):
    # a cap of 2, held by two browsers' idle connections: a third client's
    # request waits, and is answered as soon as one of them closes
    monkeypatch.setattr(server, "MAX_CONNECTIONS", 2)
    capped = server.listen("127.0.0.1", 0)
    capped.explorer, capped.log = Explorer(), lambda line: None
    port = capped.server_address[1]
    threading.Thread(target=capped.serve_forever, daemon=True,
                     kwargs={"poll_interval": 0.05}).start()
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    third = socket.create_connection(("127.0.0.1", port), timeout=1)
    try:
        third.sendall(b"GET /api/model HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                      b"Connection: close\r\n\r\n" % port)
        with pytest.raises(TimeoutError):
            third.recv(65536)  # no slot: not answered within a second
        held.pop().close()
        third.settimeout(5)
        received = b""
        while chunk := third.recv(65536):
            received += chunk
        assert received.startswith(b"HTTP/1.1 200 OK\r\n")
        assert received.endswith(b'{"model": "stand-in"}')
    finally:
        for sock in held + [third]:
            sock.close()
        capped.shutdown()
        capped.server_close()
