"""The tools over stdio, for an assistant on the same machine as the database:

    python -m todochat.mcp --user EMAIL [--timezone ZONE] [--db URL]

The assistant (Claude Desktop, an IDE agent) starts this as a subprocess and speaks MCP on
its stdin and stdout; README, "Use your tasks from another assistant (MCP)", has the
config. It acts for the account with that email on the configured database
(``DATABASE_URL``, as ``make run`` uses it); it creates no account: an unknown email is a
message on stderr and exit status 2, as is an unknown zone. Anyone who can run this can
already read the database, so the email is all it asks.

``--timezone`` decides what "today", "overdue" and "this week" mean; it is UTC unless
given, as for the CLI (``--tz``), because the machine's zone is not always the user's (a
server) and an IANA name says it exactly.
"""

from __future__ import annotations

import argparse
import logging
import sys

import anyio
from mcp.server.stdio import stdio_server
from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from todochat.db import get_engine, session_scope
from todochat.mcp.server import Caller, build_server
from todochat.models import User
from todochat.settings import settings
from todochat.zones import zone_or_none

USAGE_ERROR = 2


class StartError(Exception):
    """Why the server cannot start, in one line for stderr."""

    def __init__(self, message: str, status: int = USAGE_ERROR):
        super().__init__(message)
        self.status = status


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m todochat.mcp",
        description="Serve one user's todochat tasks to an MCP client over stdio.",
    )
    parser.add_argument("--user", required=True, metavar="EMAIL", help="the account's email (it must exist)")
    parser.add_argument(
        "--timezone", "--tz", default="UTC", metavar="ZONE",
        help="IANA time zone that decides 'today', e.g. Europe/Berlin (default UTC)",
    )
    parser.add_argument("--db", default=settings.DATABASE_URL, metavar="URL", help="database URL (default: DATABASE_URL)")
    return parser.parse_args(argv)


def caller_for(args: argparse.Namespace) -> Caller:
    tz = zone_or_none(args.timezone)
    if tz is None:
        raise StartError(f"Unknown time zone {args.timezone!r}: give an IANA name such as Europe/Berlin or UTC")
    email = args.user.strip().lower()
    engine = get_engine(args.db)
    try:
        with session_scope(engine) as session:
            user = session.exec(select(User).where(func.lower(User.email) == email)).first()
    except SQLAlchemyError as exc:
        raise StartError(f"Cannot read the database {engine.url!r}: {type(exc).__name__}", status=1) from None
    if user is None:
        raise StartError(f"No account with the email {email!r} in {engine.url!r}: sign up in the app first")
    return Caller(engine, user.id, tz)


async def serve(caller: Caller) -> None:
    server = build_server(caller)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # stdout is the protocol's: every log line goes to stderr.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        caller = caller_for(args)
    except StartError as exc:
        print(f"todochat MCP: {exc}", file=sys.stderr)
        return exc.status
    anyio.run(serve, caller)
    return 0


if __name__ == "__main__":
    sys.exit(main())
