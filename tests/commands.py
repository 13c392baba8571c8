"""Command lines run as `python -m vae_digits.X ARGS` runs them, each in a
process of its own, without paying for TensorFlow's import every time.

Importing TensorFlow takes about 5 s of the 6 to 10 s that most commands
the tests run take, and the tests run some 200. So one server process
imports it once, the package's way (vae_digits.core.compat: quietly, with
the package's settings), and forks a child for each command. The child
takes the test's working directory and environment, reads nothing from
stdin, writes stdout and stderr to files, and runs the module as `python
-m` does (runpy's `_run_module_as_main`, which `-m` calls, with
`sys.argv` and `sys.path[0]` set alike); its exit is the command's exit.
A fork of a process that has only imported TensorFlow (no session, no
thread pool yet) runs its graphs as a fresh process does.

What a fork cannot show needs a real interpreter: TensorFlow's start-up
lines and the environment variables it reads on import, signals sent to
a running command. Those tests start `python -m` themselves.
"""
import atexit
import json
import os
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import time

_server = None
_lock = threading.Lock()


def run(module, *args, cwd=None, env=None, timeout=900):
    """`python -m module args` from `cwd` with the environment `env`
    (os.environ's by default), as subprocess.run(..., capture_output=True,
    text=True) returns it. PYTHONPATH and what TensorFlow reads on import
    are the server's: a test that sets them starts an interpreter."""
    global _server
    with _lock, tempfile.TemporaryDirectory() as held:
        if _server is None or _server.poll() is not None:
            _server = _start_server()
        out, err = (os.path.join(held, name) for name in ("out", "err"))
        request = dict(module=module, args=[str(arg) for arg in args],
                       cwd=os.fspath(cwd or os.getcwd()),
                       env=dict(os.environ if env is None else env),
                       out=out, err=err, timeout=timeout)
        _server.stdin.write(json.dumps(request) + "\n")
        _server.stdin.flush()
        reply = _server.stdout.readline()
        if not reply:
            raise RuntimeError("the command server died; its stderr is above")
        returncode = json.loads(reply)["returncode"]
        if returncode is None:
            raise subprocess.TimeoutExpired([module, *args], timeout)
        with open(out, encoding="utf-8", errors="replace") as f_out, \
                open(err, encoding="utf-8", errors="replace") as f_err:
            return subprocess.CompletedProcess(
                [sys.executable, "-m", module, *args], returncode,
                f_out.read(), f_err.read())


def _start_server():
    from tests.helpers import sigint_at_default
    server = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, preexec_fn=sigint_at_default)
    atexit.register(server.kill)
    return server


def _serve():
    from vae_digits.core.compat import tf
    assert tf.float32  # the first use imports TensorFlow, the package's way
    sys.stdout.flush()
    sys.stderr.flush()
    for line in sys.stdin:
        request = json.loads(line)
        child = os.fork()
        if child == 0:
            _run_child(request)
        print(json.dumps(dict(returncode=_wait(child, request["timeout"]))),
              flush=True)


def _wait(child, timeout):
    """The child's exit code as subprocess gives it (-N for signal N), or
    None once it ran past `timeout` seconds and was killed."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            return None
        time.sleep(0.02)


def _run_child(request):
    """Become `python -m module args` (never returns)."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, path in ((1, request["out"]), (2, request["err"])):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 (the process's own)
    sys.path[0] = os.getcwd()
    sys.argv = ["-m", *request["args"]]
    # what `python -m` itself calls; the command's SystemExit ends this
    # process as it ends that one
    runpy._run_module_as_main(request["module"])
    sys.exit(0)


if __name__ == "__main__":
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    _serve()
