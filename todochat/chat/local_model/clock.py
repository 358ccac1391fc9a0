"""Where the offline model learns "now": the agent's instructions carry a line like

    Current local time: 2026-11-23T10:00 (Monday), time zone: UTC

which the chat server writes from the request's clock and the user's zone. All dates the
model emits are local to that zone, so "now" here is a naive local datetime.
"""

from __future__ import annotations

import datetime as dt
import re

from todochat.zones import zone_or_none

_NOW_LINE = re.compile(
    r"Current local time:\s*(?P<stamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)"
    r"(?:\s*\([A-Za-z]+\))?(?:,\s*time zone:\s*(?P<zone>[\w/+\-]+))?",
    re.I,
)


def local_now(system_instructions: str | None) -> dt.datetime:
    """The user's local time from the instructions; the current time in UTC without them."""
    match = _NOW_LINE.search(system_instructions or "")
    if match:
        return dt.datetime.fromisoformat(match.group("stamp")).replace(second=0, microsecond=0)
    zone = _zone_named(system_instructions or "")
    return dt.datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)


def _zone_named(text: str) -> dt.tzinfo:
    match = re.search(r"time zone:\s*([\w/+\-]+)", text, re.I)
    if match:
        zone = zone_or_none(match.group(1))
        if zone is not None:
            return zone
    return dt.timezone.utc
