"""GET /chatkit/mentions: the user's tasks matching what they type after "@" in the
official ChatKit UI (its ``entities.onTagSearch`` hook, assets/chatkit/embed.html).

Under /chatkit because the embed's narrowed token is good here too: the frame asks for
suggestions with the only token it holds. The native composer searches the same way
(todochat/chat/mentions.py), through its own state.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AfterValidator, BaseModel
from starlette.concurrency import run_in_threadpool

from todochat.api.deps import current_chat_user, get_auth
from todochat.api.errors import error_responses
from todochat.auth.accounts import Auth
from todochat.chat import mentions
from todochat.limits import SEARCH_MAX_CHARS
from todochat.models import User
from todochat.tasks import open_tasks
from todochat.zones import zone_or_none

router = APIRouter(tags=["chat"])


def _no_nul(typed: str) -> str:
    if "\x00" in typed:
        raise ValueError("The search must not contain NUL characters")
    return typed


class MentionEntity(BaseModel):
    """A task as ChatKit's ``Entity``: what the composer lists and what a chosen one
    carries into the message as an ``input_tag`` (only ``data.task_id`` is read back)."""

    id: str
    title: str
    group: str
    interactive: bool
    data: dict[str, str]


class Mentions(BaseModel):
    data: list[MentionEntity]


@router.get(
    "/chatkit/mentions",
    summary="Tasks to @-mention: open ones first, matching every word typed",
    responses=error_responses(401, 422),
)
async def search_mentions(
    request: Request,
    q: Annotated[str, Query(max_length=SEARCH_MAX_CHARS, description="What was typed after @ (empty: the open tasks)"),
                 AfterValidator(_no_nul)] = "",
    user: User = Depends(current_chat_user),
    auth: Auth = Depends(get_auth),
) -> Mentions:
    # The frame sends the browser's zone, as with every ChatKit request: "due today" is theirs.
    tz = zone_or_none(request.headers.get("x-timezone")) or ZoneInfo("UTC")

    def search() -> list[dict]:
        with open_tasks(auth.engine, user.id, tz=tz) as tasks:
            return mentions.entities(mentions.search(tasks, q), tasks.now_local())

    return Mentions(data=[MentionEntity(**found) for found in await run_in_threadpool(search)])
