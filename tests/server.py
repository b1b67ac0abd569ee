"""A real HTTP server on 127.0.0.1, in a thread, that can misbehave on purpose."""

from __future__ import annotations

import functools
import socket
import sys
import threading
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class FaultyHandler(SimpleHTTPRequestHandler):
    """Serves a folder; ``server.faults`` maps a URL path to a fault.

    The faults: an HTTP status (sent instead of the file); ``"stall"`` (no
    answer for ``server.stall_seconds``); ``"stall-body"`` (headers and half
    the file, then silence); ``"truncate"`` (half the file, then the
    connection is closed); ``"flaky"`` (503 to the first request, the file
    afterwards).  Every request's path is appended to ``server.requests``.
    """

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        fault = self.server.faults.get(self.path)
        if fault == "flaky" and self.server.requests.count(self.path) > 1:
            fault = None
        if isinstance(fault, int):
            self.send_error(fault)
        elif fault == "flaky":
            self.send_error(503)
        elif fault == "stall":
            time.sleep(self.server.stall_seconds)
            self.send_error(503)
        elif fault in ("truncate", "stall-body"):
            data = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            if fault == "stall-body":
                time.sleep(self.server.stall_seconds)
            self.close_connection = True
        else:
            super().do_GET()


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer (as a downloader does once it has read a 404) is not an error here.

    socketserver prints such a BrokenPipeError's traceback to stderr, where a test that captures the CLI's
    output (and asserts it holds no traceback) would read it as the CLI's. Any other error is still printed.
    """

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path, faults: dict | None = None, stall_seconds: float = 5.0, log: list | None = None):
    """Serve ``folder`` on 127.0.0.1 at a free port; yield the base URL; stop afterwards.

    ``log``, if given, receives the path of every request, in order.
    """
    handler = functools.partial(FaultyHandler, directory=str(folder))
    server = QuietServer(("127.0.0.1", 0), handler)
    server.faults, server.stall_seconds = faults or {}, stall_seconds
    server.requests = log if log is not None else []
    server.daemon_threads = True
    # A short poll: shutdown() waits for serve_forever to look again (half a second by default, per test).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
