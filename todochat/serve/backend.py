"""`make serve`'s backend: Reflex's app in granian, WORKERS processes, each one respawned
when it dies. ``python -m todochat.serve.backend --port 8000 --workers 4`` (the launcher,
todochat/serve/__main__.py, runs it; it listens on 127.0.0.1 only, for nginx).

This is what Reflex's own production runner does (``run_granian_backend_prod`` in
reflex/utils/exec.py, Reflex 0.10), with two differences:

- ``respawn_failed_workers``: Reflex leaves it off, so one worker killed (the OOM killer,
  a crash in a native library) stopped granian and every other worker with it
  ("Unexpected exit from worker-2 ... app stopped"), and nginx answered 502 until someone
  restarted the app. Granian now starts a new worker in its place.
- the app is todochat/serve/behind_proxy.py's: client addresses as nginx saw them.

Like ``reflex run --env prod`` for its backend, it sets REFLEX_ENV_MODE=prod and
REFLEX_SKIP_COMPILE: the launcher built the UI once; workers only load the app and leave
.web, which nginx is serving, as it is.
"""

from __future__ import annotations

import argparse
import multiprocessing

from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server import Server as Granian
from reflex_base import constants
from reflex_base.environment import environment

from todochat.serve.behind_proxy import TRUSTED_PROXY

APP_TARGET = "todochat.serve.behind_proxy:asgi_app"
# How long a worker may take to stop (open websockets, a reply being streamed) before it is killed.
WORKER_STOP_SECONDS = 15


def serve(port: int, workers: int) -> None:
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)

    from reflex.utils import exec as reflex_exec

    # As Reflex does: fork where the platform does (Linux), with the app imported first so
    # that workers share its memory pages; spawn if a telemetry thread still runs.
    start_method = reflex_exec._backend_start_method()
    if start_method is not None:
        multiprocessing.set_start_method(start_method, force=True)
        if start_method == "fork" and not reflex_exec._preload_for_fork(None):
            multiprocessing.set_start_method("spawn", force=True)

    Granian(
        target=APP_TARGET,
        factory=True,
        address=TRUSTED_PROXY,
        port=port,
        interface=Interfaces.ASGI,
        log_level=LogLevels.info,  # "Spawning worker-N with pid: ..." and every respawn
        log_dictconfig=reflex_exec._granian_log_dictconfig(),
        workers=workers,
        respawn_failed_workers=True,
        workers_kill_timeout=WORKER_STOP_SECONDS,
    ).serve()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m todochat.serve.backend", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True)
    args = parser.parse_args(argv)
    serve(args.port, args.workers)


if __name__ == "__main__":
    main()
