"""What does a todochat chat turn cost, against what the protocol itself costs? (issue 14)

Two servers, each in its own process (uvicorn, one worker), clients over HTTP here:
  todochat  as it runs: bearer-token auth, the SQLModel store and the tasks in SQLite (a
            file) or PostgreSQL (a schema of its own at TEST_DATABASE_URL), the offline
            model, the real tools and cards;
  floor     a bare ChatKitServer (bench/chat_turn_parts/floor.py): no auth, no database,
            a scripted model that calls one tool, which streams a small card, then replies.
At 1 and at 8 clients, each client sends --messages messages in a thread of its own
(everyday commands: add, list, complete, move, find). For each run: p50/p99 time to first
event, p50/p99 turn time, turns/s; then todochat ÷ floor against the targets:

    8 clients: turn p50 <= 1.5x the floor on PostgreSQL, <= 2x on SQLite;
               first event p50 <= 1.5x; turns/s >= 0.6x
    1 client:  turn p50 <= 1.5x

The figures are printed, never asserted: this machine is shared and noisy. Each run is
repeated --rounds times, floor and todochat in turn, and the best round of each is kept
(the least disturbed by anything else on the machine).

--profile FILE samples the 8-client SQLite todochat server, then the floor, with py-spy
(requirements.txt), and prints the milliseconds of Python per turn each spends by part
(database, Agents SDK, cards, ...) side by side, then todochat's top functions. FILE and
FILE.floor keep the raw stacks, one line per distinct stack.

    .venv/bin/python bench/chat_turn.py [--clients 1,8] [--databases sqlite,postgresql]
                                        [--messages 20] [--rounds 2] [--profile FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.chat_turn_parts.clients import Run, run_clients  # noqa: E402
from bench.chat_turn_parts.profile import print_profile  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
TARGETS = {  # (clients, database) -> turn p50 ratio; every other target is one figure for all
    (8, "postgresql"): 1.5,
    (8, "sqlite"): 2.0,
    (1, "postgresql"): 1.5,
    (1, "sqlite"): 1.5,
}
FIRST_EVENT_TARGET = 1.5
THROUGHPUT_TARGET = 0.6


# ---------------------------------------------------------------- the servers (child processes)


def todochat_app(database_url: str):
    from todochat import migrate
    from todochat.api import create_api
    from todochat.auth.accounts import Auth
    from todochat.db import get_engine
    from todochat.settings import Settings

    migrate.upgrade(database_url)
    config = Settings(DATABASE_URL=database_url, TODOCHAT_SECRET="bench-secret-of-16+chars",
                      APP_URL="http://127.0.0.1", TODOCHAT_MODEL="local")
    return create_api(Auth(get_engine(database_url), config))


def serve(which: str, port: int, database_url: str | None) -> None:
    import uvicorn

    from bench.chat_turn_parts.floor import floor_app

    app = floor_app() if which == "floor" else todochat_app(database_url)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("--profile needs py-spy: .venv/bin/python -m pip install -r requirements.txt")
    return found


@contextlib.contextmanager
def server(which: str, database_url: str | None):
    from tests.throwaway_services import free_port

    port = free_port()
    command = [sys.executable, __file__, "--serve", which, "--port", str(port)]
    if database_url:
        command += ["--database-url", database_url]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "TODOCHAT_MODEL": "local"})
    try:
        yield proc.pid, f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=60)


@contextlib.contextmanager
def profiling(pid: int, output: Path):
    """py-spy samples ``pid`` while the block runs: only the samples holding the GIL, so
    what is counted is Python at work, not threads waiting."""
    spy = subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--gil", "--rate", "250", "--format", "raw",
                            "--output", str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file and exits
        spy.wait(timeout=60)


def postgres_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)


def postgres_answers() -> bool:
    from todochat.db import get_engine
    from todochat.health import database_answers

    return database_answers(get_engine(postgres_url()))


@contextlib.contextmanager
def database(kind: str, folder: Path):
    """A new, empty database for one run."""
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(dir=folder)) / "bench.db"
        yield f"sqlite:///{path}"
        return
    from tests.e2e.serving import postgres_schema

    with postgres_schema(postgres_url(), "bench") as url:
        yield url


async def measure(which: str, clients: int, messages: int, kind: str | None, folder: Path,
                  profile: Path | None = None) -> Run:
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(database(kind, folder)) if which == "todochat" else None
        pid, base = stack.enter_context(server(which, url))
        timed = (lambda: profiling(pid, profile)) if profile else contextlib.nullcontext
        run = await run_clients(base, clients, messages, signed_in=which == "todochat", timed=timed,
                                cpu_seconds=lambda: cpu_seconds(pid))
        return run


def cpu_seconds(pid: int) -> float:
    """CPU time the process has used (user + system): steadier than wall time on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- the report


def ratio_line(name: str, ours: float, floor: float, target: float | None = None, higher_is_better: bool = False) -> str:
    ratio = ours / floor
    line = f"    {name:<18} {ratio:5.2f}x"
    if target is None:
        return line
    met = ratio >= target if higher_is_better else ratio <= target
    sign = ">=" if higher_is_better else "<="
    return f"{line}   (target {sign} {target}x: {'met' if met else 'MISSED'})"


async def main(args) -> None:
    folder = Path(tempfile.mkdtemp(prefix="todochat-chat-bench-"))
    kinds = [k for k in args.databases.split(",") if k]
    if "postgresql" in kinds and not postgres_answers():
        print(f"PostgreSQL at {postgres_url()} does not answer: measured on SQLite only")
        kinds.remove("postgresql")
    print(f"chat turn vs floor, {dt.date.today()}, {os.cpu_count()} cores, {args.messages} messages per client, "
          f"best of {args.rounds} round(s)")
    try:
        for clients in [int(c) for c in args.clients.split(",") if c]:
            floor: Run | None = None
            ours: dict[str, Run] = {}
            for _ in range(args.rounds):
                floor = Run.best(floor, await measure("floor", clients, args.messages, None, folder))
                for kind in kinds:
                    ours[kind] = Run.best(ours.get(kind), await measure("todochat", clients, args.messages, kind, folder))
            print(f"\n{clients} client(s)")
            print(floor.line("floor"))
            for kind in kinds:
                run = ours[kind]
                print(run.line(f"todochat {kind}"))
                print(ratio_line("turn p50", run.turn_p50, floor.turn_p50, TARGETS[(clients, kind)]))
                print(ratio_line("turn p99", run.turn_p99, floor.turn_p99))
                if clients > 1:
                    print(ratio_line("first event p50", run.first_p50, floor.first_p50, FIRST_EVENT_TARGET))
                    print(ratio_line("turns/s", run.rate, floor.rate, THROUGHPUT_TARGET, higher_is_better=True))
        if args.profile:
            ours, floor_stacks = Path(args.profile), Path(f"{args.profile}.floor")
            print(f"\nprofile at 8 clients, todochat on SQLite (raw stacks in {ours} and {floor_stacks})")
            run = await measure("todochat", 8, args.messages, "sqlite", folder, profile=ours)
            await measure("floor", 8, args.messages, None, folder, profile=floor_stacks)
            print_profile(ours, floor_stacks, len(run.turn))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", choices=["todochat", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", metavar="FILE")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.database_url)
    else:
        asyncio.run(main(args))
