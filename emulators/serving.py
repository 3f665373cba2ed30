"""Run an ASGI app on 127.0.0.1 in a background thread or in the foreground.

Tests, the demo and the CLI all start the emulators through here, so every one of them is a real
HTTP server on a real port.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


# How long a stopping server waits for open connections: an idle keep-alive TLS client
# (a simple-salesforce session) would otherwise hold shutdown until its close handshake times out.
SHUTDOWN_GRACE_S = 0.25


def _config(app: Any, port: int, certfile: Path | None, keyfile: Path | None) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=LOOPBACK,
        port=port,
        log_level="warning",
        access_log=False,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
    )


def serve_forever(app: Any, port: int, *, certfile: Path | None = None, keyfile: Path | None = None) -> None:
    """Serve in the foreground until interrupted (the `serve` CLI verbs)."""
    uvicorn.Server(_config(app, port, certfile, keyfile)).run()


@contextmanager
def serve_in_thread(
    app: Any,
    port: int | None = None,
    *,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    startup_timeout_s: float = 20.0,
) -> Iterator[int]:
    """Serve `app` in a daemon thread; yields the port, stops the server on exit."""
    chosen_port = port or free_port()
    server = uvicorn.Server(_config(app, chosen_port, certfile, keyfile))
    thread = threading.Thread(target=server.run, name=f"uvicorn:{chosen_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"server on port {chosen_port} did not start")
        time.sleep(0.02)
    try:
        yield chosen_port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
