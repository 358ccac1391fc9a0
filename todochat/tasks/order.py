"""Manual order: moving one task between two others by its ``position``, through TaskService.

Only the moved task changes: it takes a position strictly between its new neighbours'.
When floats leave no room between them (after many moves into the same gap) or a
position would leave the allowed range, this user's tasks are numbered again 1, 2, 3 ...
in their order, the moved one in its new place.
"""

from __future__ import annotations

from todochat.limits import PAGE_MAX, POSITION_MAX
from todochat.tasks.filters import TaskFilter
from todochat.tasks.service import TaskService


def place_between(tasks: TaskService, task_id: int, before: int | None, after: int | None) -> None:
    """Move ``task_id`` to just after ``before`` and just before ``after`` (either may be None:
    the top or the bottom). Raises TaskNotFound for a task that is not this user's."""
    tasks.get(task_id)
    low = tasks.get(before).position if before is not None else None
    high = tasks.get(after).position if after is not None else None
    position = between(low, high)
    if position is None:
        renumber(tasks, task_id, before, after)
    else:
        tasks.update(task_id, {"position": position})


def between(low: float | None, high: float | None) -> float | None:
    """A position strictly between two (None: open on that side), or None when there is none."""
    if low is None and high is None:
        return 1.0
    if low is None:
        position = high - 1.0
    elif high is None:
        position = low + 1.0
    else:
        position = (low + high) / 2
        if not low < position < high:
            return None
    return position if -POSITION_MAX <= position <= POSITION_MAX else None


def renumber(tasks: TaskService, task_id: int, before: int | None, after: int | None) -> None:
    """Number every task of the user 1, 2, 3 ... in manual order, ``task_id`` placed
    between ``before`` and ``after``; tasks already holding their number are not written."""
    order: list[int] = []
    cursor = None
    while True:
        page = tasks.list(TaskFilter(status="all"), sort="position", limit=PAGE_MAX, cursor=cursor)
        order += [task.id for task in page.items]
        cursor = page.next_cursor
        if not cursor:
            break
    order.remove(task_id)
    if after is not None:
        order.insert(order.index(after), task_id)
    elif before is not None:
        order.insert(order.index(before) + 1, task_id)
    else:
        order.insert(0, task_id)
    for number, other in enumerate(order, start=1):
        if tasks.get(other).position != float(number):
            tasks.update(other, {"position": float(number)})
