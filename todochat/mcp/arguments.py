"""What each MCP tool accepts: one pydantic model per tool, whose JSON schema is the tool's
input schema. Descriptions are written for a model that has never seen todochat: the
formats ("YYYY-MM-DD"), the values (priorities, due windows) and the limits
(todochat/limits.py) are said where the argument is.

These models bound sizes and shapes only; what a task may hold (a title that is not
empty, a due date in range, a repeat rule that repeats) is checked by ``TaskCreate`` and
``TaskPatch`` as for every other client.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from todochat.chat.task_query import DueWindow
from todochat.clean_text import refuse_nul
from todochat.limits import (
    CHAT_ADD_MAX_TASKS,
    NOTES_MAX,
    PAGE_MAX,
    REST_BULK_MAX_IDS,
    SEARCH_MAX_CHARS,
    TAG_FILTER_MAX_CHARS,
    TAG_MAX,
    TAGS_MAX,
    TASK_ID_MAX,
    TITLE_MAX,
)
from todochat.tasks import Priority, Recurrence

# Tasks one add_tasks call may create, and tasks one list_tasks page holds.
ADD_MAX_TASKS = CHAT_ADD_MAX_TASKS
LIST_DEFAULT = 25

TaskId = Annotated[StrictInt, Field(ge=1, le=TASK_ID_MAX)]
# A task as a person or a model names it: its id (from list_tasks) or words of its title.
# (An id out of range is refused by the tool, in words: "there is no task #…".)
TaskReference = Annotated[
    StrictInt | Annotated[str, Field(min_length=1, max_length=TITLE_MAX)],
    Field(
        description='Which task: its id as a number (12) or "#12" (ids come from list_tasks and '
        'every result), or words from its title ("dentist"). Words that match several tasks '
        "are refused with the list of matches: call again with the id."
    ),
]
Due = Annotated[str, Field(max_length=32)]
DUE = (
    'Due date "YYYY-MM-DD", or date and local time "YYYY-MM-DDTHH:MM" (24-hour, the user\'s own '
    "time zone); years 1900 to 2999"
)
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="A date, YYYY-MM-DD")]
Tag = Annotated[str, Field(min_length=1, max_length=TAG_MAX + 1)]
Tags = Annotated[
    list[Tag],
    Field(
        max_length=TAGS_MAX,
        description=f"Tags, without '#': letters, digits, '-' and '_', at most {TAG_MAX} characters "
        f"each, at most {TAGS_MAX} per task; stored lower-case",
    ),
]
PRIORITY = '"low", "medium" or "high"'
# Descriptions are given where a field is declared: on an optional field's type they would
# sit inside its anyOf, where a model reading the schema may not look.
REPEAT = (
    "How the task repeats: an RFC 5545 RRULE such as FREQ=WEEKLY;INTERVAL=2;BYDAY=TU (every other "
    "Tuesday), FREQ=MONTHLY;BYDAY=3FR (the third Friday), FREQ=DAILY;COUNT=5, or one of daily, "
    "weekdays, weekly, monthly, yearly. The due date is when the series starts; completing the "
    "task schedules the next one."
)


class _Arguments(BaseModel):
    # An argument the tool does not have is an error the model can fix, not something to ignore.
    model_config = ConfigDict(extra="forbid")


class NewTask(_Arguments):
    title: str = Field(
        min_length=1,
        max_length=TITLE_MAX,
        description=f"What to do, at most {TITLE_MAX} characters, without the date or priority",
    )
    notes: str = Field(default="", max_length=NOTES_MAX, description=f"Details, at most {NOTES_MAX} characters")
    due: Due | None = Field(default=None, description=DUE)
    priority: Priority = Field(default="medium", description=PRIORITY + ' (default "medium")')
    tags: Tags = Field(default_factory=list)
    recurrence: Recurrence | None = Field(default=None, description=REPEAT)


class AddTasks(_Arguments):
    tasks: list[NewTask] = Field(
        min_length=1, max_length=ADD_MAX_TASKS, description=f"The tasks to add, 1 to {ADD_MAX_TASKS}"
    )


class ListTasks(_Arguments):
    status: Literal["open", "done", "all"] = Field(
        default="open", description='"open" (not done, the default), "done" or "all"'
    )
    priority: Priority | None = Field(default=None, description="Only this priority: " + PRIORITY)
    tag: str | None = Field(default=None, max_length=TAG_FILTER_MAX_CHARS, description="Only tasks with this tag (no '#')")
    due: DueWindow | None = Field(
        default=None,
        description="A due window in the user's time zone: today, tomorrow, this_week (Monday to "
        "Sunday; for open tasks the overdue ones too), next_week, overdue, or no_date (no due date)",
    )
    due_from: Day | None = Field(default=None, description="Only tasks due on or after this date, YYYY-MM-DD")
    due_to: Day | None = Field(default=None, description="Only tasks due on or before this date, YYYY-MM-DD")
    search: str | None = Field(
        default=None,
        max_length=SEARCH_MAX_CHARS,
        description=f"Words that must all appear in the title or notes (at most {SEARCH_MAX_CHARS} characters)",
    )
    limit: StrictInt = Field(
        default=LIST_DEFAULT,
        ge=1,
        le=PAGE_MAX,
        description=f"Tasks per page, 1 to {PAGE_MAX} (default {LIST_DEFAULT}); sorted by due date, undated last",
    )
    cursor: str | None = Field(
        default=None, max_length=2000, description="next_cursor from the previous page, for the page after it"
    )

    @field_validator("search")
    @classmethod
    def _search(cls, value: str | None) -> str | None:
        return refuse_nul(value, "Search words") if value else None


class OneTask(_Arguments):
    task: TaskReference


class UpdateTask(_Arguments):
    task: TaskReference
    title: str | None = Field(default=None, min_length=1, max_length=TITLE_MAX, description="The new title")
    notes: str | None = Field(default=None, max_length=NOTES_MAX, description="New notes (replace the old ones)")
    due: Due | None = Field(
        default=None,
        description='New due date "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (local time). A date without a time '
        "keeps the task's time; give a time to change it",
    )
    clear_due: bool = Field(default=False, description="True to remove the due date")
    shift_due: str | None = Field(
        default=None,
        max_length=40,
        description='Move the due date by a signed ISO 8601 duration, keeping its time: "P2D" (2 days '
        'later), "-P1W" (a week earlier), "P1M", "P1Y"; at most 3650 days. A task with no due date is '
        "shifted from today",
    )
    clear_time: bool = Field(default=False, description="True to keep the due date but drop its time")
    priority: Priority | None = Field(default=None, description="The new priority: " + PRIORITY)
    add_tags: Tags = Field(default_factory=list, description="Tags to add (no '#')")
    remove_tags: Tags = Field(default_factory=list, description="Tags to remove (no '#')")
    recurrence: Recurrence | None = Field(default=None, description="A new repeat. " + REPEAT)
    clear_recurrence: bool = Field(default=False, description="True to stop the task repeating")


class BulkTasks(_Arguments):
    action: Literal["complete", "delete"] = Field(description='"complete" or "delete"')
    ids: list[TaskId] = Field(
        min_length=1,
        max_length=REST_BULK_MAX_IDS,
        description=f"Task ids (integers from list_tasks), 1 to {REST_BULK_MAX_IDS}. If any is not one of "
        "the user's tasks, nothing is changed",
    )
