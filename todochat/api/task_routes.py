"""/api/tasks: CRUD, filters, keyset pages and bulk actions, all through TaskService."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt

from todochat.api.deps import current_user, get_auth
from todochat.api.errors import error_responses
from todochat.auth.accounts import Auth
from todochat.limits import (
    PAGE_MAX,
    REST_BULK_MAX_IDS,
    RULE_MAX,
    SEARCH_MAX_CHARS,
    TAG_FILTER_MAX_CHARS,
    TASK_ID_MAX,
)
from todochat.models import User
from todochat.tasks import (
    RECURRENCE_DESCRIPTION,
    Priority,
    Sort,
    Status,
    TaskCreate,
    TaskFilter,
    TaskPatch,
    TaskService,
    normalize_tag,
    open_tasks,
    task_to_json,
)
from todochat.zones import zone_or_none

# What each failure looks like, so the OpenAPI document tells the truth about errors too.
ERRORS = error_responses(400, 401, 404, 413, 422)


router = APIRouter(prefix="/api/tasks", tags=["tasks"], responses=ERRORS)


def _zone(tz: str) -> ZoneInfo:
    zone = zone_or_none(tz)
    if zone is None:
        raise HTTPException(422, f"Unknown time zone {tz!r}")
    return zone


def service(
    user: User = Depends(current_user),
    auth: Auth = Depends(get_auth),
    tz: Annotated[str, Query(max_length=64, description="IANA zone for today/overdue")] = "UTC",
) -> Iterator[TaskService]:
    """One request, one transaction: committed after the route returns, rolled back on error."""
    with open_tasks(auth.engine, user.id, tz=_zone(tz)) as tasks:
        yield tasks


# scope="function": the commit comes before the answer. FastAPI otherwise ends a yield
# dependency after sending the response: a client told 201 could ask again at once (on
# another worker) and get 404, and a commit that failed would still have said 201.
Tasks = Annotated[TaskService, Depends(service, scope="function")]
_DECIMAL_ID = re.compile(r"[1-9][0-9]{0,9}")


def _decimal_id(value: object) -> object:
    """A path id is written as the API writes ids: digits only. int() alone would also read
    "12.0", "+12", "012", " 12" and "1_2" (as 12), so one task would have many addresses."""
    if isinstance(value, str) and not _DECIMAL_ID.fullmatch(value):
        raise ValueError("a task id is a whole number written in digits, like 12")
    return value


# Ids fit PostgreSQL's integer column; anything else is a client error, not a 500.
TaskId = Annotated[int, BeforeValidator(_decimal_id), Path(ge=1, le=TASK_ID_MAX)]
# In a body, an id is a JSON integer: not true/false, not 1.0, not "1".
BodyTaskId = Annotated[StrictInt, Field(ge=1, le=TASK_ID_MAX)]


def _iso_date_only(value: object) -> object:
    # pydantic alone would read "0" or "1700000000" as a Unix time: a date filter is YYYY-MM-DD.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("Expected a date as YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


class TaskOut(BaseModel):
    """A task as every route returns it (``task_to_json``; docs/architecture.md, "Tasks")."""

    id: int
    title: str
    notes: str
    completed: bool
    priority: Priority
    due: str | None = Field(description='"YYYY-MM-DD", or "YYYY-MM-DDTHH:MM" local time')
    tags: list[str]
    recurrence: str | None = Field(max_length=RULE_MAX, description=RECURRENCE_DESCRIPTION)
    recurrence_text: str | None = Field(description='The repeat in plain English: "every other Tuesday until 31 Mar 2027"')
    position: float
    created_at: str
    updated_at: str
    completed_at: str | None


class TaskPageOut(BaseModel):
    items: list[TaskOut]
    next_cursor: str | None


class CompletedOut(BaseModel):
    task: TaskOut
    next: TaskOut | None = Field(description="The next occurrence a repeating task scheduled")


class BulkOut(BaseModel):
    completed: list[int] | None = None
    deleted: list[int] | None = None


class BulkBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["complete", "delete"]
    ids: list[BodyTaskId] = Field(min_length=1, max_length=REST_BULK_MAX_IDS)


@router.get("", summary="List tasks (filters, sort, keyset pages)")
def list_tasks(
    tasks: Tasks,
    status: Status = "all",
    priority: Priority | None = None,
    tag: Annotated[str | None, Query(max_length=TAG_FILTER_MAX_CHARS)] = None,
    due_before: IsoDate | None = None,
    due_after: IsoDate | None = None,
    due_on: IsoDate | None = None,
    overdue: bool = False,
    q: Annotated[
        str | None, Query(max_length=SEARCH_MAX_CHARS, pattern=r"^[^\x00]*$", description="Words in title or notes")
    ] = None,
    sort: Sort = "due",
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> TaskPageOut:
    if tag is not None:
        try:
            normalize_tag(tag)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
    flt = TaskFilter(
        status=status,
        priority=priority,
        tag=tag,
        due_before=due_before,
        due_after=due_after,
        due_on=due_on,
        overdue=overdue,
        search=q,
    )
    page = tasks.list(flt, sort=sort, limit=limit, cursor=cursor)
    return TaskPageOut(items=[task_to_json(t) for t in page.items], next_cursor=page.next_cursor)


@router.post("", status_code=201, summary="Create a task")
def create_task(body: TaskCreate, tasks: Tasks) -> TaskOut:
    return TaskOut(**task_to_json(tasks.create(body)))


@router.post("/bulk", summary="Complete or delete several tasks", response_model_exclude_none=True)
def bulk(body: BulkBody, tasks: Tasks) -> BulkOut:
    if body.action == "complete":
        return BulkOut(completed=[t.id for t in tasks.complete_many(body.ids)])
    return BulkOut(deleted=tasks.delete_many(body.ids))


@router.get("/{task_id}", summary="One task")
def get_task(task_id: TaskId, tasks: Tasks) -> TaskOut:
    return TaskOut(**task_to_json(tasks.get(task_id)))


@router.patch("/{task_id}", summary="Change any fields of a task")
def update_task(task_id: TaskId, body: TaskPatch, tasks: Tasks) -> TaskOut:
    return TaskOut(**task_to_json(tasks.update(task_id, body)))


@router.post("/{task_id}/complete", summary="Complete (schedules the next occurrence)")
def complete_task(task_id: TaskId, tasks: Tasks) -> CompletedOut:
    task, spawned = tasks.complete(task_id)
    return CompletedOut(task=task_to_json(task), next=task_to_json(spawned) if spawned else None)


@router.post("/{task_id}/reopen", summary="Mark a completed task open again")
def reopen_task(task_id: TaskId, tasks: Tasks) -> TaskOut:
    return TaskOut(**task_to_json(tasks.reopen(task_id)))


@router.delete("/{task_id}", status_code=204, summary="Delete a task")
def delete_task(task_id: TaskId, tasks: Tasks) -> Response:
    tasks.delete(task_id)
    return Response(status_code=204)
