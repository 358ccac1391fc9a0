"""The assistant's cards, built as plain widget JSON and validated by the ChatKit SDK.

Plain dicts (not the deprecated named classes) keep the shape visible and produce the
same JSON a ``.widget`` template would. Ids follow ``{purpose}_{type}``:
``task_list_card``, ``task_42_row``, ``complete_task_42_button``.
Every card is built from database rows, so re-rendering after an action tells the truth.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from chatkit.widgets import DynamicWidgetRoot

from todochat import recurrence
from todochat.formatting import due_label
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


def describe(task: Task, now_local: dt.datetime) -> str:
    """One line of text for a task, used for copy text, choice labels and replies."""
    parts = [task.title]
    if task.due_date:
        parts.append(f"due {due_label(task.due_date, task.due_time, now_local.date())}")
    if task.priority != "medium":
        parts.append(f"{task.priority} priority")
    if task.recurrence:
        parts.append(recurrence.describe(task.recurrence, now_local.date()))
    if task.tag_list:
        parts.append(" ".join(f"#{t}" for t in task.tag_list))
    if task.completed:
        parts.append("done")
    return ", ".join(parts)


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
                        id=f"task_{task.id}_title_text",
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
        id=f"task_{task.id}_row",
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
                        _node("Caption", value=counts, id="task_list_counts_caption"),
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
    footer = [
        _node(
            "Button",
            id=f"undo_task_{task.id}_button",
            label="Undo",
            variant="outline",
            size="sm",
            onClickAction=action("task.undo", undo),
        )
        if undo
        else None,
    ]
    return root(
        _node(
            "Card",
            [
                _node("Caption", value=heading, id=f"task_{task.id}_heading_caption"),
                task_row(task, now_local),
                _node("Row", footer, justify="end") if undo else None,
            ],
            id=f"task_{task.id}_card",
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
                _node(
                    "Row",
                    [
                        _node(
                            "Button",
                            id=f"undo_{card_id}_button",
                            label="Undo",
                            variant="outline",
                            size="sm",
                            onClickAction=action("task.undo", undo),
                        )
                    ],
                    justify="end",
                )
                if undo
                else None,
            ],
            id=card_id,
            size="md",
        )
    )


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
            _node("Text", value=deleted["title"], lineThrough=True, color="secondary", id=f"task_{task_id}_title_text"),
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
        id=f"task_{task_id}_row",
        key=f"deleted_task_{task_id}",
        gap=2,
        align="center",
    )


def deleted_card(deleted: dict) -> DynamicWidgetRoot:
    return root(
        _node("Card", [_node("Caption", value="Deleted"), deleted_row(deleted)], id=f"task_{deleted['id']}_card", size="md")
    )


def confirm_card(
    *, action_name: str, tasks: Sequence[Task], total: int, payload: dict, now_local: dt.datetime
) -> DynamicWidgetRoot:
    verb = "Delete" if action_name == "delete" else "Complete"
    shown = list(tasks[:5])
    lines = [_node("Text", value=f"• {describe(t, now_local)}", size="sm") for t in shown]
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
                            id="bulk_confirm_button",
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


def choice_card(
    *, question: str, tasks: Sequence[Task], intent: str, changes: dict | None, now_local: dt.datetime
) -> DynamicWidgetRoot:
    options = [
        _node(
            "Button",
            id=f"choose_task_{t.id}_button",
            label=describe(t, now_local),
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


def remove_component(tree: dict, component_id: str) -> dict:
    """A copy of a widget tree without one component (e.g. a used "Show more" button)."""
    if isinstance(tree, dict):
        out = {k: remove_component(v, component_id) for k, v in tree.items()}
        if isinstance(out.get("children"), list):
            out["children"] = [
                c for c in out["children"] if not (isinstance(c, dict) and c.get("id") == component_id)
            ]
        return out
    if isinstance(tree, list):
        return [remove_component(v, component_id) for v in tree]
    return tree


# ---------------------------------------------------------------- re-rendering

_ROW_ID = re.compile(r"^task_(\d+)_row$")


def task_ids_in(tree: Any) -> list[int]:
    """Ids of the tasks whose rows a card shows, in order."""
    found: list[int] = []
    if isinstance(tree, dict):
        match = _ROW_ID.match(str(tree.get("id", "")))
        if match:
            found.append(int(match.group(1)))
        for child in tree.get("children") or []:
            found.extend(task_ids_in(child))
    return found


def refresh_rows(tree: dict, tasks: dict[int, Task], deleted: dict[int, dict], now_local: dt.datetime) -> dict:
    """A copy of a card with every task row re-rendered from the database.

    ``tasks`` holds the rows' current tasks; a row whose task is gone shows as deleted
    (with Undo when ``deleted`` has it, from ``undo.remember_deleted``), so an old card
    never claims a task still exists or still looks the way it did.
    """

    def visit(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        match = _ROW_ID.match(str(node.get("id", "")))
        if match:
            task_id = int(match.group(1))
            if task_id in tasks:
                return task_row(tasks[task_id], now_local)
            if task_id in deleted:
                return deleted_row(deleted[task_id])
            if node.get("key") == f"deleted_task_{task_id}":
                return node  # already shown as deleted, with its Undo
            return _node(
                "Row",
                [_node("Text", value="This task no longer exists.", color="secondary")],
                id=f"task_{task_id}_row",
                key=f"task_{task_id}",
            )
        out = dict(node)
        if isinstance(node.get("children"), list):
            out["children"] = [visit(child) for child in node["children"]]
        return out

    return visit(tree)


def _undo_token(node: dict) -> str | None:
    click = node.get("onClickAction")
    if node.get("type") == "Button" and isinstance(click, dict) and click.get("type") == "task.undo":
        token = (click.get("payload") or {}).get("token")
        return token if isinstance(token, str) else ""
    return None


def undo_tokens_in(tree: Any) -> list[str]:
    """The tokens of every Undo button a card shows."""
    found: list[str] = []
    if isinstance(tree, dict):
        token = _undo_token(tree)
        if token:
            found.append(token)
        for child in tree.get("children") or []:
            found.extend(undo_tokens_in(child))
    return found


def keep_undo_buttons(tree: Any, usable: set[str]) -> Any:
    """A copy of a card without the Undo buttons whose token is not in ``usable``.

    An Undo that can no longer run (used, expired, or its task changed since) must not
    be offered: pressing it would either fail or throw away later work.
    """
    if not isinstance(tree, dict):
        return tree
    out = dict(tree)
    if isinstance(tree.get("children"), list):
        out["children"] = [
            keep_undo_buttons(c, usable)
            for c in tree["children"]
            if not (isinstance(c, dict) and _undo_token(c) is not None and _undo_token(c) not in usable)
        ]
    return out


def with_undo(tree: Any, button_id: str, undo: dict) -> Any:
    """A copy of a card whose Undo button ``button_id`` now runs ``undo`` (a newer change)."""
    if not isinstance(tree, dict):
        return tree
    if tree.get("id") == button_id:
        return {**tree, "onClickAction": action("task.undo", undo)}
    if isinstance(tree.get("children"), list):
        return {**tree, "children": [with_undo(c, button_id, undo) for c in tree["children"]]}
    return tree


def find_component(tree: Any, component_id: str) -> dict | None:
    if isinstance(tree, dict):
        if tree.get("id") == component_id:
            return tree
        for child in tree.get("children") or []:
            found = find_component(child, component_id)
            if found is not None:
                return found
    return None


def widget_text(tree: Any) -> str:
    """The words a card shows (values, labels), one line per leaf, for CLIs and copy text."""
    lines: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("value", "label"):
                if isinstance(node.get(key), str) and node[key]:
                    lines.append(node[key])
            for child in node.get("children") or []:
                visit(child)
        elif isinstance(node, list):
            for child in node:
                visit(child)

    visit(tree)
    return "\n".join(lines)
