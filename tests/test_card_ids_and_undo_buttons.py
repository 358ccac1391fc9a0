"""What code reads back from a stored card is found by the same functions that built it:
a task's rows and titles, a choice card's buttons, a list's counts, a bulk confirmation,
a card's own Undo and its token, Undo buttons withdrawn or re-pointed."""

from __future__ import annotations

from tests.chat_helpers import NOW
import pytest

from todochat.chat import history, widget_tree, widgets
from todochat.chat.card_ids import (
    BULK_CONFIRM_BUTTON_ID,
    COUNTS_CAPTION_ID,
    choice_button_id,
    choice_task_id,
    row_id,
    row_task_id,
    task_ids_in,
    title_task_id,
    title_text_id,
    undo_button_id,
)
from todochat.chat.undo_buttons import keep_undo_buttons, own_undo, undo_tokens_in, with_undo, without_own_undo
from todochat.models import Task

ADD = {"token": "A" * 32}
DELETE = {"id": 9, "title": "old", "undo": {"token": "D" * 32}}


def _tree(card) -> dict:
    return card.model_dump(mode="json", exclude_none=True)


def _tasks(*ids: int) -> list[Task]:
    return [Task(id=i, user_id="u", title=f"task {i}") for i in ids]


def test_the_rows_a_card_shows_are_read_back_in_order():
    card = _tree(widgets.tasks_card(_tasks(3, 1, 2), heading="Added", now_local=NOW, undo=ADD, card_id="added_3_card"))
    assert task_ids_in(card) == [3, 1, 2]
    assert task_ids_in(_tree(widgets.deleted_card(DELETE))) == [9]  # a deleted row is still the task's row
    assert row_task_id({"id": "task_12_title_text"}) is None and row_task_id({}) is None


@pytest.mark.parametrize(
    ("build", "read"), [(row_id, row_task_id), (title_text_id, title_task_id), (choice_button_id, choice_task_id)]
)
def test_a_task_id_survives_its_component_id(build, read):
    for task_id in (0, 7, 123456789):
        assert read({"id": build(task_id)}) == task_id


@pytest.mark.parametrize("read", [row_task_id, title_task_id, choice_task_id])
def test_a_foreign_id_names_no_task(read):
    foreign = ["task_12_card", "undo_task_12_button", "complete_task_12_checkbox", "task_x_title_text",
               "choose_task__button", "task_12_row_extra", "xtask_12_row", "choose_cancel_button", ""]
    for component_id in foreign:
        assert read({"id": component_id}) is None, component_id
    assert read({}) is None and read({"id": 12}) is None


def test_the_formats_stored_conversations_hold():
    # Changing one would orphan the cards already kept (and break the browser tests).
    assert title_text_id(42) == "task_42_title_text" and choice_button_id(42) == "choose_task_42_button"
    assert COUNTS_CAPTION_ID == "task_list_counts_caption" and BULK_CONFIRM_BUTTON_ID == "bulk_confirm_button"


def test_the_model_history_reads_back_what_the_builders_named():
    tasks = _tasks(3, 1)
    choice = _tree(widgets.choice_card(question="Which?", tasks=tasks, intent="delete", changes=None, now_local=NOW))
    assert [choice_task_id(n) for n in widget_tree.walk(choice) if choice_task_id(n) is not None] == [3, 1]
    assert history.card_task_ids(choice) == [3, 1]
    confirm = widgets.confirm_card(action_name="delete", tasks=tasks, total=2, payload={"ids": [3, 1]}, now_local=NOW)
    assert widget_tree.find(_tree(confirm), BULK_CONFIRM_BUTTON_ID)["onClickAction"]["payload"] == {"ids": [3, 1]}
    assert history.card_task_ids(_tree(confirm)) == [3, 1]
    listed = _tree(widgets.task_list_card(tasks, heading="Open", counts="2 tasks", now_local=NOW))
    assert widget_tree.find(listed, COUNTS_CAPTION_ID)["value"] == "2 tasks"
    assert widget_tree.find(listed, title_text_id(3))["value"] == "task 3"
    assert history.card_note(listed, {}).splitlines() == [
        f"{history.CARD_NOTE} Open (2 tasks)", "#3 task 3 — deleted", "#1 task 1 — deleted"
    ]
    assert history.card_note(_tree(widgets.deleted_card(DELETE)), {}).splitlines()[1] == "#9 old — deleted"


def test_a_cards_own_undo_is_found_by_the_id_its_builder_gave_it():
    [task] = _tasks(42)
    single = _tree(widgets.task_card(task, heading="Added", now_local=NOW, undo=ADD))
    several = _tree(widgets.tasks_card(_tasks(5, 6), heading="Added", now_local=NOW, undo=ADD, card_id="added_5_card"))
    for card in (single, several):
        own = own_undo(card)
        assert own is not None and own.token == ADD["token"]
        assert widget_tree.find(card, own.button_id)["label"] == "Undo"
        assert own.button_id == undo_button_id(card["id"])
    # The ids stored conversations already hold (and the browser tests click).
    assert own_undo(single).button_id == "undo_task_42_button"
    assert own_undo(several).button_id == "undo_added_5_card_button"


def test_a_card_without_its_own_undo_has_none_to_find_or_remove():
    [task] = _tasks(42)
    card = _tree(widgets.task_card(task, heading="Updated", now_local=NOW))
    assert own_undo(card) is None
    assert without_own_undo(card) == card
    # A deleted row's Undo is the row's, not the card's.
    deleted = _tree(widgets.deleted_card(DELETE))
    assert own_undo(deleted) is None and undo_tokens_in(deleted) == [DELETE["undo"]["token"]]


def test_own_undo_removed_and_re_pointed():
    [task] = _tasks(42)
    card = _tree(widgets.task_card(task, heading="Added", now_local=NOW, undo=ADD))
    assert undo_tokens_in(without_own_undo(card)) == []
    newer = {"token": "N" * 32}
    moved = with_undo(card, own_undo(card).button_id, newer)
    assert undo_tokens_in(moved) == [newer["token"]]
    assert widget_tree.find(moved, "undo_task_42_button")["onClickAction"]["type"] == "task.undo"


def test_only_usable_undo_buttons_stay():
    card = _tree(widgets.tasks_card(_tasks(1), heading="Added", now_local=NOW, undo=ADD, card_id="added_1_card"))
    assert undo_tokens_in(keep_undo_buttons(card, {ADD["token"]})) == [ADD["token"]]
    kept = keep_undo_buttons(card, set())
    assert undo_tokens_in(kept) == [] and task_ids_in(kept) == [1]
