"""Each worker's PostgreSQL pool is bounded by settings, so N workers fit the server.

Issue 13, finding 6: the pool allowed 30 connections per worker, and Reflex may start 8
workers against PostgreSQL's default max_connections of 100.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROGRAM = """
import sqlalchemy, sys
from todochat.db import get_engine
engine = get_engine(sys.argv[1])
engine.pool._timeout = 0.5  # how long the one connection too many waits here: not the point
held = []
try:
    while len(held) < 50:
        held.append(engine.connect())
except sqlalchemy.exc.TimeoutError:
    pass
print(len(held))
"""


def connections_one_process_opens(db_url: str, **env: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, db_url], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


@pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)
def test_a_process_opens_at_most_the_pool_and_its_overflow(empty_db_url):
    assert connections_one_process_opens(empty_db_url) == 16  # the defaults: 8 + 8
    assert connections_one_process_opens(empty_db_url, DATABASE_POOL_SIZE="3", DATABASE_MAX_OVERFLOW="2") == 5
