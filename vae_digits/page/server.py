"""The explore page's HTTP server, on the standard library's
ThreadingHTTPServer: the page's own files (vae_digits/page/static/,
nothing else) and the JSON API over an api.Explorer.

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
import errno
import http.server
import ipaddress
import json
import os
import sys

from vae_digits.core.errors import UserError

__all__ = ["ExploreServer", "MAX_BODY", "PAGE_DIR", "listen", "serve",
           "is_loopback"]

MAX_BODY = 4 * 1024 * 1024
PAGE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
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
        super().__init__(message)
        self.status = status


def _reject_constant(name):
    raise RequestError(400, f"the body holds {name}, which is not a finite "
                            "number; send finite numbers.")


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "vae_digits-explore"
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes: without this, Nagle's
    # algorithm holds the body until the client's delayed ACK, 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        try:
            if path in PAGE_FILES:
                return self._send_file(*PAGE_FILES[path])
            if path in GET_ROUTES:
                return self._send_json(200, getattr(
                    self.server.explorer, GET_ROUTES[path])())
            if path in POST_ROUTES:
                raise RequestError(405, f"{path} takes POST, not GET.")
            raise RequestError(404, f"no such page: {path}.")
        except RequestError as e:
            self._send_error(e.status, str(e))

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        try:
            if path not in POST_ROUTES:
                if path in GET_ROUTES or path in PAGE_FILES:
                    raise RequestError(405, f"{path} takes GET, not POST.")
                raise RequestError(404, f"no such page: {path}.")
            body = self._read_json()
            try:
                answer = getattr(self.server.explorer,
                                 POST_ROUTES[path])(body)
            except (ValueError, TypeError) as e:
                raise RequestError(400, str(e)) from None
            except Exception as e:  # noqa: BLE001 (one line, not a trace)
                raise RequestError(500, "the model failed on this request "
                                        f"({type(e).__name__}: {e}).") \
                    from None
            self._send_json(200, answer)
        except RequestError as e:
            self._send_error(e.status, str(e))

    def send_error(self, code, message=None, explain=None):
        """http.server's own errors (a malformed request line, a header
        too long), as JSON too."""
        self.command = self.command or "?"
        self.path = getattr(self, "path", "") or "?"
        self._send_error(code, (message or "bad request").rstrip(".") + ".")

    def _method_not_allowed(self):
        self._send_error(405, f"{self.command} is not a method of this server; use GET "
                              "or POST.")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed

    def _read_json(self):
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise RequestError(411, "the request needs a "
                                    "Content-Length.") from None
        if length > MAX_BODY:
            # Read it away (up to a bound), so that the client sees the
            # answer rather than a connection reset mid-send.
            left = min(length, 16 * MAX_BODY)
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                left -= len(chunk)
            raise RequestError(413, f"the body is {length} bytes; at most {MAX_BODY} are "
                                    "taken.")
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8"),
                              parse_constant=_reject_constant)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RequestError(400, "the body is not JSON; send a JSON "
                                    "object.") from None
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
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            return  # the client went away: nothing to tell
        sys.stderr.write(f"{client_address[0]} connection dropped: "
                         f"{error or 'unknown error'}\n")


def listen(host, port):
    """An ExploreServer bound to (host, port), its model still to come;
    UserError if it cannot listen there."""
    try:
        return ExploreServer((host, port), None)
    except (OSError, OverflowError) as e:
        if getattr(e, "errno", None) == errno.EADDRINUSE:
            raise UserError(f"port {port} on {host} is in use; stop what "
                            "uses it or pass another --port.") from None
        reason = getattr(e, "strerror", None) or e
        raise UserError(f"cannot listen on {host} port {port} ({reason}); "
                        "pass another --host or --port.") from None


def serve(server, explorer, host):
    """Serve `explorer` until Ctrl-C, then close both."""
    server.explorer = explorer
    address, port = server.server_address[:2]
    vae = explorer.vae
    try:  # from here on Ctrl-C stops the server cleanly
        if not is_loopback(host):
            print(f"note: listening on {host}: the page is reachable from "
                  "other machines.", file=sys.stderr)
        shown = "127.0.0.1" if address in ("0.0.0.0", "") else address
        print(f"Serving the {vae.model} model (epoch {vae.epoch}, "
              f"{vae.checkpoint}) at http://{shown}:{port}/ ; Ctrl-C stops",
              flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.server_close()
        explorer.close()


def is_loopback(host):
    """Whether `host` is an address of this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
