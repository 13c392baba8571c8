"""The explore page's HTTP server, on the standard library's
ThreadingHTTPServer: the page's own files (vae_digits/page/, nothing
else) and the JSON API over an explorer.Explorer.

    GET  /api/model                  the model, its epoch, z_dim, classes
    GET  /api/latent                 the map: points, labels, projection
    POST /api/decode      {"codes": [[...], ...]}    -> {"images": ...}
    POST /api/encode      {"images": [[784], ...]}   -> {"means": ...}
    POST /api/vary        {"index", "std_noise", "n", "seed"}
    POST /api/test_images {"indices": [...]}
    POST /api/human_or_machine {"n", "seed"}

A request that is not well formed gets a 4xx answer {"error": "one
sentence"} and one line in the log; the server goes on serving.
"""
import http.server
import json
import os
import sys

__all__ = ["ExploreServer", "MAX_BODY", "PAGE_DIR"]

MAX_BODY = 4 * 1024 * 1024
PAGE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "page")
PAGE_FILES = {"/": ("index.html", "text/html; charset=utf-8"),
              "/index.html": ("index.html", "text/html; charset=utf-8"),
              "/explore.js": ("explore.js", "text/javascript; charset=utf-8"),
              "/explore.css": ("explore.css", "text/css; charset=utf-8")}
GET_ROUTES = {"/api/model": "model", "/api/latent": "latent"}
POST_ROUTES = {"/api/decode": "decode", "/api/encode": "encode",
               "/api/vary": "vary", "/api/test_images": "test_images",
               "/api/human_or_machine": "human_or_machine"}


class RequestError(Exception):
    """A request that is not well formed: its status and one sentence."""

    def __init__(self, status, message):
        super(RequestError, self).__init__(message)
        self.status = status


def _reject_constant(name):
    raise RequestError(400, "the body holds {}, which is not a finite "
                            "number; send finite numbers.".format(name))


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "vae_digits-explore"
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: without this, Nagle's
    # algorithm holds the body until the client's delayed ACK, 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        sys.stderr.write("{} {}\n".format(self.address_string(),
                                          format % args))

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        try:
            if path in PAGE_FILES:
                return self._send_file(*PAGE_FILES[path])
            if path in GET_ROUTES:
                return self._send_json(200, getattr(
                    self.server.explorer, GET_ROUTES[path])())
            if path in POST_ROUTES:
                raise RequestError(405, "{} takes POST, not GET.".format(
                    path))
            raise RequestError(404, "no such page: {}.".format(path))
        except RequestError as e:
            self._send_error(e.status, str(e))

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        try:
            if path not in POST_ROUTES:
                if path in GET_ROUTES or path in PAGE_FILES:
                    raise RequestError(405, "{} takes GET, not POST."
                                       .format(path))
                raise RequestError(404, "no such page: {}.".format(path))
            body = self._read_json()
            try:
                answer = getattr(self.server.explorer,
                                 POST_ROUTES[path])(body)
            except (ValueError, TypeError) as e:
                raise RequestError(400, str(e))
            except Exception as e:  # noqa: BLE001 (one line, not a trace)
                raise RequestError(500, "the model failed on this request "
                                        "({}: {}).".format(
                                            type(e).__name__, e))
            self._send_json(200, answer)
        except RequestError as e:
            self._send_error(e.status, str(e))

    def send_error(self, code, message=None, explain=None):
        """http.server's own errors (a malformed request line, a header
        too long), as JSON too."""
        self.command = self.command or "?"
        self.path = getattr(self, "path", "") or "?"
        self._send_error(code, "{}.".format(
            (message or "bad request").rstrip(".")))

    def _method_not_allowed(self):
        self._send_error(405, "{} is not a method of this server; use GET "
                              "or POST.".format(self.command))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed

    def _read_json(self):
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise RequestError(411, "the request needs a Content-Length.")
        if length > MAX_BODY:
            # Read it away (up to a bound), so that the client sees the
            # answer rather than a connection reset mid-send.
            left = min(length, 16 * MAX_BODY)
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
            raise RequestError(413, "the body is {} bytes; at most {} are "
                                    "taken.".format(length, MAX_BODY))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8"),
                              parse_constant=_reject_constant)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RequestError(400, "the body is not JSON; send a JSON "
                                    "object.")
        if not isinstance(body, dict):
            raise RequestError(400, "the body must be a JSON object.")
        return body

    def _send_file(self, name, content_type):
        with open(os.path.join(PAGE_DIR, name), "rb") as f:
            content = f.read()
        self._send(200, content, content_type)

    def _send_json(self, status, value):
        self._send(status, json.dumps(value).encode("utf-8"),
                   "application/json")

    def _send_error(self, status, message):
        self.log_message("%s %s: %d %s", self.command,
                         self.path.split("?", 1)[0], status, message)
        self.close_connection = True  # a body may be left unread
        self._send_json(status, {"error": message})

    def _send(self, status, content, content_type):
        self.send_response_only(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(content)


class ExploreServer(http.server.ThreadingHTTPServer):
    """Serves `explorer` on (host, port); a thread per connection."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, explorer):
        self.explorer = explorer
        super(ExploreServer, self).__init__(address, Handler)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            return  # the client went away: nothing to tell
        sys.stderr.write("{} connection dropped: {}\n".format(
            client_address[0], error or "unknown error"))
