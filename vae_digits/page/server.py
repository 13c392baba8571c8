"""The explore page's HTTP server, on the standard library's
ThreadingHTTPServer, sized for a room: the page's own files
(vae_digits/page/static/) and the JSON API over an api.Explorer
(handler.py answers each request).

    GET  /api/model                  the model, its epoch, z_dim, classes
    GET  /api/latent                 the map: points, labels, projection
    POST /api/decode      {"codes": [[...], ...]}    -> {"images": ...}
    POST /api/encode      {"images": [[784], ...]}   -> {"means": ...}
    POST /api/vary        {"index", "std_noise", "n", "seed"}
    POST /api/test_images {"indices": [...]}
    POST /api/human_or_machine {"n", "seed"}

It queues up to BACKLOG connections at once, serves at most
MAX_CONNECTIONS together (more wait, they are not refused), drops a
client that has not sent a whole request within REQUEST_SECONDS, and
stops on Ctrl-C or SIGTERM once the answers under way are out.
"""
import contextlib
import errno
import http.server
import ipaddress
import resource
import signal
import socket
import sys
import threading
import time

from vae_digits.core.errors import UserError
from vae_digits.page.handler import MAX_BODY, PAGE_DIR, Handler

__all__ = ["ExploreServer", "MAX_BODY", "PAGE_DIR", "listen", "serve",
           "is_loopback"]

BACKLOG = 512
# Connections served at once: beyond it new ones wait in the backlog. It
# stays below the process's file descriptor limit, past which accept()
# fails over and over.
MAX_CONNECTIONS = max(64, min(1024, resource.getrlimit(
    resource.RLIMIT_NOFILE)[0] - 64))
REQUEST_SECONDS = 10.
DRAIN_SECONDS = 5.  # the longest a stop waits for the answers under way


class ExploreServer(http.server.ThreadingHTTPServer):
    """Serves `explorer` on (host, port): a thread per connection, at
    most MAX_CONNECTIONS of them, each request read within
    REQUEST_SECONDS."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = BACKLOG

    def __init__(self, address, explorer):
        self.explorer = explorer
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._deadlines, self._lock = {}, threading.Lock()
        self._busy = 0  # requests read and being answered
        super().__init__(address, Handler)
        self.loopback = is_loopback(address[0])
        threading.Thread(target=self._drop_stalled, daemon=True).start()

    def log(self, line):
        sys.stderr.write(line + "\n")

    def host_names(self):
        """The Host headers a loopback server answers."""
        port = self.server_address[1]
        return [f"{name}:{port}" for name in ("127.0.0.1", "localhost",
                                               "[::1]")]

    def accepts_host(self, host):
        return not self.loopback or host in self.host_names()

    def process_request(self, request, client_address):
        self._slots.acquire()  # beyond MAX_CONNECTIONS, new ones wait
        try:
            super().process_request(request, client_address)
        except Exception:  # no thread started: it will not release it
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    @contextlib.contextmanager
    def request_deadline(self, connection):
        """While a request is handled: it must be read by its deadline
        (request_read says it is); then it counts as busy until
        answered."""
        with self._lock:
            self._deadlines[connection] = time.monotonic() + REQUEST_SECONDS
        try:
            yield
        finally:
            with self._lock:
                if self._deadlines.pop(connection, None) is None:
                    self._busy -= 1

    def request_read(self, connection):
        with self._lock:
            if self._deadlines.pop(connection, None) is not None:
                self._busy += 1

    def _drop_stalled(self):
        """Shut the connections whose request is late, every quarter
        second: a read blocked on them returns at once."""
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                late = [c for c, t in self._deadlines.items() if t < now]
            for connection in late:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def wait_for_answers(self, seconds=DRAIN_SECONDS):
        """Wait (at most `seconds`) until no request is being answered."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with self._lock:
                if self._busy <= 0:
                    return
            time.sleep(0.05)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError,
                              TimeoutError)):
            return  # the client went away or stalled: nothing to tell
        self.log(f"{client_address[0]} connection dropped: "
                 f"{error or 'unknown error'}")


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
    """Serve `explorer` until Ctrl-C or SIGTERM, then let the answers under
    way finish and close both."""
    server.explorer = explorer
    address, port = server.server_address[:2]
    vae = explorer.vae
    terminated = []

    def on_sigterm(signum, frame):  # stop serving, from another thread
        terminated.append(signum)
        threading.Thread(target=server.shutdown, daemon=True).start()
    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:  # from here on Ctrl-C and SIGTERM stop the server cleanly
        if not server.loopback:
            print(f"note: listening on {host}: the page is reachable from "
                  "other machines, and it answers whatever Host name they "
                  "use (the Host check guards loopback servers only).",
                  file=sys.stderr)
        shown = "127.0.0.1" if address in ("0.0.0.0", "") else address
        if ":" in shown:
            shown = f"[{shown}]"
        print(f"Serving the {vae.model} model (epoch {vae.epoch}, "
              f"{vae.checkpoint}) at http://{shown}:{port}/ ; Ctrl-C stops",
              flush=True)
        server.serve_forever(poll_interval=0.2)
        if terminated:
            print("Stopped: SIGTERM.", flush=True)
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.socket.close()  # the port is free at once
        server.wait_for_answers()
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
