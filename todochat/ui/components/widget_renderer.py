"""The ChatKit widget renderer: view trees (``ui/widget_view.py``) drawn as Reflex components.

A recursive ``rx.foreach`` does not compile, so each nesting level is its own memo
component that draws its children with the next level's. Leaves (text, badges, buttons,
inputs, ...) are one shared memo, so a level adds a fixed amount of code: the compiled
frontend grows linearly with ``MAX_DEPTH``. ``widget_view`` folds anything deeper than
that into its text, so no widget is ever cut off silently or crashes the page.
"""

from __future__ import annotations

import reflex as rx

from todochat.ui.chat_state import ChatState
from todochat.ui.components.safe_markdown import safe_markdown
from todochat.ui.widget_style import ICONS
from todochat.ui.widget_view import MAX_DEPTH

# The values of the enclosing <form> (if any) at click time, merged into the action's payload.
FORM_VALUES = rx.Var(
    "Object.fromEntries(Array.from(new FormData(_e?.currentTarget?.closest?.('form') ?? undefined).entries()))"
)
CONTROL_VALUE = rx.Var("({[_e?.target?.name]: _e?.target?.type === 'checkbox' ? _e?.target?.checked : _e?.target?.value})")


def _dispatch(node: rx.Var, values: rx.Var) -> rx.event.EventSpec:
    return ChatState.widget_action(
        node["action"].to(str), node["uid"].to(str), node["handler"].to(str), node["loading"].to(str), values
    )


@rx.memo
def widget_icon(name: rx.Var[str], size: rx.Var[int]) -> rx.Component:
    """One icon by name; the names are the fixed set widget_view maps to."""
    return rx.match(
        name,
        *[(icon, rx.icon(icon, size=size)) for icon in ICONS],
        rx.fragment(),
    )


def _button(node: rx.Var) -> rx.Component:
    busy = (ChatState.busy_uid == node["uid"].to(str)) & (node["loading"].to(str) != "none")
    return rx.button(
        rx.cond(node["icon"].to(str) != "", widget_icon(name=node["icon"].to(str), size=16)),
        node["text"].to(str),
        rx.cond(node["icon_end"].to(str) != "", widget_icon(name=node["icon_end"].to(str), size=16)),
        type=rx.cond(node["submit"].to(bool), "submit", "button"),
        aria_label=node["aria"].to(str),
        title=rx.cond(node["text"].to(str) == "", node["aria"].to(str), ""),
        variant=node["variant"].to(str),
        color_scheme=node["tone"].to(str),
        size=node["size"].to(str),
        loading=busy,
        disabled=node["disabled"].to(bool) | ChatState.sending,
        # Submit buttons carry no action of their own (widget_view): their form's runs.
        on_click=lambda _e: _dispatch(node, FORM_VALUES),
        class_name=node["cls"].to(str),
        style=node["css"].to(dict),
        id=node["wid"].to(str),
    )


def _text_like(node: rx.Var, tag) -> rx.Component:
    return tag(node["text"].to(str), class_name=node["cls"].to(str), style=node["css"].to(dict),
               id=node["wid"].to(str))


@rx.memo
def widget_leaf(node: rx.Var[dict]) -> rx.Component:
    """Every widget component without children."""
    kind = node["kind"].to(str)
    return rx.match(
        kind,
        ("text", _text_like(node, rx.el.p)),
        ("title", _text_like(node, rx.el.h3)),
        ("caption", _text_like(node, rx.el.span)),
        ("label", rx.el.label(node["text"].to(str), html_for=node["name"].to(str), class_name="wk-label",
                              style=node["css"].to(dict))),
        ("markdown", rx.box(safe_markdown(node["text"].to(str)), class_name="wk-markdown")),
        ("badge", rx.badge(node["text"].to(str), color_scheme=node["tone"].to(str), variant=node["variant"].to(str),
                           size=node["size"].to(str), class_name=node["cls"].to(str))),
        ("button", _button(node)),
        ("checkbox", rx.el.label(
            rx.el.input(type="checkbox", name=node["name"].to(str), default_checked=node["checked"].to(bool),
                        disabled=node["disabled"].to(bool) | ((node["action"].to(str) != "") & ChatState.sending),
                        aria_label=node["aria"].to(str), id=node["wid"].to(str),
                        on_change=lambda _e: _dispatch(node, CONTROL_VALUE), key=node["key"].to(str)),
            node["text"].to(str),
            class_name="wk-checkbox",
        )),
        ("input", rx.el.input(name=node["name"].to(str), type=node["input_type"].to(str),
                              default_value=node["value"].to(str), placeholder=node["placeholder"].to(str),
                              required=node["required"].to(bool), disabled=node["disabled"].to(bool),
                              aria_label=node["aria"].to(str), class_name="wk-input", id=node["name"].to(str))),
        ("textarea", rx.el.textarea(name=node["name"].to(str), default_value=node["value"].to(str),
                                    placeholder=node["placeholder"].to(str), rows=node["rows"].to(str),
                                    required=node["required"].to(bool), disabled=node["disabled"].to(bool),
                                    aria_label=node["aria"].to(str), class_name="wk-input", id=node["name"].to(str))),
        ("select", rx.el.select(
            rx.el.option(node["placeholder"].to(str), value=""),
            rx.foreach(node["options"].to(list[dict]),
                       lambda o: rx.el.option(o["label"].to(str), value=o["value"].to(str))),
            name=node["name"].to(str), default_value=node["value"].to(str), disabled=node["disabled"].to(bool),
            aria_label=node["aria"].to(str), class_name="wk-input",
            on_change=lambda _e: _dispatch(node, CONTROL_VALUE),
        )),
        ("date", rx.el.input(type="date", name=node["name"].to(str), default_value=node["value"].to(str),
                             min=node["min"].to(str), max=node["max"].to(str), disabled=node["disabled"].to(bool),
                             aria_label=node["aria"].to(str), class_name="wk-input",
                             on_change=lambda _e: _dispatch(node, CONTROL_VALUE))),
        ("divider", rx.el.hr(class_name="wk-divider", style=node["css"].to(dict))),
        ("spacer", rx.el.div(class_name="wk-spacer", style=node["css"].to(dict))),
        ("icon", rx.el.span(widget_icon(name=node["icon"].to(str), size=18), class_name="wk-icon",
                            style=node["css"].to(dict), aria_hidden="true")),
        ("image", rx.el.img(src=node["src"].to(str), alt=node["text"].to(str), style=node["css"].to(dict),
                            class_name="wk-image")),
        rx.el.span(node["text"].to(str), class_name="wk-unknown"),
    )


def _level(depth: int, child):
    """The memo component of one nesting level (children drawn by ``child``, or as leaves)."""

    def body(node: rx.Var[dict]) -> rx.Component:
        kind = node["kind"].to(str)
        children = node["children"].to(list[dict])
        draw = (lambda c: child(node=c)) if child is not None else (lambda c: widget_leaf(node=c))
        return rx.match(
            kind,
            ("box", rx.el.div(rx.foreach(children, draw), class_name=node["cls"].to(str),
                              style=node["css"].to(dict), id=node["wid"].to(str))),
            ("form", rx.el.form(
                rx.foreach(children, draw),
                class_name=node["cls"].to(str),
                style=node["css"].to(dict),
                id=node["wid"].to(str),
                on_submit=lambda values: ChatState.widget_action(
                    node["action"].to(str), node["uid"].to(str), node["handler"].to(str),
                    node["loading"].to(str), values,
                ),
            )),
            widget_leaf(node=node),
        )

    body.__name__ = f"widget_level_{depth}"
    body.__qualname__ = body.__name__
    return rx.memo(body)


def _build_levels() -> list:
    levels: list = []
    child = None
    for depth in range(MAX_DEPTH - 1, -1, -1):
        child = _level(depth, child)
        levels.append(child)
    return list(reversed(levels))


LEVELS = _build_levels()


def widget(view: rx.Var) -> rx.Component:
    """A whole widget item, drawn from its view tree."""
    return LEVELS[0](node=view)
