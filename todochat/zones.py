"""Time-zone names from users (headers, browsers, flags) turned into zones, safely."""

from __future__ import annotations

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
