"""Command-line client (docs/architecture.md, "Layers"): the same ChatKit server code path as POST /chatkit.

    python -m todochat.cli [--db URL] [--user EMAIL] [--now ISO] [--tz ZONE] COMMAND
      seed FILE|-                  create the user's tasks from a JSON list
      say TEXT [--thread ID] [--json]   one chat turn; --json prints every event
      tasks [--json]               the user's tasks
      eval [FILE|-] [--json] [-v]  score the configured model (TODOCHAT_MODEL) on JSONL cases
                                   (default tests/fixtures/nl_commands.jsonl), each on a fresh
                                   database; prints the failures and `score: 39/41 (95.1%) with
                                   local`. Ignores --db and --user; --now/--tz set the clock of
                                   cases without their own (default 2026-11-23T10:00 UTC).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import func, select

from todochat import migrate
from todochat.chat.context import RequestContext
from todochat.clean_text import strip_controls
from todochat.db import get_engine, session_scope
from todochat.models import User, utcnow
from todochat.settings import settings
from todochat.tasks import TaskCreate, TaskError, TaskFilter, task_to_json
from todochat.validation_text import first_message
from todochat.zones import zone_or_none

DEFAULT_USER = "me@todochat.local"
# The same file as todochat.chat.evaluation.DEFAULT_CASES, named here so that `--help`,
# `tasks` and `seed` never import the agent stack (seconds of start-up they do not use).
DEFAULT_CASES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nl_commands.jsonl"


class CliError(Exception):
    pass


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m todochat.cli", description="Talk to todochat from a terminal.")
    parser.add_argument("--db", default=settings.DATABASE_URL, help="database URL (default: DATABASE_URL)")
    parser.add_argument("--user", default=DEFAULT_USER, help="the user's email; created if new")
    parser.add_argument("--now", help="fix the clock, e.g. 2026-11-23T10:00 (local to --tz)")
    parser.add_argument("--tz", default="UTC", help="IANA time zone, e.g. Europe/Berlin (default UTC)")
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="create tasks from a JSON list")
    seed.add_argument("file", help="a JSON file, or - for standard input")
    say = commands.add_parser("say", help="one chat turn")
    say.add_argument("text")
    say.add_argument("--thread", help="continue this thread instead of starting one")
    say.add_argument("--json", action="store_true", help="print each streamed event as a JSON line")
    tasks = commands.add_parser("tasks", help="list the user's tasks")
    tasks.add_argument("--json", action="store_true")
    evaluate = commands.add_parser("eval", help="score the configured model on natural-language cases")
    evaluate.add_argument(
        "file", nargs="?", default=str(DEFAULT_CASES),
        help="JSONL cases like tests/fixtures/nl_commands.jsonl, or - for standard input",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object: score and failures")
    evaluate.add_argument("-v", "--verbose", action="store_true", help="print passing cases too")
    return parser.parse_args(argv)


def make_context(args: argparse.Namespace) -> RequestContext:
    tz = zone_or_none(args.tz)
    if tz is None:
        raise CliError(f"Unknown time zone {args.tz!r}")
    clock = utcnow
    if args.now:
        try:
            fixed = dt.datetime.fromisoformat(args.now)
        except ValueError:
            raise CliError(f"--now must be an ISO date-time, got {args.now!r}") from None
        fixed = fixed if fixed.tzinfo else fixed.replace(tzinfo=tz)
        clock = lambda: fixed  # noqa: E731
    engine = get_engine(args.db)
    return RequestContext(user_id=ensure_user(engine, args.user), tz=tz, clock=clock, engine=engine)


def ensure_user(engine, email: str) -> str:
    email = email.strip().lower()
    if "@" not in email:
        raise CliError(f"--user must be an email address, got {email!r}")
    with session_scope(engine) as session:
        user = session.exec(select(User).where(func.lower(User.email) == email)).first()
        if user is None:
            user = User(name=email.split("@")[0], email=email)
            session.add(user)
            session.flush()
        return user.id


# ---------------------------------------------------------------- commands


def seed(ctx: RequestContext, source: str, out) -> None:
    raw = sys.stdin.read() if source == "-" else open(source, encoding="utf-8").read()
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CliError(f"Not valid JSON: {exc}") from None
    if not isinstance(items, list):
        raise CliError("Expected a JSON list of tasks")
    creates = []
    for number, item in enumerate(items, start=1):
        try:
            creates.append(TaskCreate.model_validate(_seed_fields(item)))
        except ValidationError as exc:
            raise CliError(f"Invalid task {number}: {first_message(exc, with_field=True)}") from None
        except TypeError as exc:
            raise CliError(f"Invalid task {number}: {exc}") from None
    try:
        with ctx.open_tasks() as tasks:
            created = tasks.create_many(creates)
    except TaskError as exc:  # a repeat that cannot repeat its task; nothing was seeded
        raise CliError(f"Invalid task: {exc}") from None
    print(f"Seeded {len(created)} task(s).", file=out)


def _seed_fields(item: Any) -> dict:
    if not isinstance(item, dict):
        raise TypeError("each task must be a JSON object")
    # Task JSON also carries read-only fields (id, timestamps): ignore them.
    keep = {"title", "notes", "completed", "priority", "due", "tags", "recurrence"}
    return {k: v for k, v in item.items() if k in keep}


def list_tasks(ctx: RequestContext, as_json: bool, out) -> None:
    with ctx.open_tasks() as tasks:
        rows, cursor = [], None
        while True:
            page = tasks.list(TaskFilter(status="all"), sort="created", limit=200, cursor=cursor)
            rows.extend(page.items)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        data = [task_to_json(t) for t in reversed(rows)]
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
        return
    for task in data:
        mark = "x" if task["completed"] else " "
        extra = [f"due {task['due']}"] if task["due"] else []
        extra += [task["priority"]] if task["priority"] != "medium" else []
        extra += [task["recurrence_text"]] if task["recurrence"] else []  # "every other Tuesday until 31 Mar 2027"
        extra += [f"#{t}" for t in task["tags"]]
        print(f"[{mark}] #{task['id']} {task['title']}" + (f"  ({', '.join(extra)})" if extra else ""), file=out)


async def say(ctx: RequestContext, text: str, thread_id: str | None, as_json: bool, out) -> int:
    from chatkit.store import NotFoundError

    from todochat.chat.client import ChatClient
    from todochat.chat.factory import build_chatkit_server
    from todochat.chat.llm import ModelConfigError
    from todochat.chat.preflight import UnsupportedRequest

    try:
        server = build_chatkit_server(settings)
    except ModelConfigError as exc:
        raise CliError(str(exc)) from None
    client = ChatClient(server, ctx, preflight=True)  # POST /chatkit's checks: the message limit too
    if thread_id:
        try:
            await client.server.store.load_thread(thread_id, ctx)
        except NotFoundError:
            raise CliError(f"No thread {thread_id!r} for this user") from None
    events = client.send(thread_id, text) if thread_id else client.create_thread(text)
    failed = False
    try:
        async for event in events:
            if as_json:
                print(event.model_dump_json(exclude_none=True), file=out)
            else:
                failed |= print_event(event, out)
    except UnsupportedRequest as exc:
        raise CliError(str(exc)) from None
    return 1 if failed else 0


def print_event(event, out) -> bool:
    """Human output: the thread id, the reply, each card's text and question, and errors. True on error."""
    from todochat.chat.widgets import widget_text

    if event.type == "thread.created":
        print(f"(thread {event.thread.id})", file=sys.stderr)
    elif event.type == "thread.item.done" and event.item.type == "assistant_message":
        print("".join(part.text for part in event.item.content), file=out)
    elif event.type == "thread.item.done" and event.item.type == "widget":
        text = widget_text(event.item.widget.model_dump(mode="json", exclude_none=True))
        print("\n".join(f"  | {line}" for line in text.splitlines()), file=out)
    elif event.type == "thread.item.done" and event.item.type == "structured_input":
        from todochat.chat.which_task import question_text

        print("\n".join(f"  ? {line}" for line in question_text(event.item).splitlines()), file=out)
    elif event.type == "error":
        print(f"error: {event.message or event.code}", file=out)
        return True
    return False


def run_eval(args: argparse.Namespace, out) -> int:
    """Exit 0 whatever the score: a low score is an answer, not a failure of the command."""
    from todochat.chat import evaluation
    from todochat.chat.llm import ModelConfigError

    try:
        cases = evaluation.load_cases(args.file)
        clock = evaluation.Clock(now=args.now or evaluation.FIXTURE_NOW, tz=args.tz)
        clock.moment()  # a bad --now/--tz is bad input, reported before any case runs
    except ValueError as exc:
        raise CliError(str(exc)) from None
    show = None if args.json else lambda outcome: print_outcome(outcome, args.verbose, out)
    try:
        report = asyncio.run(evaluation.evaluate(cases, settings, clock, on_outcome=show))
    except ModelConfigError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False), file=out)
    else:
        print(report.score_line(), file=out)
    return 0


def print_outcome(outcome, verbose: bool, out) -> None:
    from todochat.chat import evaluation

    if verbose or not outcome.passed:
        # Flushed: a remote model takes seconds a case, and the user watches.
        print(evaluation.outcome_line(outcome), file=out, flush=True)


class TerminalSafe:
    """Writes to ``out`` without control characters (newline and tab kept): what a model
    replies or an older row holds can never move the cursor, retitle the terminal or ring
    its bell, whatever input checks it went past."""

    def __init__(self, out) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(strip_controls(text))

    def flush(self) -> None:
        self._out.flush()


def main(argv: list[str] | None = None, out=None) -> int:
    out = TerminalSafe(out or sys.stdout)
    args = parse_args(argv)
    try:
        if args.command == "eval":
            return run_eval(args, out)  # every case has its own database: --db is not touched
        migrate.upgrade(args.db)
        ctx = make_context(args)
        if args.command == "seed":
            seed(ctx, args.file, out)
        elif args.command == "tasks":
            list_tasks(ctx, args.json, out)
        elif args.command == "say":
            return asyncio.run(say(ctx, args.text, args.thread, args.json, out))
    except CliError as exc:
        print(f"error: {exc}", file=TerminalSafe(sys.stderr))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
