"""`make serve`: todochat in production, one command (README, "Production").

``python -m todochat.serve --port 3000 --backend-port 8000 [--workers N]``, in the project
directory, in order, stopping at the first step that fails:

1. checks (todochat/serve/checks.py): settings that cannot work are refused in one line
   naming the fix, exit status 2, before anything is started or written;
2. nginx's configuration is written from deploy/ and checked (``nginx -t``);
3. the database is migrated (todochat.migrate);
4. the UI is built once, as static files that talk to APP_URL (todochat/serve/frontend.py);
5. the backend starts (todochat/serve/backend.py): WORKERS granian workers on
   127.0.0.1:BACKEND_PORT, each one respawned if it dies;
6. once the backend answers, nginx starts on PORT, in front of it.

Then it waits. Ctrl-C or SIGTERM stops both; if either stops by itself, the other is
stopped too and the exit status is 1. Every log goes to stdout and stderr.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from pydantic import ValidationError

# The first start of a worker imports the whole app: slow on a small machine.
BACKEND_START_SECONDS = 300
NGINX_START_SECONDS = 30
# Granian gives its workers 15 s to stop (backend.py), nginx its connections 10 s
# (deploy/nginx-main.conf); past this, whatever is left is killed.
STOP_SECONDS = 30


def say(line: str) -> None:
    print(f"make serve: {line}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m todochat.serve", description="todochat in production: nginx in front of WORKERS backend workers")
    parser.add_argument("--port", type=int, default=3000, help="where nginx listens (PORT)")
    parser.add_argument("--backend-port", type=int, default=8000, help="where the backend listens, on 127.0.0.1 (BACKEND_PORT)")
    parser.add_argument("--workers", default="", help="backend worker processes (WORKERS); empty: what the machine can take")
    parser.add_argument("--external-nginx", action="store_true",
                        help="start no nginx: one of yours serves deploy/nginx.conf (NGINX=external)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # Settings are read when todochat.settings is first imported (and the modules below
    # import it): imported here, a setting pydantic refuses is one more refusal line.
    try:
        from todochat.settings import settings
    except ValidationError as exc:
        error = exc.errors()[0]
        name = error["loc"][0] if error["loc"] else "a setting"
        print(f"make serve: {name} is not valid: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return 2

    from todochat.serve import checks, nginx
    from todochat.serve.checks import Refusal

    project = Path.cwd()
    try:
        workers = checks.check_workers(args.workers)
        checks.check_settings(settings, workers)
        checks.check_ports_free(None if args.external_nginx else args.port, args.backend_port)
        checks.check_database_connections(settings, workers)
        checks.check_redis(settings)
        nginx_binary = None if args.external_nginx else nginx.find_nginx()
    except Refusal as refusal:
        print(refusal, file=sys.stderr, flush=True)
        return 2

    # Reflex and Alembic load slowly: only once nothing was refused.
    from todochat import migrate
    from todochat.serve.frontend import build_static_ui, static_ui_dir

    nginx_dir = Path(tempfile.mkdtemp(prefix="todochat-nginx-"))
    try:
        if nginx_binary:
            site = nginx.site_values(port=args.port, app_url=settings.APP_URL, static_dir=static_ui_dir(project),
                                     backend_port=args.backend_port)
            nginx.write_config(nginx_dir, site, project)
            try:
                nginx.check_config(nginx_binary, nginx_dir)
            except Refusal as refusal:
                print(refusal, file=sys.stderr, flush=True)
                return 2

        say("migrating the database")
        migrate.upgrade()
        say(f"building the UI for {settings.APP_URL} (a minute or two)")
        try:
            build_static_ui(settings.APP_URL, project)
        except subprocess.CalledProcessError as failed:
            say(f"the UI build failed (exit status {failed.returncode}, see above): nothing was started")
            return 1
        if not nginx_binary:
            say(f"the UI is in {static_ui_dir(project)}: your nginx serves it (deploy/nginx.conf)")
        return _run(args, workers, nginx_binary, nginx_dir, settings.APP_URL)
    finally:
        shutil.rmtree(nginx_dir, ignore_errors=True)


def _run(args: argparse.Namespace, workers: int, nginx_binary: str | None, nginx_dir: Path, app_url: str) -> int:
    from todochat.serve import nginx

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    started: dict[str, subprocess.Popen] = {}
    try:
        say(f"starting {workers} backend worker{'s' if workers != 1 else ''} on 127.0.0.1:{args.backend_port}")
        started["the backend"] = subprocess.Popen(
            [sys.executable, "-m", "todochat.serve.backend", "--port", str(args.backend_port), "--workers", str(workers)]
        )
        if not _wait_until(lambda: _answers(f"http://127.0.0.1:{args.backend_port}/health"), BACKEND_START_SECONDS, started, stop):
            return 0 if stop.is_set() else 1
        plural = "s" if workers != 1 else ""
        if nginx_binary:
            started["nginx"] = subprocess.Popen(nginx.command(nginx_binary, nginx_dir))
            if not _wait_until(lambda: _accepts(args.port), NGINX_START_SECONDS, started, stop):
                return 0 if stop.is_set() else 1
            say(f"serving {app_url}: nginx on port {args.port}, {workers} worker{plural} behind it (Ctrl-C stops)")
        else:
            say(f"serving {app_url} through your nginx: {workers} worker{plural} on 127.0.0.1:{args.backend_port} (Ctrl-C stops)")
        while not stop.wait(0.5):
            if _exited(started):
                return 1
        say("stopping nginx and the backend")
        return 0
    finally:
        _stop(started)


def _wait_until(ready, seconds: float, started: dict[str, subprocess.Popen], stop: threading.Event) -> bool:
    deadline = time.monotonic() + seconds
    while not ready():
        if stop.is_set() or _exited(started):
            return False
        if time.monotonic() > deadline:
            say(f"not ready after {seconds} s: stopping")
            return False
        time.sleep(0.5)
    return True


def _exited(started: dict[str, subprocess.Popen]) -> bool:
    for name, process in started.items():
        if process.poll() is not None:
            say(f"{name} stopped (exit status {process.returncode}): stopping everything else")
            return True
    return False


def _stop(started: dict[str, subprocess.Popen]) -> None:
    """nginx: graceful quit (SIGQUIT); the backend: SIGTERM (granian stops its workers).
    Anything still running after STOP_SECONDS is killed."""
    for name, process in started.items():
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for name, process in started.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in {STOP_SECONDS} s: killing it")
            for pid in [*_descendants(process.pid), process.pid]:  # its workers first: never orphans
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            process.wait()


def _descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs (from /proc: Linux, like granian's fork)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(") ", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before anything was started (while migrating or building)
        sys.exit(130)
