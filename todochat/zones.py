"""Time zones: names from users (headers, browsers, flags) turned into zones, safely, and
the one conversion between aware times and the naive UTC the database stores."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_or_none(name: object) -> ZoneInfo | None:
    """The zone called ``name``, or None for anything that is not one.

    ``ZoneInfo`` raises more than ZoneInfoNotFoundError: ValueError for odd paths and
    IsADirectoryError for a folder name such as "America".
    """
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def to_naive_utc(stamp: dt.datetime) -> dt.datetime:
    """An aware time as the database stores it: UTC without tzinfo. A naive time is taken
    to be UTC already."""
    return stamp.astimezone(dt.timezone.utc).replace(tzinfo=None) if stamp.tzinfo else stamp


def from_naive_utc(stamp: dt.datetime) -> dt.datetime:
    """A stored naive-UTC time made aware again (for ISO strings and arithmetic across zones)."""
    return stamp.replace(tzinfo=dt.timezone.utc) if stamp.tzinfo is None else stamp
