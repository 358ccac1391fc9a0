"""What a pydantic validation error says to a person: one owner for the wording, so the
REST API, the editor, the CLI and the assistant's tools say the same thing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError


def error_message(error: Mapping[str, Any]) -> str:
    """One error's message without pydantic's "Value error, " prefix (our own ValueErrors
    already read as sentences)."""
    return str(error.get("msg") or "Invalid value").removeprefix("Value error, ")


def error_field(error: Mapping[str, Any], *, skip: tuple[str, ...] = ()) -> str:
    """The dotted place of one error ("due", "tags.2"); ``skip`` drops FastAPI's "body"."""
    return ".".join(str(part) for part in error.get("loc", ()) if part not in skip)


def first_message(exc: ValidationError, *, with_field: bool = False) -> str:
    """The first error of ``exc`` as one line: "Due: Invalid date" with its field (unless the
    message already starts with it), else the message."""
    errors = exc.errors()
    if not errors:
        return "Invalid value"
    message = error_message(errors[0])
    field = error_field(errors[0]) if with_field else ""
    # Our own messages often name their field already ("Title must be at most ..."): once is enough.
    if not field or message.lower().startswith(field.lower()):
        return message
    return f"{field.capitalize()}: {message}"
