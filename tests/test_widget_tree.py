"""The one walker over widget JSON: order, lookups, copies that leave the original alone."""

from __future__ import annotations

import copy

from todochat.chat import widget_tree

CARD = {
    "type": "Card",
    "id": "card",
    "children": [
        {"type": "Row", "id": "row_1", "children": [{"type": "Text", "id": "title_1", "value": "pay rent"}]},
        "a stray string",
        {"type": "Row", "id": "row_2", "children": [{"type": "Button", "id": "undo", "label": "Undo"}]},
        {"type": "Caption", "id": "odd", "children": "not a list"},
    ],
}


def test_walk_visits_every_component_parents_first_in_order():
    assert [node["id"] for node in widget_tree.walk(CARD)] == ["card", "row_1", "title_1", "row_2", "undo", "odd"]


def test_walk_takes_a_list_of_trees_and_skips_what_is_not_a_component():
    assert [node["id"] for node in widget_tree.walk([CARD["children"][0], "x", None])] == ["row_1", "title_1"]
    assert list(widget_tree.walk("text")) == []
    assert list(widget_tree.walk(None)) == []


def test_walk_survives_a_tree_deeper_than_the_interpreter_stack():
    tree: dict = {"type": "Text", "id": "leaf"}
    for depth in range(5000):
        tree = {"type": "Box", "id": f"box_{depth}", "children": [tree]}
    assert sum(1 for _ in widget_tree.walk(tree)) == 5001
    assert widget_tree.find(tree, "leaf") == {"type": "Text", "id": "leaf"}


def test_find_returns_the_component_or_none():
    assert widget_tree.find(CARD, "undo") == {"type": "Button", "id": "undo", "label": "Undo"}
    assert widget_tree.find(CARD, "missing") is None
    assert widget_tree.find(None, "undo") is None


def test_replace_id_swaps_one_component_and_copies_the_rest():
    before = copy.deepcopy(CARD)
    new = widget_tree.replace_id(CARD, "title_1", {"type": "Text", "id": "title_1", "value": "paid"})
    assert widget_tree.find(new, "title_1")["value"] == "paid"
    assert new["children"][1] == "a stray string" and new["children"][3] == CARD["children"][3]
    assert CARD == before  # the original is untouched


def test_replace_does_not_look_inside_what_it_replaced():
    seen = []

    def change(node):
        seen.append(node["id"])
        return {"type": "Text", "id": "gone"} if node["id"] == "row_1" else None

    new = widget_tree.replace(CARD, change)
    assert seen == ["card", "row_1", "row_2", "undo", "odd"]
    assert [n["id"] for n in widget_tree.walk(new)] == ["card", "gone", "row_2", "undo", "odd"]


def test_remove_drops_matching_components_at_any_depth_but_never_the_root():
    before = copy.deepcopy(CARD)
    assert widget_tree.find(widget_tree.remove_id(CARD, "undo"), "undo") is None
    without_undo = widget_tree.remove_id(CARD, "undo")
    assert widget_tree.find(without_undo, "row_2") == {"type": "Row", "id": "row_2", "children": []}
    assert widget_tree.remove(CARD, lambda node: True) == {**CARD, "children": ["a stray string"]}
    assert widget_tree.remove_id(CARD, "card")["id"] == "card"
    assert CARD == before


def test_non_components_pass_through_unchanged():
    assert widget_tree.replace("text", lambda node: {}) == "text"
    assert widget_tree.remove(None, lambda node: True) is None
    assert widget_tree.children_of({"children": "not a list"}) == []


def test_the_model_historys_card_readers_walk_deep_cards_too():
    # history reads a card's tasks and heading through walk, so depth is no limit.
    from todochat.chat import history

    tree: dict = {"type": "Button", "id": "choose_task_7_button", "label": "pick"}
    for depth in range(5000):
        tree = {"type": "Box", "id": f"box_{depth}", "children": [tree, "stray"]}
    tree["children"][:0] = [{"type": "Caption", "id": "task_list_counts_caption", "value": "1 task"},
                            {"type": "Title", "value": "Pick one"}]
    assert history.card_task_ids(tree) == [7]
    # The counts caption is never the heading; the first other words are.
    assert history.card_note(tree, {}).splitlines() == [f"{history.CARD_NOTE} Pick one (1 task)", "#7 — deleted"]
