"""One task in the list: its view, its inline editor, and (in manual order) how it moves.

The checkbox is the row's one check control; delete is a quiet grey icon that turns red
under the pointer (the undo bar catches a slip). On a phone every control is 44 px.
In "Sort: manual" a row can be dragged onto another's place, or moved with its up/down
buttons, which keep the keyboard focus so the key can be pressed again.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.components.component import field
from reflex_base.event import EventHandler
from reflex_base.vars.base import Var
from reflex_components_core.el.elements.typography import Li

from todochat.limits import TITLE_MAX
from todochat.ui.components.fields import (
    FIELD_STYLE,
    PRIORITY_OPTIONS,
    RECURRENCE_OPTIONS,
    SMALL_SCREEN,
    TOUCH,
    select,
    text_input,
)
from todochat.ui.task_list import TaskRow
from todochat.ui.task_state import TaskState

def _dragged_task_id(e: Var) -> tuple[Var[str]]:
    return (Var(f"{e}.dataTransfer.getData('text/plain')", _var_type=str),)


class SortableItem(Li):
    """An <li> that takes a dropped row: the dragged task's id arrives with the drop."""

    on_drop: EventHandler[_dragged_task_id] = field(doc="A dragged row was dropped here.")


# Plain browser behaviour, no round trip: what is dragged, where it may land, the highlight.
_DRAG_SCRIPTS = {
    "onDragStart": Var("(e) => { e.dataTransfer.setData('text/plain', e.currentTarget.dataset.taskId);"
                       " e.dataTransfer.effectAllowed = 'move'; e.currentTarget.dataset.dragging = 'true'; }"),
    "onDragEnd": Var("(e) => { delete e.currentTarget.dataset.dragging; }"),
    "onDragOver": Var("(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move';"
                      " e.currentTarget.dataset.dropTarget = 'true'; }"),
    "onDragLeave": Var("(e) => { delete e.currentTarget.dataset.dropTarget; }"),
    "onDropCapture": Var("(e) => { delete e.currentTarget.dataset.dropTarget; }"),
}


def priority_badge(priority) -> rx.Component:
    return rx.match(
        priority,
        ("high", rx.badge("High", color_scheme="red", variant="soft")),
        ("low", rx.badge("Low", color_scheme="gray", variant="soft")),
        rx.badge("Medium", color_scheme="amber", variant="soft"),
    )


def _tag(tag) -> rx.Component:
    return rx.badge("#" + tag, variant="outline", color_scheme="blue", title="#" + tag, class_name="task-tag")


def _move_buttons(row: TaskRow, index, count) -> rx.Component:
    return rx.cond(
        TaskState.manual_order,
        rx.flex(
            rx.icon_button(
                rx.icon("arrow-up", size=16), variant="ghost", color_scheme="gray",
                on_click=TaskState.move_task(row.id, -1), disabled=index == 0,
                aria_label="Move " + row.title + " up", title="Move up", data_move="up", class_name="row-action",
            ),
            rx.icon_button(
                rx.icon("arrow-down", size=16), variant="ghost", color_scheme="gray",
                on_click=TaskState.move_task(row.id, 1), disabled=index == count - 1,
                aria_label="Move " + row.title + " down", title="Move down", data_move="down", class_name="row-action",
            ),
            spacing="1",
            class_name="row-move",
        ),
    )


def _view(row: TaskRow, index, count) -> rx.Component:
    return rx.flex(
        rx.cond(
            TaskState.manual_order,
            rx.box(rx.icon("grip-vertical", size=16), class_name="drag-handle", aria_hidden="true",
                   title="Drag to reorder"),
        ),
        rx.checkbox(
            checked=row.completed,
            on_change=lambda _checked: TaskState.toggle(row.id),
            aria_label=rx.cond(row.completed, "Reopen ", "Complete ") + row.title,
            size="3",
            class_name="task-check",
        ),
        rx.flex(
            rx.el.button(
                row.title,
                on_click=TaskState.start_edit(row.id),
                aria_label="Edit " + row.title,
                class_name="task-title",
                style={
                    "text_decoration": rx.cond(row.completed, "line-through", "none"),
                    "color": rx.cond(row.completed, "var(--gray-10)", "var(--gray-12)"),
                },
            ),
            rx.flex(
                priority_badge(row.priority),
                rx.cond(
                    row.due_label != "",
                    rx.text(
                        rx.icon("calendar", size=12),
                        row.due_label,
                        size="1",
                        color=rx.cond(row.overdue, "var(--red-11)", "var(--gray-11)"),
                        weight=rx.cond(row.overdue, "bold", "regular"),
                        display="inline-flex",
                        align_items="center",
                        gap="0.25rem",
                        class_name="task-due",
                    ),
                ),
                rx.cond(row.overdue, rx.text("Overdue", size="1", color="var(--red-11)", weight="bold")),
                rx.cond(
                    row.recurrence != "",
                    rx.text(rx.icon("repeat", size=12), row.repeat_text, size="1", color="var(--gray-11)",
                            display="inline-flex", align_items="center", gap="0.25rem", class_name="task-repeat",
                            title=row.recurrence),
                ),
                rx.foreach(row.tags, _tag),
                spacing="2",
                wrap="wrap",
                align="center",
                min_width="0",
            ),
            rx.cond(row.notes != "", rx.text(row.notes, size="1", color="var(--gray-11)", white_space="pre-wrap")),
            direction="column",
            spacing="1",
            flex="1",
            min_width="0",
        ),
        _move_buttons(row, index, count),
        rx.icon_button(
            rx.icon("trash-2", size=16),
            on_click=TaskState.delete(row.id),
            variant="ghost",
            color_scheme="gray",
            aria_label="Delete " + row.title,
            title="Delete",
            class_name="row-action task-delete",
        ),
        spacing="2",
        align="start",
        width="100%",
    )


def _editor(row: TaskRow) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(
                name="title",
                default_value=row.title,
                aria_label="Title",
                required=True,
                max_length=TITLE_MAX,
                auto_focus=True,
                on_key_down=TaskState.edit_key,
                # A normal one-line field: in this column a flex basis would become its height.
                style={**FIELD_STYLE, "width": "100%", "height": "2.5rem", "font_size": "1rem",
                       SMALL_SCREEN: {"height": TOUCH}},
            ),
            rx.flex(
                text_input("due_date", "Due date", type="date", default_value=row.due.split("T")[0]),
                text_input("due_time", "Due time", type="time",
                           default_value=rx.cond(row.due.contains("T"), row.due.split("T")[1], "")),
                select("priority", "Priority", PRIORITY_OPTIONS, default=row.priority),
                text_input("tags", "Tags", default_value=row.tags.join(", "), placeholder="tags", max_length=400),
                # A rule other than the presets is an option of its own, selected: saving
                # other fields sends it back unchanged instead of dropping it.
                select("recurrence", "Repeats", RECURRENCE_OPTIONS, default=row.recurrence,
                       extra=[rx.cond(row.repeat_custom, rx.el.option(row.repeat_label, value=row.recurrence))]),
                spacing="2",
                wrap="wrap",
                style={SMALL_SCREEN: {"& > *": {"height": TOUCH, "flex": "1 1 9rem"}}},
            ),
            rx.el.textarea(
                name="notes",
                default_value=row.notes,
                aria_label="Notes",
                placeholder="Notes",
                rows=2,
                style={**FIELD_STYLE, "height": "auto", "padding": "0.5rem", "width": "100%"},
            ),
            rx.flex(
                rx.button("Save", type="submit", size="2", style={SMALL_SCREEN: {"height": TOUCH}}),
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray", size="2",
                          on_click=TaskState.cancel_edit, style={SMALL_SCREEN: {"height": TOUCH}}),
                spacing="2",
            ),
            direction="column",
            spacing="2",
            width="100%",
        ),
        on_submit=TaskState.save_edit,
        width="100%",
        aria_label="Edit task",
    )


# Rows line up: checkbox, title and icon buttons share one height (32 px, 44 px on a phone),
# so the title's first line sits level with the box and the buttons.
ROW_STYLE = {
    "list_style": "none",
    "padding": "0.5rem 0.25rem",
    "border_bottom": "1px solid var(--gray-a5)",
    "--row-control": "2rem",
    "& .task-check, & .row-action, & .drag-handle": {
        "width": "var(--row-control)",
        "height": "var(--row-control)",
        "flex_shrink": "0",
    },
    # Radix draws ghost icon buttons content-box with padding and a negative margin: one box here.
    "& .row-action": {"margin": "0", "padding": "0", "box_sizing": "border-box"},
    "& .drag-handle": {
        "display": "inline-flex",
        "align_items": "center",
        "justify_content": "center",
        "color": "var(--gray-9)",
        "cursor": "grab",
    },
    "& .task-title": {
        "all": "unset",
        "cursor": "text",
        "min_height": "var(--row-control)",
        "display": "flex",
        "align_items": "center",
        "overflow_wrap": "anywhere",
        "font_weight": "500",
    },
    "& .task-title:focus-visible": {"outline": "2px solid var(--focus-8)", "border_radius": "var(--radius-1)"},
    "& .task-delete": {"color": "var(--gray-10)"},
    "& .task-delete:hover, & .task-delete:focus-visible": {"color": "var(--red-11)"},
    "& .task-tag": {"max_width": "12rem", "overflow": "hidden", "text_overflow": "ellipsis",
                    "white_space": "nowrap", "display": "inline-block"},
    "&[data-dragging='true']": {"opacity": "0.5"},
    "&[data-drop-target='true']": {"box_shadow": "inset 0 2px 0 var(--accent-9)"},
    # A phone cannot drag a row (touch has no HTML drag): the move buttons are its way.
    SMALL_SCREEN: {"--row-control": TOUCH, "padding": "0.25rem 0", "& .task-tag": {"max_width": "9rem"},
                   "& .drag-handle": {"display": "none"}},
    # Beside the chat the column is narrow: reordering is the tasks page's job.
    ".chat-tasks &": {"& .drag-handle, & .row-move": {"display": "none"}},
}


def task_row(row: TaskRow, index) -> rx.Component:
    count = TaskState.rows.length()
    return SortableItem.create(
        rx.cond(TaskState.editing_id == row.id, _editor(row), _view(row, index, count)),
        class_name="task-row",
        data_task_id=row.id,
        draggable=TaskState.manual_order & (TaskState.editing_id != row.id),
        custom_attrs=_DRAG_SCRIPTS,
        on_drop=lambda dragged: TaskState.drop_task(dragged, row.id).prevent_default,
        style=ROW_STYLE,
    )
