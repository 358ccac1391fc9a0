"""What code reads back from a stored card is found by the same functions that built it:
a task's rows, a card's own Undo and its token, Undo buttons withdrawn or re-pointed."""

from __future__ import annotations

from tests.chat_helpers import NOW
from todochat.chat import widget_tree, widgets
from todochat.chat.card_ids import row_task_id, task_ids_in, undo_button_id
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
