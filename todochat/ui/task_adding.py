"""The add form: quick add (what the box says, read as chips while the person types) and
its plain fields.

A part of TaskState (a Reflex state mixin; task_state.py puts the parts together).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import reflex as rx

from todochat import quick_add
from todochat.limits import MESSAGE_MAX_CHARS
from todochat.quick_add import Chip
from todochat.ui.task_list import TaskList, text_fields


class TaskAdding(TaskList, mixin=True):
    # Quick add: what the add box was read as (chips under it) and the chips removed.
    quick_title: str = ""  # the title that will be stored, shown when the box said more
    quick_chips: list[Chip] = []
    quick_dropped: list[str] = []
    _quick_text: str = ""
    # Small screens fold the add form's extra fields behind a button.
    show_add_options: bool = False

    @rx.event
    def read_quick_add(self, text: str):
        """Show what the add box will store, as chips, while the person types."""
        if not isinstance(text, str):
            return
        self._quick_text = text[: MESSAGE_MAX_CHARS + 1]  # longer is read as typed anyway
        if not text.strip():
            self.quick_dropped = []  # an emptied box starts afresh
        self._show_reading()

    @rx.event
    def drop_chip(self, key: str):
        """A removed chip is not stored: "tomorrow" misread as a date stays off the task,
        and its words go back into the title."""
        if isinstance(key, str) and key in {chip.key for chip in self.quick_chips} and key not in self.quick_dropped:
            self.quick_dropped = self.quick_dropped + [key]
        self._show_reading()

    def _show_reading(self) -> None:
        reading = self._read(self._quick_text)
        self.quick_chips = reading.chips(self._today())
        # Worth showing when the box said more than a title, or a removed chip changed it.
        self.quick_title = reading.title if self.quick_chips or self.quick_dropped else ""

    def _read(self, text: str) -> quick_add.QuickAdd:
        now = dt.datetime.now(self._zone()).replace(tzinfo=None, second=0, microsecond=0)
        return quick_add.read(text, now, frozenset(self.quick_dropped))

    @rx.event
    def add_task(self, form: dict):
        """Add what the box says, read as the chips showed it, plus the plain fields.

        A refused add keeps everything typed (the form is emptied only once the task is
        stored); a plain field that disagrees with a chip is refused rather than one of
        them silently winning."""
        form = text_fields(form)
        typed = form.get("title", "")
        reading = self._read(typed)
        due = form.get("due_date", "").strip()
        time = form.get("due_time", "").strip()
        if time and not due:
            if reading.due and "T" not in reading.due:
                # The chip's date, at the time the field gives.
                due, reading = reading.due, dataclasses.replace(reading, due=None)
            else:
                self.error = "Pick a date for the time you gave"
                return
        if typed.strip() and not reading.title:
            self.error = "Say what the task is, not only when, how important or which tag"
            return
        conflicts = [
            name for name, field, chip in (
                ("date", due, reading.due), ("priority", form.get("priority"), reading.priority),
                ("repeat", form.get("recurrence"), reading.recurrence),
            )
            if field and chip
        ]
        if conflicts:
            self.error = (f"The box and the {conflicts[0]} field both set the {conflicts[0]}: "
                          "remove the chip or clear the field")
            return
        field_tags = str(form.get("tags", ""))
        data = {
            "title": reading.title or typed,
            "priority": form.get("priority") or reading.priority or "medium",
            "due": (f"{due}T{time}" if due and time else due) or reading.due,
            "tags": ", ".join([*reading.tags, field_tags]) if field_tags.strip() else reading.tags,
            "recurrence": form.get("recurrence") or reading.recurrence,
        }
        if self._write(lambda tasks: tasks.create(data)):
            self.notice = f"Added “{' '.join(str(data['title']).split())}”"
            self.quick_title, self.quick_chips, self.quick_dropped, self._quick_text = "", [], [], ""
            self._reload()
            return rx.call_script(empty_add_form_js(typed))

    @rx.event
    def toggle_add_options(self):
        self.show_add_options = not self.show_add_options


# The add form is emptied only after the task was stored: a refused add keeps the text.
# The input event makes the box's debounced reader's last word "": a read of the old text
# still pending would otherwise put its chips back under the emptied box.
# The script runs a moment after the list shows the new row: a title already typed for the
# next task by then is put back (and read again), the rest of the form is emptied.
def empty_add_form_js(added: str) -> str:
    return """(() => {
  const form = document.querySelector('form[aria-label="Add a task"]');
  const box = form?.querySelector('input[name="title"]');
  if (!form || !box) return;
  const typed = box.value;
  form.reset();
  box.dispatchEvent(new Event("input", {bubbles: true}));
  if (typed === %s) return;
  // React keeps its own copy of the value: set it through the element's own setter.
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(box, typed);
  box.dispatchEvent(new Event("input", {bubbles: true}));
})()""" % json.dumps(added)
