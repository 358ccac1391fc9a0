"""Does `make serve` hold 50 people at once, and do two workers do more than one? (issue 13)

For each worker count (--workers, default "1,2"): `make serve` exactly as the production
test starts it (tests/e2e/test_production.py: the command `make -s -n serve` prints, in a
copy of the project, behind Debian's nginx, on a PostgreSQL schema and a Redis database of
its own, the offline model), then --users simulated people (default 50) for --seconds
(default 120), arriving over its first 10 s, each with its own HTTP client, as fast as the
server answers:

  sign up, sign in again with the password, then rounds of
    chat   "add <A>"  (a task card arrives)       chat  "add <B> tomorrow"
    chat   "show my tasks"                        press A's card's checkbox (complete)
    chat   "move <B> to friday"                   chat  "what is due this week?"
    REST   GET /api/tasks, POST /api/tasks, PATCH it, GET it
  with a new thread every few rounds.

Prints per worker count: requests/s, chat turns/s, p50/p99 time to first event and turn
time over POST /chatkit (nginx in between), 5xx and other non-2xx counts, CPU used, and
what the serve log holds (tracebacks, respawned workers). Then checks the database: every
message each user sent is stored once, in that user's thread; every task the assistant
said it added (its "Added" card) exists once, owned by that user, and so does every task
created over REST; completed and moved tasks are so; no thread, item or task that a user
saw belongs to someone else (and over HTTP: another user's task and thread are 404).
At the end, the throughput ratio of the largest worker count to one worker
(goal for 2 workers: >= 1.3x on a 2-core machine).

Exit status 1 if a consistency check failed or any response was a 5xx; a missed ratio is
only a figure. Run from the project root:

    .venv/bin/python bench/load.py [--users 50] [--seconds 120] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.e2e.conftest import copy_project  # noqa: E402
from tests.e2e.serving import postgres_schema, serve_env  # noqa: E402

from bench.load_test.checks import cross_checks, database_checks, serve_log_findings  # noqa: E402
from bench.load_test.people import REQUEST_TIMEOUT, Person, Stats, User, pct  # noqa: E402
from bench.load_test.server import Server, group_cpu_seconds, machine_cpu_seconds, start_server, stop_server  # noqa: E402

REDIS_DB = 11  # a Redis database of its own
ARRIVAL_SECONDS = 10.0  # the users arrive one after another over this long (part of the run)


async def warm_up(url: str) -> None:
    """A few turns that are not measured: every worker imports the model and tools once."""
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
        people = []
        for n in range(4):
            user = User(-1 - n, f"warm-up-{n}@load.example")
            person = Person(user, client, Stats())
            if not await person.sign_up_and_in():
                raise RuntimeError("warm-up: could not sign up")
            people.append(person)
        await asyncio.gather(*(p.chat("add warm up task") for p in people))
        await asyncio.gather(*(p.chat("show my tasks") for p in people))



async def load(url: str, users: list[User], seconds: float, stats: Stats, server: Server) -> None:
    await warm_up(url)
    cpu_before, server_before = time.process_time(), group_cpu_seconds(server.process.pid)
    machine_before = machine_cpu_seconds()
    started = time.perf_counter()
    deadline = time.monotonic() + seconds

    async def one(user: User, arrives_after: float) -> None:
        await asyncio.sleep(arrives_after)
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT) as client:
            await Person(user, client, stats).run(deadline)

    # People arrive over the first ARRIVAL_SECONDS, not in one instant: 50 sign-ups in the
    # same second are a flood, which the sign-in guard sheds with 503 BUSY (by design).
    # Every request has its timeout: this bound is only a guard against a bug here.
    async with asyncio.timeout(seconds + 10 * REQUEST_TIMEOUT):
        await asyncio.gather(*(one(u, i * ARRIVAL_SECONDS / len(users)) for i, u in enumerate(users)))
    stats.elapsed = time.perf_counter() - started
    stats.client_cpu = time.process_time() - cpu_before
    stats.server_cpu = group_cpu_seconds(server.process.pid) - server_before
    stats.machine_cpu = machine_cpu_seconds() - machine_before



def run_once(copy: Path, workers: int, args, logs: Path) -> dict:
    with postgres_schema(args.database_url, "load") as db_url:
        # 50 people, one address (127.0.0.1): the sign-in throttle counts by address.
        env = serve_env(db_url, args.redis_url, SIGN_IN_ATTEMPTS_PER_ADDRESS="100000", TODOCHAT_MODEL="local")
        stats = Stats()
        tag = secrets.token_hex(3)
        users = [User(n, f"load-{tag}-{n}@load.example") for n in range(args.users)]
        log_path = logs / f"serve-{workers}w.log"
        print(f"\n== {workers} worker{'s' if workers != 1 else ''}: starting make serve (builds the UI; minutes)",
              flush=True)
        t0 = time.monotonic()
        server = start_server(copy, workers, env, log_path)
        print(f"   serving {server.url} after {time.monotonic() - t0:.0f} s; {args.users} users for {args.seconds:g} s",
              flush=True)
        try:
            asyncio.run(load(server.url, users, args.seconds, stats, server))
            leaks = asyncio.run(cross_checks(server.url, users))
        finally:
            stop_server(server)
        problems = leaks + database_checks(db_url, users)
    tracebacks, respawned, worth = serve_log_findings(log_path.read_text(errors="replace"), workers)
    return report(workers, args, stats, users, problems, tracebacks, respawned, worth, log_path)



def report(workers, args, stats: Stats, users, problems, tracebacks, respawned, worth, log_path) -> dict:
    by_kind = Counter(kind for kind, _, _ in stats.requests)
    server_errors = [b for b in stats.bad if b[1] is not None and b[1] >= 500]
    other = [b for b in stats.bad if b[1] is not None and b[1] < 500]
    failed = [b for b in stats.bad if b[1] is None]
    turns = len(stats.turn)
    rps, tps = len(stats.requests) / stats.elapsed, turns / stats.elapsed
    button = [s for kind, status, s in stats.requests if kind == "button" and status == 200]
    rest = [s for kind, status, s in stats.requests if kind == "rest" and status is not None and status < 300]
    notes = [note for u in users for note in u.notes]
    busy = [b for b in server_errors if b[0] in ("sign-up", "sign-in") and b[1] == 503]
    print(f"== {workers} worker{'s' if workers != 1 else ''}, {args.users} users ({stats.signed_in} signed in), "
          f"{stats.elapsed:.1f} s (nginx, PostgreSQL, Redis, offline model)")
    print(f"requests        {len(stats.requests):6d}   {rps:7.1f} requests/s   "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_kind.items()))})")
    print(f"chat turns      {turns:6d}   {tps:7.1f} turns/s")
    print(f"first event     p50 {pct(stats.ttfe, 50):7.1f} ms   p99 {pct(stats.ttfe, 99):7.1f} ms")
    print(f"turn            p50 {pct(stats.turn, 50):7.1f} ms   p99 {pct(stats.turn, 99):7.1f} ms")
    print(f"button press    p50 {pct(button, 50):7.1f} ms   p99 {pct(button, 99):7.1f} ms")
    print(f"REST request    p50 {pct(rest, 50):7.1f} ms   p99 {pct(rest, 99):7.1f} ms")
    print(f"5xx {len(server_errors)} ({len(busy)} of them 503 BUSY on sign-up/sign-in, tried again after "
          f"Retry-After)   other non-2xx {len(other)}   no answer (timeout, connection) {len(failed)}   "
          f"ChatKit error events {len(stats.stream_errors)}")
    shown = Counter((kind, status, what) for kind, status, what in server_errors + other + failed)
    for (kind, status, what), times in list(shown.items())[:10]:
        print(f"  {kind} {status}{f' ({times}x)' if times > 1 else ''}: {what}")
    for line in stats.stream_errors[:5]:
        print(f"  error event: {line}")
    if stats.unseen_writes:
        print(f"read-your-writes: {len(stats.unseen_writes)} requests for a task the API had just answered "
              "201 for were 404 (answered before its commit?)")
        for line in stats.unseen_writes[:5]:
            print(f"  {line}")
    added = sum(len(u.added) for u in users)
    print(f"assistant       {added} tasks added by chat, {sum(len(u.completed) for u in users)} completed by button, "
          f"{sum(len(u.moved) for u in users)} moved; {len(notes)} replies not as asked")
    for note in notes[:5]:
        print(f"  {note}")
    print(f"CPU             make serve {stats.server_cpu / stats.elapsed:.2f} cores, "
          f"this load generator {stats.client_cpu / stats.elapsed:.2f} cores, whole machine "
          f"{stats.machine_cpu / stats.elapsed:.2f} of {os.cpu_count()} (PostgreSQL and anything else running too)")
    print(f"serve log       {tracebacks} tracebacks, {respawned} workers respawned ({log_path})")
    for line in worth[:10]:
        print(f"  {line[:300]}")
    if problems:
        print(f"consistency: FAILED ({len(problems)} problems)")
        for problem in problems[:30]:
            print(f"  {problem}")
        if len(problems) > 30:
            print(f"  ... and {len(problems) - 30} more")
    else:
        print("consistency: OK")
    sys.stdout.flush()
    return {"rps": rps, "tps": tps, "ok": not problems and not server_errors, "log_kept": bool(problems or stats.bad or tracebacks or respawned)}



def redis_url(base: str) -> str:
    return urlunsplit(urlsplit(base)._replace(path=f"/{REDIS_DB}"))



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", default="1,2", help="worker counts to run in turn, e.g. 1,2")
    parser.add_argument("--database-url",
                        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
                        help="PostgreSQL; each run gets a schema of its own, dropped afterwards")
    parser.add_argument("--redis-url", default=redis_url(os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")),
                        help=f"Redis, a database number of its own (default /{REDIS_DB})")
    parser.add_argument("--keep-logs", action="store_true", help="keep make serve's logs even when all went well")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",") if w.strip()]

    # SIGTERM as Ctrl-C: the finally blocks stop make serve and drop the schema.
    def interrupted(*_):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupted)

    print(f"todochat load test: {args.users} users x {args.seconds:g} s, workers {counts}, {os.cpu_count()} CPUs")
    copy = copy_project("todochat-load-")
    logs = Path(tempfile.mkdtemp(prefix="todochat-load-logs-"))
    results: dict[int, dict] = {}
    try:
        for workers in counts:
            results[workers] = run_once(copy, workers, args, logs)
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
        if args.keep_logs or any(r["log_kept"] for r in results.values()) or len(results) < len(counts):
            print(f"\nmake serve's logs: {logs}")
        else:
            shutil.rmtree(logs, ignore_errors=True)

    if 1 in results and len(results) > 1:
        most = max(results)
        turns = results[most]["tps"] / results[1]["tps"]
        reqs = results[most]["rps"] / results[1]["rps"]
        verdict = "meets" if turns >= 1.3 and reqs >= 1.3 else "misses"
        print(f"\nthroughput {most} workers / 1 worker: chat turns/s {turns:.2f}x, requests/s {reqs:.2f}x "
              f"({verdict} the goal of >= 1.3x)")
    ok = all(r["ok"] for r in results.values())
    print("result: OK" if ok else "result: FAILED (5xx or a consistency problem above)")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: make serve stopped, schema dropped", file=sys.stderr)
        sys.exit(130)
