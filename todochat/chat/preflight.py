"""Checks that every ChatKit request passes before ``server.process`` starts streaming.

For a streaming request the SDK loads the thread only after the first bytes are out, so
a missing thread, another user's item, or a request todochat does not serve must be
caught here. POST /chatkit and the native chat client both call ``check_request``.
"""

from __future__ import annotations

import json
import re

from chatkit.server import ChatKitServer
from chatkit.store import NotFoundError

from todochat.chat.context import RequestContext
from todochat.clean_text import strip_controls
from todochat.limits import MENTIONS_MAX_PER_MESSAGE, MESSAGE_MAX_CHARS

ANSWERS_MAX = 10  # questions one answer may address, and values each (ours ask one, take one)


class UnsupportedRequest(Exception):
    """A well-formed ChatKit request todochat does not serve; said before any stream starts."""

    code = "UNSUPPORTED_REQUEST"
    status = 400


class MessageTooLong(UnsupportedRequest):
    """A message past MESSAGE_MAX_CHARS: refused before it is stored, parsed or sent on."""

    code = "MESSAGE_TOO_LONG"


class AlreadyAnswered(UnsupportedRequest):
    """An answer to a question answered before (from another tab, or twice)."""

    code = "ALREADY_ANSWERED"
    status = 409


class TooManyMentions(UnsupportedRequest):
    """A message @-mentioning more than MENTIONS_MAX_PER_MESSAGE tasks: refused, as too long is."""

    code = "TOO_MANY_MENTIONS"


UNSUPPORTED = {
    "threads.add_client_tool_output": "todochat has no client tools",
    "attachments.create": "Attachments are not supported",
    "attachments.delete": "Attachments are not supported",
    "input.transcribe": "Dictation is not supported",
}


async def check_request(server: ChatKitServer, parsed, context: RequestContext) -> None:
    """Everything that would otherwise fail after the 200 headers, checked before them.

    NotFoundError for a thread or item that is not the caller's; UnsupportedRequest for
    what todochat does not do (attachments, client tools, retrying a non-question).
    """
    if parsed.type in UNSUPPORTED:
        raise UnsupportedRequest(UNSUPPORTED[parsed.type])
    params = getattr(parsed, "params", None)
    if not all(_ID.fullmatch(value) for value in _ids_named(params)):
        # No thread or item has such an id (ours are word characters), and PostgreSQL
        # refuses NUL in a query outright: answer as for any id that is not the caller's.
        raise NotFoundError("No such thread or item")
    user_input = getattr(params, "input", None)
    if parsed.type == "threads.add_structured_input":
        _check_answers(user_input)
        user_input = None  # answers, not a message
    if getattr(user_input, "attachments", None):
        raise UnsupportedRequest("Attachments are not supported")
    if user_input is not None and message_chars(user_input) > MESSAGE_MAX_CHARS:
        raise MessageTooLong(f"Messages can be at most {MESSAGE_MAX_CHARS} characters")
    if user_input is not None and mention_count(user_input) > MENTIONS_MAX_PER_MESSAGE:
        raise TooManyMentions(f"A message can mention at most {MENTIONS_MAX_PER_MESSAGE} tasks")
    thread_id = getattr(params, "thread_id", None)
    if thread_id:
        thread = await server.store.load_thread(thread_id, context=context)
        item_id = getattr(params, "item_id", None)
        if item_id:
            item = await server.store.load_item(thread_id, item_id, context=context)
            if parsed.type == "threads.retry_after_item" and item.type != "user_message":
                raise UnsupportedRequest("Only a question can be retried")
            if parsed.type.endswith("custom_action") and item.type != "widget":
                raise UnsupportedRequest("Actions come from widgets")
            if parsed.type == "threads.add_structured_input":
                if item.type != "structured_input":
                    raise UnsupportedRequest("Only a question can be answered")
                if item.status != "pending":
                    raise AlreadyAnswered("This question was already answered")
        # Every check passed: the request goes on to the SDK, whose first read is this thread.
        context.checked_thread = thread


_ID = re.compile(r"[\w-]{1,100}", re.ASCII)
_ID_FIELDS = ("thread_id", "item_id", "after", "before")


def _ids_named(params) -> list[str]:
    """Every thread or item id a request's params name (``after``: the paging cursor)."""
    ids = [value for name in _ID_FIELDS if isinstance(value := getattr(params, name, None), str)]
    return ids + list(getattr(params, "item_ids", None) or [])


def _check_answers(submission) -> None:
    """Answers to a question: a few, each a few short values (the server reads one), and
    together no longer than a message."""
    answers = submission.answers
    if len(answers) > ANSWERS_MAX or any(len(a.values) > ANSWERS_MAX for a in answers.values()):
        raise UnsupportedRequest(f"An answer can name at most {ANSWERS_MAX} choices")
    chars = sum(len(key) + sum(len(value) for value in a.values) for key, a in answers.items())
    if chars > MESSAGE_MAX_CHARS:
        raise MessageTooLong(f"Answers can be at most {MESSAGE_MAX_CHARS} characters")
    for a in answers.values():
        # What is stored on the question is what the user sees again: no control characters.
        a.values = [strip_controls(value) for value in a.values]


def message_chars(user_input) -> int:
    """The characters a user message carries: its text and tag parts (a tag's id and data
    too: they are stored and sent back with the message), and any quoted text."""
    parts = sum(_part_chars(part) for part in user_input.content)
    return parts + len(getattr(user_input, "quoted_text", None) or "")


def _part_chars(part) -> int:
    chars = len(getattr(part, "text", "") or "")
    if getattr(part, "type", "") == "input_tag":
        chars += len(part.id or "") + len(json.dumps(part.data or {}, ensure_ascii=False))
    return chars


def mention_count(user_input) -> int:
    """The @-tags (``input_tag`` parts) a user message carries."""
    return sum(1 for part in user_input.content if getattr(part, "type", "") == "input_tag")
