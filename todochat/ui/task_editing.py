"""Changes to the tasks on the list: complete or reopen, delete, undo the last of those,
move in manual order, and edit in place.

A part of TaskState (a Reflex state mixin; task_state.py puts the parts together).
"""

from __future__ import annotations

import reflex as rx

from todochat.formatting import due_label
from todochat.tasks import TaskService, place_between
from todochat.ui.task_list import TaskList, text_fields


class TaskEditing(TaskList, mixin=True):
    # The undo bar: what the last delete or completion was, said in words, and how to undo it.
    undo_message: str = ""
    _undo: dict = {}

    @rx.event
    def toggle(self, task_id: int):
        task_id = self._shown_id(task_id)
        if task_id is None:
            return
        # The box means what the row showed: ticking an open row completes it. If the task
        # changed elsewhere in the meantime, say so instead of flipping it back.
        shown_done = next(row.completed for row in self.rows if row.id == task_id)
        done: dict = {}
        already: list[str] = []

        def change(tasks: TaskService):
            task = tasks.get(task_id, lock=True)  # decided on what is read: held until written
            if task.completed != shown_done:
                already.append(task.title)
            elif task.completed:
                tasks.reopen(task_id)
            else:
                _, spawned = tasks.complete(task_id)
                done.update(title=task.title, next=spawned.due_date if spawned else None,
                            next_time=spawned.due_time if spawned else None)

        stale = ""
        if self._write(change) and already:
            state = "completed" if not shown_done else "reopened"
            stale = f"“{already[0]}” was already {state} elsewhere; the list now shows it as it is."
        elif done:
            message = f"Completed “{done['title']}”"
            if done["next"] is not None:
                message += f" · next one {due_label(done['next'], done['next_time'], self._today())}"
            self._offer_undo(message, {"kind": "complete", "task_id": task_id})
        self._reload()
        if stale:
            self.error = stale

    @rx.event
    def delete(self, task_id: int):
        task_id = self._shown_id(task_id)
        if task_id is None:
            return
        snapshot: dict = {}

        def change(tasks: TaskService):
            task = tasks.get(task_id)
            snapshot.update(task.model_dump())
            tasks.delete(task_id)

        if self._write(change):
            if self.editing_id == task_id:
                self.editing_id = -1
            self._offer_undo(f"Deleted “{snapshot.get('title', '')}”", {"kind": "delete", "snapshot": snapshot})
            self._reload()

    def _offer_undo(self, message: str, undo: dict) -> None:
        """One undo bar, on the tasks page and beside the chat: the latest change replaces it."""
        self.undo_message, self._undo = message, undo

    @rx.event
    def undo(self):
        undo = self._undo
        if not undo:
            return
        if undo["kind"] == "delete":
            ok = self._write(lambda tasks: tasks.restore(undo["snapshot"]))
        else:  # reopening withdraws the next occurrence the completion scheduled
            ok = self._write(lambda tasks: tasks.reopen(undo["task_id"]))
        if ok:
            self._undo, self.undo_message = {}, ""
        self._reload()

    @rx.event
    def dismiss_undo(self):
        self._undo = {}
        self.undo_message = ""

    # -- manual order (sort "position")

    @rx.event
    def move_task(self, task_id: int, step: int):
        """Move up (-1) or down (+1) one row; focus follows the task so the key can repeat."""
        task_id = self._shown_id(task_id)
        if task_id is None or isinstance(step, bool) or step not in (-1, 1):
            return
        ids = [row.id for row in self.rows]
        index = ids.index(task_id) + step
        if 0 <= index < len(ids):
            self._move_to(task_id, index)
        button = "up" if step < 0 else "down"
        return rx.call_script(
            f"document.querySelector('li[data-task-id=\"{int(task_id)}\"] [data-move=\"{button}\"]')?.focus()"
        )

    @rx.event
    def drop_task(self, dragged: str, target_id: int):
        """A row dropped on another takes that row's place."""
        try:
            dragged_id = int(dragged)
        except (TypeError, ValueError):
            return
        dragged_id, target_id = self._shown_id(dragged_id), self._shown_id(target_id)
        ids = [row.id for row in self.rows]
        if dragged_id is not None and target_id is not None and dragged_id != target_id:
            self._move_to(dragged_id, ids.index(target_id))

    def _move_to(self, task_id: int, index: int) -> None:
        """Put the task between its new neighbours in the shown list (tasks/order.py)."""
        if self.sort != "position":
            return
        order = [row.id for row in self.rows if row.id != task_id]
        order.insert(index, task_id)
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None

        def change(tasks: TaskService):
            below = after
            if below is None and self.next_cursor:
                # The last row shown is not the last task: the first one not yet loaded is
                # the real neighbour below (else the two could tie and swap places).
                hidden = tasks.list(self._filter(tasks), sort="position", limit=1, cursor=self.next_cursor).items
                below = hidden[0].id if hidden and hidden[0].id != task_id else None
            place_between(tasks, task_id, before, below)

        if self._write(change):
            title = next(row.title for row in self.rows if row.id == task_id)
            self.notice = f"Moved “{title}” to place {index + 1} of {len(order)}"  # for screen readers
        self._reload()

    @rx.event
    def start_edit(self, task_id: int):
        task_id = self._shown_id(task_id)
        if task_id is not None:
            self.editing_id = task_id

    @rx.event
    def cancel_edit(self):
        self._close_editor()

    @rx.event
    def edit_key(self, key: str):
        if key == "Escape":
            self._close_editor()

    @rx.event
    def save_edit(self, form: dict):
        task_id = self.editing_id
        if task_id < 0:
            return
        form = text_fields(form)
        due = form.get("due_date", "").strip()
        time = form.get("due_time", "").strip()
        patch = {
            "title": form.get("title", ""),
            "priority": form.get("priority") or "medium",
            "due": f"{due}T{time}" if due and time else (due or None),
            "tags": form.get("tags", ""),
            "recurrence": form.get("recurrence") or None,
        }
        if "notes" in form:
            patch["notes"] = form.get("notes", "")
        if self._write(lambda tasks: tasks.update(task_id, patch)):
            self.editing_id = -1
            self._reload()
