"""Widget JSON -> the renderer's view tree: every ChatKit component, its props and actions."""

from __future__ import annotations

import json

import pytest
from chatkit.widgets import DynamicWidgetRoot
from reflex_components_lucide.icon import LUCIDE_ICON_LIST

from tests.chat_helpers import NOW
from todochat.chat import widgets
from todochat.models import Task
from todochat.ui.widget_style import CHATKIT_ICONS, ICONS, icon_name
from todochat.ui.widget_view import MAX_DEPTH, text_content, widget_view

ACTION = {"type": "demo.save", "payload": {"x": 1}, "handler": "server", "loadingBehavior": "container"}

EVERY_COMPONENT = {
    "type": "Card",
    "id": "demo_card",
    "padding": {"x": 3, "y": 2},
    "confirm": {"label": "Save", "action": ACTION},
    "cancel": {"label": "Cancel", "action": {"type": "demo.cancel", "payload": {}}},
    "children": [
        {"type": "Title", "value": "Title", "size": "lg"},
        {"type": "Caption", "value": "Caption", "color": "danger"},
        {"type": "Text", "value": "Struck", "lineThrough": True, "weight": "semibold", "streaming": True},
        {"type": "Markdown", "value": "**bold**"},
        {"type": "Label", "value": "Name", "fieldName": "name"},
        {"type": "Badge", "label": "High", "color": "danger", "variant": "outline", "size": "lg"},
        {"type": "Row", "gap": 2, "align": "center", "justify": "between", "children": [
            {"type": "Icon", "name": "calendar", "color": "secondary"},
            {"type": "Spacer", "minSize": 2},
            {"type": "Button", "iconStart": "check-circle", "uniform": True, "onClickAction": ACTION},
        ]},
        {"type": "Col", "gap": "1rem", "children": [
            {"type": "Box", "direction": "row", "children": [{"type": "Text", "value": "in a box"}]},
            {"type": "Divider", "spacing": 3},
        ]},
        {"type": "ListView", "children": [
            {"type": "ListViewItem", "onClickAction": ACTION, "children": [{"type": "Text", "value": "item"}]},
        ]},
        {"type": "Form", "onSubmitAction": ACTION, "children": [
            {"type": "Input", "name": "name", "placeholder": "Your name", "required": True},
            {"type": "Textarea", "name": "notes", "rows": 4},
            {"type": "Select", "name": "priority", "options": [{"value": "high", "label": "High"}]},
            {"type": "DatePicker", "name": "due", "defaultValue": "2026-11-24T00:00:00"},
            {"type": "Checkbox", "name": "done", "label": "Done", "defaultChecked": True,
             "onChangeAction": ACTION},
            {"type": "Button", "label": "Send", "submit": True, "onClickAction": ACTION},
        ]},
        {"type": "Image", "src": "/favicon.ico", "alt": "logo", "size": 24},
        {"type": "Transition", "children": [{"type": "Text", "value": "fading"}]},
    ],
}


def depth_of(view: dict) -> int:
    return 1 + max((depth_of(c) for c in view.get("children", [])), default=0)


def _kinds(view: dict) -> list[str]:
    return [view["kind"], *[k for child in view.get("children", []) for k in _kinds(child)]]


def _find(view: dict, predicate) -> dict:
    if predicate(view):
        return view
    for child in view.get("children", []):
        found = _find(child, predicate)
        if found:
            return found
    return {}


def test_every_schema_component_gets_its_own_kind():
    DynamicWidgetRoot.model_validate(EVERY_COMPONENT)  # the fixture is a valid ChatKit widget
    view = widget_view("wi_1", EVERY_COMPONENT)
    kinds = set(_kinds(view))
    assert kinds == {
        "box", "form", "title", "caption", "text", "markdown", "label", "badge", "icon", "spacer",
        "button", "divider", "input", "textarea", "select", "date", "checkbox", "image",
    }
    assert "unknown" not in kinds


def test_layout_props_become_css():
    view = widget_view("wi_1", EVERY_COMPONENT)
    assert view["css"]["paddingLeft"] == "12px" and view["css"]["paddingTop"] == "8px"
    row = _find(view, lambda v: "wk-row" in v.get("cls", ""))
    assert row["css"] == {"flexDirection": "row", "alignItems": "center", "justifyContent": "space-between", "gap": "8px"}
    col = _find(view, lambda v: "wk-col" in v.get("cls", ""))
    assert col["css"]["gap"] == "1rem" and col["css"]["flexDirection"] == "column"
    caption = _find(view, lambda v: v["kind"] == "caption")
    assert caption["css"]["color"] == "var(--red-11)"
    struck = _find(view, lambda v: v.get("text") == "Struck")
    assert struck["css"]["textDecoration"] == "line-through" and struck["css"]["fontWeight"] == 600
    assert "wk-streaming" in struck["cls"]
    badge = _find(view, lambda v: v["kind"] == "badge")
    assert (badge["tone"], badge["variant"], badge["size"]) == ("red", "outline", "3")


def test_actions_carry_their_item_and_loading_behaviour():
    view = widget_view("wi_7", EVERY_COMPONENT)
    icon_button = _find(view, lambda v: v["kind"] == "button" and v.get("icon") == "circle-check")
    assert json.loads(icon_button["action"]) == {"item_id": "wi_7", "action": {"type": "demo.save", "payload": {"x": 1}}}
    assert icon_button["loading"] == "container" and icon_button["handler"] == "server"
    form = _find(view, lambda v: v["kind"] == "form")
    assert json.loads(form["action"])["action"]["type"] == "demo.save"
    # A submit button runs its form's action, never a second one of its own.
    submit = _find(view, lambda v: v["kind"] == "button" and v.get("submit"))
    assert "action" not in submit
    checkbox = _find(view, lambda v: v["kind"] == "checkbox")
    assert checkbox["checked"] is True and json.loads(checkbox["action"])["item_id"] == "wi_7"
    # Card confirm/cancel become buttons in a footer, cancel first.
    footer = view["children"][-1]
    assert [b["text"] for b in footer["children"]] == ["Cancel", "Save"]
    # uids are unique, so one button's spinner never shows on another.
    uids = []

    def collect(v):
        uids.append(v["uid"])
        for c in v.get("children", []):
            collect(c)

    collect(view)
    assert len(uids) == len(set(uids))


def test_client_handler_and_missing_loading_behaviour():
    view = widget_view("wi_1", {"type": "Button", "label": "Refresh",
                                "onClickAction": {"type": "tasks.refresh", "handler": "client"}})
    assert view["handler"] == "client" and view["loading"] == "auto"


def test_icon_only_task_controls_are_named_after_their_task():
    task = Task(id=42, user_id="u", title="Pay rent", priority="high")
    view = widget_view("wi_1", widgets.task_card(task, heading="Added", now_local=NOW).model_dump(mode="json", exclude_none=True))
    labels = {v["kind"]: v["aria"] for v in _all(view) if v["kind"] in ("button", "checkbox") and not v.get("text")}
    assert labels == {"checkbox": "Complete Pay rent", "button": "Delete Pay rent"}
    done = Task(id=42, user_id="u", title="Pay rent", completed=True)
    view = widget_view("wi_1", widgets.task_card(done, heading="Added", now_local=NOW).model_dump(mode="json", exclude_none=True))
    [tick] = [v for v in _all(view) if v["kind"] == "checkbox"]
    assert (tick["aria"], tick["checked"]) == ("Reopen Pay rent", True)


def _all(view: dict) -> list[dict]:
    return [view, *[n for c in view.get("children", []) for n in _all(c)]]


def test_unknown_types_and_junk_render_their_text_and_never_raise():
    view = widget_view("wi_1", {"type": "Card", "children": [
        {"type": "Carousel", "children": [{"type": "Text", "value": "slide one"}], "label": "Photos"},
        "stray text",
        42,
        None,
        {"type": "Button", "onClickAction": "not-an-action"},
    ]})
    first, stray, number, nothing, button = view["children"]
    assert (first["kind"], first["text"]) == ("unknown", "Photos slide one")
    assert (stray["kind"], stray["text"]) == ("unknown", "stray text")
    assert number["text"] == "42" and nothing["text"] == ""
    assert button["kind"] == "button" and "action" not in button


@pytest.mark.parametrize("depth", [6, MAX_DEPTH, MAX_DEPTH + 5])
def test_deep_trees_are_drawn_to_the_renderer_depth_and_fold_beyond_it(depth: int):
    node: dict = {"type": "Text", "value": "deepest words"}
    for level in range(depth - 1):
        node = {"type": "Col" if level % 2 else "Row", "children": [node]}
    view = widget_view("wi_1", {"type": "Card", "children": [node]} if depth > 1 else node)
    assert depth_of(view) <= MAX_DEPTH + 1
    leaf = _find(view, lambda v: "deepest words" in v.get("text", ""))
    assert leaf, "the deepest words are lost"
    if depth <= MAX_DEPTH:  # a Card and depth-1 boxes: all within the drawn levels
        assert leaf["kind"] == "text"
    else:
        assert leaf["kind"] == "unknown"


def test_images_only_from_this_app():
    assert widget_view("w", {"type": "Image", "src": "/logo.png"})["kind"] == "image"
    tracker = widget_view("w", {"type": "Image", "src": "https://tracker.example/p.gif", "alt": "pixel"})
    assert tracker == {**tracker, "kind": "unknown", "text": "pixel"}
    assert widget_view("w", {"type": "Image", "src": "//evil.example/p.gif"})["kind"] == "unknown"


def test_every_icon_is_one_reflex_knows():
    known = {name.replace("_", "-") for name in LUCIDE_ICON_LIST}
    assert set(ICONS) <= known
    assert set(CHATKIT_ICONS.values()) <= set(ICONS)
    assert icon_name("check-circle-filled") == "circle-check-big"
    assert icon_name("lucide:trash-2") == "trash-2"
    assert icon_name("lucide:not-an-icon") == "" and icon_name(None) == ""


def test_text_content_reads_values_and_labels_in_order():
    assert text_content({"type": "Row", "children": [{"type": "Text", "value": "a"}, {"type": "Badge", "label": "b"}]}) == "a b"
