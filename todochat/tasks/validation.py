"""What a task may hold, checked before anything is stored: titles, tags, due dates and
repeat rules, and the request bodies built from them (``TaskCreate``, ``TaskPatch``), which
the REST API reuses as its own. A refusal is a ``ValueError`` with a sentence for the user."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from todochat import recurrence
from todochat.clean_text import refuse_nul, strip_controls
from todochat.limits import (
    DUE_YEAR_MAX,
    DUE_YEAR_MIN,
    NOTES_MAX,
    POSITION_MAX,
    RULE_MAX,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
)
from todochat.models import DEFAULT_PRIORITY, Priority

RECURRENCE_DESCRIPTION = (
    "How the task repeats: an RFC 5545 RRULE such as FREQ=WEEKLY;INTERVAL=2;BYDAY=TU, "
    f"or {'/'.join(recurrence.LEGACY_WORDS)}"
)
# Any spelling ``recurrence.parse`` accepts, stored in its one spelling; a refusal says why.
Recurrence = Annotated[
    str, Field(max_length=RULE_MAX, description=RECURRENCE_DESCRIPTION), AfterValidator(recurrence.normalize)
]

FIRST_DUE = dt.date(DUE_YEAR_MIN, 1, 1)
LAST_DUE = dt.date(DUE_YEAR_MAX, 12, 31)
DUE_RANGE_MESSAGE = f"Due dates must be between {FIRST_DUE.isoformat()} and {LAST_DUE.isoformat()}"
_DUE_FORMAT_MESSAGE = "Due must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)"

_TAG_RE = re.compile(r"^[\w-]+$")
_DUE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
# Characters that take no space: soft hyphen, zero-width space/non-joiner/joiner, word
# joiner, invisible operators, BOM. Kept inside a title (emoji sequences need the joiner),
# but a title of nothing else is empty.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060-\u2064\ufeff\\s]")


def normalize_title(value: str) -> str:
    # NUL is refused (PostgreSQL text cannot hold it); other control characters and bidi
    # overrides are dropped, so a title never injects terminal escapes or reorders a line.
    title = " ".join(strip_controls(refuse_nul(str(value), "A title")).split())
    if not _INVISIBLE.sub("", title):  # zero-width spaces alone show as an empty row
        raise ValueError("Title must not be empty")
    if len(title) > TITLE_MAX:
        raise ValueError(f"Title must be at most {TITLE_MAX} characters")
    return title


def normalize_tag(value: str) -> str | None:
    tag = unicodedata.normalize("NFKC", str(value)).strip().lstrip("#").strip().lower()
    tag = re.sub(r"\s+", "-", tag)
    if not tag:
        return None
    if not _TAG_RE.match(tag):
        raise ValueError(f"Tag {value!r} may only contain letters, digits, '-' and '_'")
    if len(tag) > TAG_MAX:
        raise ValueError(f"Tags must be at most {TAG_MAX} characters")
    return tag


def normalize_tags(values: Iterable[str] | str | None) -> list[str]:
    """Lower-case, no '#', no duplicates, order kept: ``["#Work", "work", "Home"]`` -> work, home."""
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[,\s]+", values)
    tags: list[str] = []
    for value in values:
        tag = normalize_tag(value)
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValueError(f"A task can have at most {TAGS_MAX} tags")
    return tags


def parse_due(value: Any) -> tuple[dt.date | None, dt.time | None]:
    """``None``, a date, a naive datetime, ``"YYYY-MM-DD"`` or ``"YYYY-MM-DDTHH:MM"``."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError("A due time is a local wall-clock time: give it without a zone")
        return value.date(), value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        text = value.strip()
        if not _DUE_RE.match(text):
            raise ValueError(_DUE_FORMAT_MESSAGE)
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text), None
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(_DUE_FORMAT_MESSAGE) from None
        return parse_due(parsed)
    raise ValueError("Due must be a date string")


def check_due_in_range(day: dt.date | None) -> None:
    """Refuse due dates outside FIRST_DUE..LAST_DUE, so date arithmetic always has room."""
    if day is not None and not FIRST_DUE <= day <= LAST_DUE:
        raise ValueError(DUE_RANGE_MESSAGE)


class _TaskFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=NOTES_MAX)

    @field_validator("title", check_fields=False)
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return None if value is None else normalize_title(value)

    @field_validator("notes", check_fields=False)
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return None if value is None else strip_controls(refuse_nul(value, "Notes"))

    @field_validator("tags", check_fields=False, mode="before")
    @classmethod
    def _tags(cls, value: Any) -> Any:
        if value is None:
            return value
        if not isinstance(value, (list, tuple, str)):
            raise ValueError("Tags must be a list of strings")
        if isinstance(value, (list, tuple)) and not all(isinstance(v, str) for v in value):
            raise ValueError("Tags must be a list of strings")
        return normalize_tags(value)

    @field_validator("due", check_fields=False, mode="before")
    @classmethod
    def _due(cls, value: Any) -> Any:
        # Both raise a readable error. Only new input is checked here: rows stored before
        # the range existed still load, list and complete (see ``recurrence.next_occurrence``).
        day, _ = parse_due(value)
        check_due_in_range(day)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return value or None


class TaskCreate(_TaskFields):
    """A new task. ``due`` is ``YYYY-MM-DD`` or local ``YYYY-MM-DDTHH:MM``."""

    title: str = Field(max_length=TITLE_MAX * 4)
    notes: str = ""
    priority: Priority = DEFAULT_PRIORITY
    due: str | None = None
    tags: list[str] = Field(default_factory=list)
    recurrence: Recurrence | None = None
    completed: bool = False


class TaskPatch(_TaskFields):
    """Changes to a task: only the fields present are applied; ``due: null`` clears it."""

    title: str | None = Field(default=None, max_length=TITLE_MAX * 4)
    notes: str | None = None
    priority: Priority | None = None
    due: str | None = None
    tags: list[str] | None = None
    recurrence: Recurrence | None = None
    completed: bool | None = None
    # Finite and bounded: Infinity was stored as null and broke the manual order, NaN was a 500.
    position: float | None = Field(default=None, allow_inf_nan=False, ge=-POSITION_MAX, le=POSITION_MAX)

    @field_validator("title", "notes", "priority", "tags", "completed", "position")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # ``due`` and ``recurrence`` may be cleared with null; these fields may not.
        if value is None:
            raise ValueError("may be left out, but not null")
        return value
