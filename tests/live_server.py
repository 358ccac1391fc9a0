"""An ASGI app served over real HTTP on 127.0.0.1 by uvicorn, in a thread of the test
process, for tests that need what only a socket shows (a client hanging up, the moment a
response is sent)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from tests.throwaway_services import free_port


@contextmanager
def serving(app) -> Iterator[str]:
    """The app's base URL while it is served."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        assert time.time() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
