"""A real HTTP server on 127.0.0.1, in a thread, that can misbehave on purpose."""

from __future__ import annotations

import functools
import threading
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class FaultyHandler(SimpleHTTPRequestHandler):
    """Serves a folder; ``server.faults`` maps a URL path to 'stall', 'truncate' or an HTTP status."""

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        fault = self.server.faults.get(self.path)
        if isinstance(fault, int):
            self.send_error(fault)
        elif fault == "stall":
            time.sleep(self.server.stall_seconds)
            self.send_error(503)
        elif fault == "truncate":
            data = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        else:
            super().do_GET()


@contextmanager
def serve(folder: Path, faults: dict | None = None, stall_seconds: float = 5.0):
    """Serve ``folder`` on 127.0.0.1 at a free port; yield the base URL; stop afterwards."""
    handler = functools.partial(FaultyHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.faults, server.stall_seconds = faults or {}, stall_seconds
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
