"""One HTTP request to the explore page: the page's own files, the JSON
API, and a one-sentence 4xx for anything else. Every request is checked
before it is served: its Host (a loopback server answers only for its own
names, against DNS rebinding), its Origin on a POST (no cross-site
POST), its Content-Length (plain digits within MAX_BODY, answered at
once otherwise), and its JSON (any body the parser cannot take, or a
number beyond float range, is a 400)."""
import http.server
import json
import math
import os
import re

__all__ = ["Handler", "RequestError", "MAX_BODY", "PAGE_DIR"]

MAX_BODY = 4 * 1024 * 1024
PAGE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
CONTENT_TYPES = {".html": "text/html; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8"}
PAGE_FILES = {f"/{name}": (name, CONTENT_TYPES[os.path.splitext(name)[1]])
              for name in sorted(os.listdir(PAGE_DIR))
              if os.path.splitext(name)[1] in CONTENT_TYPES}
PAGE_FILES["/"] = PAGE_FILES["/index.html"]
GET_ROUTES = {"/api/model": "model", "/api/latent": "latent"}
POST_ROUTES = {"/api/decode": "decode", "/api/encode": "encode",
               "/api/vary": "vary", "/api/test_images": "test_images",
               "/api/human_or_machine": "human_or_machine",
               "/api/elbo": "elbo"}
DIGITS = re.compile(r"[0-9]{1,12}")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RequestError(Exception):
    """A request that is not well formed: its status and one sentence."""

    def __init__(self, status, message, allow=None):
        super().__init__(message)
        self.status, self.allow = status, allow


def _reject_constant(name):
    raise RequestError(400, f"the body holds {name}, which is not a finite "
                            "number; send finite numbers.")


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise RequestError(400, f"the body holds {text[:20]}, beyond float "
                                "range (NaN or infinite in the model); send "
                                "numbers within float32's range.")
    return value


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "vae_digits-explore"
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: without this, Nagle's
    # algorithm holds the body until the client's delayed ACK, 40 ms.
    disable_nagle_algorithm = True
    timeout = 30  # seconds one read may wait (the server drops a request
    # that is not whole within REQUEST_SECONDS anyway)

    def log_message(self, format, *args):
        """One line, its control characters escaped."""
        line = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}",
                           format % args)
        self.server.log(f"{self.address_string()} {line}")

    def handle_one_request(self):
        self._allow, self._drain = None, 0
        with self.server.request_deadline(self.connection):
            super().handle_one_request()

    def do_GET(self):
        self._serve(send_body=True)

    def do_HEAD(self):
        self._serve(send_body=False)

    def do_POST(self):
        try:
            path = self._checked_path()
            if path not in POST_ROUTES:
                raise self._wrong_method(path)
            body = self._read_json()
            self.server.request_read(self.connection)
            self._send_json(200, self._answer(POST_ROUTES[path], body))
        except RequestError as e:
            self._send_error(e)

    def _serve(self, send_body):
        try:
            path = self._checked_path()
            self.server.request_read(self.connection)
            if path in PAGE_FILES:
                name, kind = PAGE_FILES[path]
                with open(os.path.join(PAGE_DIR, name), "rb") as f:
                    return self._send(200, f.read(), kind, send_body)
            if path not in GET_ROUTES:
                raise self._wrong_method(path)
            return self._send(200, json.dumps(self._answer(
                GET_ROUTES[path])).encode("utf-8"), "application/json",
                send_body)
        except RequestError as e:
            self._send_error(e, send_body)

    def _checked_path(self):
        """The request's path, once its Host and Origin are this
        server's."""
        host = self.headers.get("Host", "")
        if not self.server.accepts_host(host):
            raise RequestError(403, f"this server answers for "
                                    f"{self.server.host_names()[0]}, not "
                                    f"{host[:60] or 'no Host'}.")
        origin = self.headers.get("Origin")
        if self.command == "POST" and origin is not None and \
                origin != f"http://{host}":
            raise RequestError(403, f"a page of {origin[:60]} may not post "
                                    "to this server.")
        return self.path.split("?", 1)[0]

    def _wrong_method(self, path):
        if path in POST_ROUTES:
            return RequestError(405, f"{path} takes POST, not GET.", "POST")
        if path in GET_ROUTES or path in PAGE_FILES:
            return RequestError(405, f"{path} takes GET, not POST.",
                                "GET, HEAD")
        return RequestError(404, f"no such page: {path}.")

    def _answer(self, method, *args):
        try:
            return getattr(self.server.explorer, method)(*args)
        except (ValueError, TypeError) as e:
            raise RequestError(400, str(e)) from None
        except Exception as e:  # noqa: BLE001 (one line, not a trace)
            raise RequestError(500, "the model failed on this request "
                                    f"({type(e).__name__}: {e}).") from None

    def send_error(self, code, message=None, explain=None):
        """http.server's own errors (a malformed request line, a header
        too long), as JSON too."""
        self.command = self.command or "-"
        self.path = getattr(self, "path", "") or "-"
        self._send_error(RequestError(
            code, (message or "bad request").rstrip(".") + "."))

    def _method_not_allowed(self):
        self._send_error(RequestError(
            405, f"{self.command} is not a method of this server; use GET "
                 "or POST.", "GET, HEAD, POST"))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed

    def _read_json(self):
        """The request's body, a JSON object, read only if its
        Content-Length is plain digits within MAX_BODY."""
        length = self.headers.get("Content-Length")
        if length is None:
            raise RequestError(411, "the request needs a Content-Length.")
        if not DIGITS.fullmatch(length):
            raise RequestError(400, "Content-Length must be a whole number "
                                    f"of bytes, got {length[:20]!r}.")
        if int(length) > MAX_BODY:
            self._drain = min(int(length), 4 * MAX_BODY)
            raise RequestError(413, f"the body is {int(length)} bytes; at "
                                    f"most {MAX_BODY} are taken.")
        raw = self.rfile.read(int(length))
        try:
            body = json.loads(raw.decode("utf-8"),
                              parse_constant=_reject_constant,
                              parse_float=_finite_float)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise RequestError(400, "the body is not JSON this server takes "
                                    "(nesting, a number too long); send a "
                                    "JSON object.") from None
        if not isinstance(body, dict):
            raise RequestError(400, "the body must be a JSON object.")
        return body

    def _send_json(self, status, value, send_body=True):
        self._send(status, json.dumps(value).encode("utf-8"),
                   "application/json", send_body)

    def _send_error(self, error, send_body=True):
        self.log_message("%s %s: %d %s", self.command,
                         self.path.split("?", 1)[0], error.status,
                         str(error))
        self.close_connection = True  # a body may be left unread
        self._allow = error.allow
        self._send_json(error.status, {"error": str(error)}, send_body)
        # The answer is out; read away a refused body (bounded, within the
        # request's deadline) so that the client sees it, not a reset.
        while self._drain > 0:
            chunk = self.rfile.read(min(self._drain, 1 << 20))
            if not chunk:
                break
            self._drain -= len(chunk)

    def _send(self, status, content, content_type, send_body=True):
        self.send_response_only(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        if getattr(self, "_allow", None):
            self.send_header("Allow", self._allow)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self.wfile.write(content)
