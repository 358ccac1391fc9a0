"""The assistant's cards, built as plain widget JSON and validated by the ChatKit SDK.

Plain dicts (not the deprecated named classes) keep the shape visible and produce the
same JSON a ``.widget`` template would. Ids follow ``{purpose}_{type}``:
``task_list_card``, ``task_42_row``, ``complete_task_42_button``. The ids that code
reads back from a stored card (a task's row and title, a choice button, a list's counts,
a bulk confirmation, a card's own Undo) come from ``card_ids``.
Every card is built from database rows, so re-rendering after an action tells the truth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from chatkit.widgets import DynamicWidgetRoot

from todochat import recurrence
from todochat.chat.card_ids import (
    BULK_CONFIRM_BUTTON_ID,
    COUNTS_CAPTION_ID,
    choice_button_id,
    deleted_row_key,
    row_id,
    task_card_id,
    title_text_id,
    undo_button_id,
)
from todochat.chat.widget_tree import walk
from todochat.formatting import describe_task, due_label
from todochat.models import Task
from todochat.tasks import is_overdue

PAGE_SIZE = 20
PRIORITY_BADGE = {"high": ("High", "danger"), "medium": ("Medium", "warning"), "low": ("Low", "secondary")}


# ---------------------------------------------------------------- primitives


def _node(type_: str, children: Sequence[dict] | None = None, **props: Any) -> dict:
    node = {"type": type_, **{k: v for k, v in props.items() if v is not None}}
    if children is not None:
        node["children"] = [c for c in children if c]
    return node


def action(type_: str, payload: dict | None = None, *, streaming: bool = True, loading: str = "self") -> dict:
    return {
        "type": type_,
        "payload": payload or {},
        "handler": "server",
        "loadingBehavior": loading,
        "streaming": streaming,
    }


def root(tree: dict) -> DynamicWidgetRoot:
    return DynamicWidgetRoot.model_validate(tree)


# ---------------------------------------------------------------- task pieces


def _meta_row(task: Task, now_local: dt.datetime) -> dict:
    label, color = PRIORITY_BADGE.get(task.priority, ("Medium", "warning"))
    overdue = is_overdue(task, now_local)
    due = due_label(task.due_date, task.due_time, now_local.date()) if task.due_date else None
    return _node(
        "Row",
        [
            _node("Badge", label=label, color=color, variant="soft", size="sm"),
            _node(
                "Caption",
                id=f"task_{task.id}_due_caption",
                value=f"Overdue · {due}" if overdue else f"Due {due}",
                color="danger" if overdue else "secondary",
                weight="semibold" if overdue else None,
            )
            if due
            else None,
            _node("Caption", id=f"task_{task.id}_repeat_caption",
                  value=recurrence.describe(task.recurrence, now_local.date()), color="secondary")
            if task.recurrence
            else None,
            *[_node("Badge", label=f"#{t}", color="info", variant="outline", size="sm") for t in task.tag_list],
        ],
        gap=2,
        align="center",
        wrap="wrap",
    )


def _check_control(task: Task) -> dict:
    """The task's checkbox, as in the task list: ticking completes, unticking reopens.

    The action names the verb for the state the card shows; the control also sends its
    new state as ``done`` (the native chat does; the ChatKit UI may not), and the server
    goes by that when present, so a card that was behind still does what the tick meant.
    """
    verb = "reopen" if task.completed else "complete"
    return _node(
        "Checkbox",
        id=f"{verb}_task_{task.id}_checkbox",
        name="done",
        defaultChecked=bool(task.completed),
        onChangeAction=action(f"task.{verb}", {"task_id": task.id}, streaming=False),
    )


def task_row(task: Task, now_local: dt.datetime) -> dict:
    return _node(
        "Row",
        [
            _check_control(task),
            _node(
                "Col",
                [
                    _node(
                        "Text",
                        id=title_text_id(task.id),
                        value=task.title,
                        weight="medium",
                        lineThrough=task.completed or None,
                        color="secondary" if task.completed else None,
                    ),
                    _meta_row(task, now_local),
                ],
                gap=1,
                flex=1,
            ),
            _node(
                "Button",
                id=f"delete_task_{task.id}_button",
                iconStart="lucide:trash-2",
                variant="ghost",
                # Quiet until wanted: a red bin on every row shouts louder than the tasks.
                color="secondary",
                uniform=True,
                size="sm",
                onClickAction=action("task.delete", {"task_id": task.id}),
            ),
        ],
        id=row_id(task.id),
        key=f"task_{task.id}",
        gap=2,
        # The checkbox and the bin sit on the title's line, not centred on the whole row.
        align="start",
    )


# ---------------------------------------------------------------- cards


def task_list_card(
    tasks: Sequence[Task],
    *,
    heading: str,
    counts: str,
    now_local: dt.datetime,
    more: dict | None = None,
    empty_text: str = "Nothing here.",
) -> DynamicWidgetRoot:
    """A page of tasks. ``more`` is the payload of the "Show more" action, if there is a next page."""
    body: list[dict] = [task_row(t, now_local) for t in tasks]
    if not tasks:
        body = [_node("Text", value=empty_text, color="secondary", id="task_list_empty_text")]
    return root(
        _node(
            "Card",
            [
                _node(
                    "Row",
                    [
                        _node("Title", value=heading, size="sm", id="task_list_title"),
                        _node("Spacer"),
                        _node("Caption", value=counts, id=COUNTS_CAPTION_ID),
                    ],
                    align="center",
                ),
                _node("Divider", spacing=2),
                _node("Col", body, gap=2, id="task_list_rows"),
                _node(
                    "Button",
                    id="show_more_button",
                    label="Show more",
                    variant="outline",
                    size="sm",
                    block=True,
                    onClickAction=action("tasks.more", more, loading="self"),
                )
                if more
                else None,
            ],
            id="task_list_card",
            size="md",
        )
    )


def task_card(task: Task, *, heading: str, now_local: dt.datetime, undo: dict | None = None) -> DynamicWidgetRoot:
    """One task after it was added or changed; ``undo`` is the payload of its Undo action."""
    card_id = task_card_id(task.id)
    return root(
        _node(
            "Card",
            [
                _node("Caption", value=heading, id=f"task_{task.id}_heading_caption"),
                task_row(task, now_local),
                _undo_footer(card_id, undo),
            ],
            id=card_id,
            size="md",
        )
    )


def tasks_card(
    tasks: Sequence[Task], *, heading: str, now_local: dt.datetime, undo: dict | None = None, card_id: str
) -> DynamicWidgetRoot:
    """Several tasks added (or changed) at once, with one Undo for all of them."""
    return root(
        _node(
            "Card",
            [
                _node("Caption", value=heading),
                _node("Col", [task_row(t, now_local) for t in tasks], gap=2),
                _undo_footer(card_id, undo),
            ],
            id=card_id,
            size="md",
        )
    )


def _undo_footer(card_id: str, undo: dict | None) -> dict | None:
    """The card's own Undo, at its foot; none when there is nothing to undo."""
    if not undo:
        return None
    button = _node(
        "Button",
        id=undo_button_id(card_id),
        label="Undo",
        variant="outline",
        size="sm",
        onClickAction=action("task.undo", undo),
    )
    return _node("Row", [button], justify="end")


def note_card(text: str, *, card_id: str, color: str = "secondary") -> DynamicWidgetRoot:
    """What a card becomes once it has done its job (e.g. a deleted task, a cancelled bulk action)."""
    return root(_node("Card", [_node("Text", value=text, color=color)], id=card_id, size="md"))


def deleted_row(deleted: dict) -> dict:
    """What a task's row becomes once the task is gone: its title, struck through, and Undo.

    ``deleted`` is ``undo.remember_deleted``'s: the id, the title and the Undo payload,
    a token (the task itself stays on the server).
    """
    task_id = deleted["id"]
    return _node(
        "Row",
        [
            _node("Text", value=deleted["title"], lineThrough=True, color="secondary", id=title_text_id(task_id)),
            _node("Caption", value="Deleted"),
            _node("Spacer"),
            _node(
                "Button",
                id=f"undo_delete_task_{task_id}_button",
                label="Undo",
                variant="outline",
                size="sm",
                onClickAction=action("task.undo", deleted["undo"]),
            ),
        ],
        id=row_id(task_id),
        key=deleted_row_key(task_id),
        gap=2,
        align="center",
    )


def gone_row(task_id: int) -> dict:
    """A row whose task no longer exists, and whose delete cannot be undone from here."""
    return _node(
        "Row",
        [_node("Text", value="This task no longer exists.", color="secondary")],
        id=row_id(task_id),
        key=f"task_{task_id}",
    )


def deleted_card(deleted: dict) -> DynamicWidgetRoot:
    return root(
        _node("Card", [_node("Caption", value="Deleted"), deleted_row(deleted)], id=task_card_id(deleted["id"]), size="md")
    )


def confirm_card(
    *, action_name: str, tasks: Sequence[Task], total: int, payload: dict, now_local: dt.datetime
) -> DynamicWidgetRoot:
    verb = "Delete" if action_name == "delete" else "Complete"
    shown = list(tasks[:5])
    lines = [_node("Text", value=f"• {describe_task(t, now_local)}", size="sm") for t in shown]
    if total > len(shown):
        lines.append(_node("Caption", value=f"and {total - len(shown)} more"))
    noun = "task" if total == 1 else "tasks"
    return root(
        _node(
            "Card",
            [
                _node("Title", value=f"{verb} {total} {noun}?", size="sm"),
                _node("Col", lines, gap=1),
                _node(
                    "Row",
                    [
                        _node(
                            "Button",
                            id="bulk_cancel_button",
                            label="Cancel",
                            variant="outline",
                            size="sm",
                            onClickAction=action("tasks.bulk_cancel", {"action": action_name}),
                        ),
                        _node(
                            "Button",
                            id=BULK_CONFIRM_BUTTON_ID,
                            label=f"{verb} {total}",
                            color="danger" if action_name == "delete" else "primary",
                            size="sm",
                            onClickAction=action("tasks.bulk_confirm", payload),
                        ),
                    ],
                    gap=2,
                    justify="end",
                ),
            ],
            id="bulk_confirm_card",
            size="md",
        )
    )


# No longer streamed ("which task?" is a structured input now: which_task.py). Cards stored
# before still show, their buttons still act (actions.task.choose) and their ids are read.
def choice_card(
    *, question: str, tasks: Sequence[Task], intent: str, changes: dict | None, now_local: dt.datetime
) -> DynamicWidgetRoot:
    options = [
        _node(
            "Button",
            id=choice_button_id(t.id),
            label=describe_task(t, now_local),
            variant="outline",
            color="primary",
            size="md",
            block=True,
            onClickAction=action("task.choose", {"intent": intent, "task_id": t.id, "changes": changes or {}}),
        )
        for t in tasks
    ]
    return root(
        _node(
            "Card",
            [
                _node("Text", value=question, weight="medium"),
                _node(
                    "Col",
                    [
                        *options,
                        _node(
                            "Button",
                            id="choose_cancel_button",
                            label="None of these",
                            variant="soft",
                            color="secondary",
                            size="md",
                            block=True,
                            onClickAction=action("task.choose_cancel", {"intent": intent}),
                        ),
                    ],
                    gap=2,
                ),
            ],
            id="choose_task_card",
            size="md",
            gap=3,
        )
    )


def widget_text(tree: Any) -> str:
    """The words a card shows (values, labels), one line per leaf, for CLIs and copy text."""
    return "\n".join(
        node[key] for node in walk(tree) for key in ("value", "label") if isinstance(node.get(key), str) and node[key]
    )
