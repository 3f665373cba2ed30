"""Run an ASGI app on 127.0.0.1 in a background thread or in the foreground.

Tests, the demo and the CLI all start the emulators through here, so every one of them is a real
HTTP server on a real port. The listening socket is bound once (port 0: the kernel picks a free
port) and handed to uvicorn, so nobody can take the port between choosing it and serving on it.
"""

from __future__ import annotations

import errno
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

LOOPBACK = "127.0.0.1"
LISTEN_BACKLOG = 128

# How long a stopping server waits for open connections: an idle keep-alive TLS client
# (a simple-salesforce session) would otherwise hold shutdown until its close handshake times out.
SHUTDOWN_GRACE_S = 0.25


def bind_loopback(port: int = 0) -> socket.socket:
    """A listening TCP socket on 127.0.0.1 (port 0: any free port). Connections made before the
    server starts accepting wait in the backlog instead of being refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, port))
        sock.listen(LISTEN_BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def is_bind_error(error: OSError) -> bool:
    """Whether `error` says the port is taken or not ours to use (a clear message, not a traceback)."""
    return error.errno in {errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL}


def port_of(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


def _config(app: Any, certfile: Path | None, keyfile: Path | None) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=LOOPBACK,
        log_level="warning",
        access_log=False,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
    )


class _SignallingServer(uvicorn.Server):
    """A uvicorn server that sets `ready` once start-up has finished, whether it worked or not."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()


def serve_forever(
    app: Any,
    port: int,
    *,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    on_listening: Callable[[int], None] | None = None,
) -> None:
    """Serve in the foreground until interrupted (the `serve` CLI verbs).

    `port` 0 picks a free port; `on_listening` gets the bound port before the first request is
    accepted (to print the URL or write connection details). A port in use raises OSError.
    """
    sock = bind_loopback(port)
    try:
        if on_listening is not None:
            on_listening(port_of(sock))
        uvicorn.Server(_config(app, certfile, keyfile)).run(sockets=[sock])
    finally:
        sock.close()


@contextmanager
def serve_in_thread(
    app: Any,
    port: int | None = None,
    *,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    startup_timeout_s: float = 20.0,
) -> Iterator[int]:
    """Serve `app` in a daemon thread; yields the port, stops the server on exit.

    Without `port` the kernel picks a free one, bound here once and handed to the server.
    """
    sock = bind_loopback(port or 0)
    bound_port = port_of(sock)
    server = _SignallingServer(_config(app, certfile, keyfile))

    def run() -> None:
        try:
            server.run(sockets=[sock])
        finally:
            server.ready.set()  # start-up may have failed before it could say so

    thread = threading.Thread(target=run, name=f"uvicorn:{bound_port}", daemon=True)
    thread.start()
    try:
        if not server.ready.wait(startup_timeout_s) or not server.started:
            raise RuntimeError(f"server on port {bound_port} did not start")
        yield bound_port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
