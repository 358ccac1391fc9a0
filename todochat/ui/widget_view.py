"""ChatKit widget JSON -> a flat, render-ready view tree for the Reflex widget renderer.

The renderer (``ui/components/widget_renderer.py``) runs in the browser and can only
branch on values; every decision that needs Python (spacing units, theme colours, icon
names, accessible names, which item an action belongs to) is made here, once, on the
server (CSS, colours and icons through ``widget_style``). Each view node is a plain dict:

    kind      what to draw: box, form, text, title, caption, markdown, label, badge,
              button, checkbox, input, textarea, select, date, divider, spacer, icon,
              image, or unknown (its text content, never a crash)
    css       inline CSS (React style keys)
    cls       CSS classes from assets/chat.css
    text      the words it shows
    children  child nodes (boxes only)
    ...       control props: tone, variant, size, icon, aria, action, loading, uid, ...

A button's ``action`` is the JSON of its ActionConfig plus the widget item it came from,
so a click can be sent back as ``threads.custom_action`` without the browser choosing
whose item it is (the server checks that anyway).
"""

from __future__ import annotations

import json
import re
from typing import Any

from todochat.chat import widget_tree
from todochat.ui.widget_style import (
    CONTROL_SIZES,
    RADII,
    TEXT_COLORS,
    TEXT_SIZES,
    TITLE_SIZES,
    TONES,
    VARIANTS,
    box_css,
    color_of,
    icon_name,
    space,
    text_css,
)

# Levels of nesting the renderer draws; deeper boxes are shown as their text.
MAX_DEPTH = 10

BOX_TYPES = {"Card", "ListView", "ListViewItem", "Row", "Col", "Box", "Transition", "Basic", "Form"}
TEXT_KINDS = {"Text": "text", "Title": "title", "Caption": "caption", "Markdown": "markdown", "Label": "label"}
_ACTION_VERB = re.compile(r"[._-]+")


def text_content(node: Any) -> str:
    """Every word a widget shows, joined by spaces (unknown types render this)."""
    return " ".join(
        part
        for component in widget_tree.walk(node if isinstance(node, dict) else None)
        for part in (component.get(key) for key in ("value", "label", "title", "text"))
        if isinstance(part, str) and part
    )


def first_text(node: Any) -> str:
    """The first non-empty Text or Title value in a tree (depth first), or ""."""
    return next(
        (
            component["value"]
            for component in widget_tree.walk(node if isinstance(node, dict) else None)
            if component.get("type") in ("Text", "Title") and isinstance(component.get("value"), str)
            and component["value"]
        ),
        "",
    )


def _aria_for(action: dict | None, context_text: str) -> str:
    """An accessible name for an icon-only button: its action verb and what it is about."""
    verb = (action or {}).get("type", "") if isinstance(action, dict) else ""
    word = _ACTION_VERB.split(verb)[-1].replace("_", " ").capitalize() if verb else "Action"
    return f"{word} {context_text}".strip()


class ViewBuilder:
    """Builds the view tree of one widget item; ``uid``s are unique within the page."""

    def __init__(self, item_id: str):
        self.item_id = item_id

    def build(self, node: Any, path: str = "0", context_text: str = "") -> dict:
        depth = path.count(".")
        if not isinstance(node, dict):
            return {"kind": "unknown", "text": str(node) if isinstance(node, (str, int, float)) else "", "uid": path}
        kind = node.get("type")
        view: dict[str, Any] = {"uid": f"{self.item_id}:{path}", "key": str(node.get("key") or node.get("id") or path)}
        if node.get("id"):
            view["wid"] = str(node["id"])
        if kind in BOX_TYPES and depth < MAX_DEPTH:
            return self._box(node, view, path, context_text)
        if kind in TEXT_KINDS:
            return self._text(node, view)
        builder = getattr(self, f"_{str(kind).lower()}", None) if isinstance(kind, str) else None
        if kind in {"Badge", "Button", "Checkbox", "Input", "Textarea", "Select", "DatePicker",
                    "Divider", "Spacer", "Icon", "Image", "RadioGroup"} and builder is not None:
            return builder(node, view, context_text)
        view.update(kind="unknown", text=text_content(node))
        return view

    # -- containers

    def _box(self, node: dict, view: dict, path: str, context_text: str = "") -> dict:
        kind = node["type"]
        css = box_css(node)
        classes = ["wk-box", f"wk-{kind.lower()}"]
        if kind == "Card":
            css.setdefault("padding", {"sm": "12px", "lg": "20px", "full": "16px"}.get(node.get("size"), "16px"))
            if node.get("size") == "full":
                classes.append("wk-card-full")
        if kind == "Card" and node.get("collapsed"):
            classes.append("wk-collapsed")
        # A row's first words (a task's title) name its icon-only buttons ("Complete Pay rent").
        context = first_text({"children": [c for c in node.get("children") or [] if isinstance(c, dict)
                                           and c.get("type") != "Button"]}) or context_text
        children = [
            self.build(child, f"{path}.{i}", context)
            for i, child in enumerate(node.get("children") or [])
        ]
        if kind == "Card":
            footer = []
            for name in ("cancel", "confirm"):
                spec = node.get(name)
                if isinstance(spec, dict) and isinstance(spec.get("action"), dict):
                    footer.append(self.build(
                        {"type": "Button", "label": spec.get("label", name.capitalize()),
                         "onClickAction": spec["action"], "variant": "outline" if name == "cancel" else "solid"},
                        f"{path}.{name}",
                    ))
            if footer:
                children.append({"kind": "box", "uid": f"{self.item_id}:{path}.footer", "key": "footer",
                                 "cls": "wk-box wk-row", "css": {"flexDirection": "row", "gap": "8px",
                                                                 "justifyContent": "flex-end"},
                                 "children": footer})
        view.update(kind="form" if kind == "Form" or (kind == "Card" and node.get("asForm")) else "box",
                    cls=" ".join(classes), css=css, children=children)
        action = node.get("onSubmitAction") if view["kind"] == "form" else node.get("onClickAction")
        if isinstance(action, dict):
            view.update(self._action(action))
        return view

    # -- text

    def _text(self, node: dict, view: dict) -> dict:
        kind = TEXT_KINDS[node["type"]]
        sizes = TITLE_SIZES if kind == "title" else TEXT_SIZES
        css = text_css(node, sizes)
        if kind == "caption":
            css.setdefault("color", "var(--gray-11)")
            css.setdefault("fontSize", "0.8125rem")
        if kind == "title":
            css.setdefault("fontWeight", 600)
        value = node.get("value")
        view.update(kind=kind, text=value if isinstance(value, str) else "", css=css,
                    cls=f"wk-{kind}" + (" wk-streaming" if node.get("streaming") else ""))
        if kind == "label":
            view["name"] = str(node.get("fieldName") or "")
        return view

    # -- leaves

    def _badge(self, node: dict, view: dict, _: str) -> dict:
        view.update(kind="badge", text=str(node.get("label") or ""), tone=TONES.get(node.get("color"), "gray"),
                    variant=VARIANTS.get(node.get("variant"), "soft"), size=CONTROL_SIZES.get(node.get("size"), "1"),
                    cls="wk-badge" + (" wk-pill" if node.get("pill") else ""))
        return view

    def _button(self, node: dict, view: dict, context_text: str) -> dict:
        label = node.get("label") if isinstance(node.get("label"), str) else ""
        action = node.get("onClickAction") if isinstance(node.get("onClickAction"), dict) else None
        color = node.get("color") or ("primary" if node.get("style") == "primary" else None)
        view.update(
            kind="button",
            text=label,
            tone=TONES.get(color, "indigo" if node.get("variant") in (None, "solid") else "gray"),
            variant=VARIANTS.get(node.get("variant"), "solid"),
            size=CONTROL_SIZES.get(node.get("size"), "2"),
            icon=icon_name(node.get("iconStart")),
            icon_end=icon_name(node.get("iconEnd")),
            aria=label or _aria_for(action, context_text),
            submit=bool(node.get("submit")),
            disabled=bool(node.get("disabled")),
            css={"width": "100%"} if node.get("block") else {},
            cls="wk-button" + (" wk-uniform" if node.get("uniform") else "") + (" wk-pill" if node.get("pill") else "")
            + (" wk-block" if node.get("block") else ""),
        )
        if action and not node.get("submit"):  # a submit button runs its form's action
            view.update(self._action(action))
        return view

    def _checkbox(self, node: dict, view: dict, context_text: str) -> dict:
        label = str(node.get("label") or "")
        action = node.get("onChangeAction") if isinstance(node.get("onChangeAction"), dict) else None
        # A task's tick has no label of its own: it is named by its action and its row's
        # title ("Complete pay rent"), as the task list's checkboxes are.
        aria = label or (_aria_for(action, context_text) if action else "") or str(node.get("name") or "Checkbox")
        view.update(kind="checkbox", text=label, name=str(node.get("name") or ""),
                    checked=bool(node.get("defaultChecked")), disabled=bool(node.get("disabled")), aria=aria,
                    # A new key when the state changes: the browser's box is redrawn from the
                    # card, never left as it was ticked before the card was refreshed.
                    key=f"{view['key']}:{'checked' if node.get('defaultChecked') else 'open'}")
        if action:
            view.update(self._action(action))
        return view

    def _input(self, node: dict, view: dict, _: str) -> dict:
        view.update(kind="input", name=str(node.get("name") or ""), value=str(node.get("defaultValue") or ""),
                    placeholder=str(node.get("placeholder") or ""), required=bool(node.get("required")),
                    input_type=node.get("inputType") if node.get("inputType") in
                    ("number", "email", "text", "password", "tel", "url") else "text",
                    disabled=bool(node.get("disabled")), aria=str(node.get("placeholder") or node.get("name") or ""),
                    size=CONTROL_SIZES.get(node.get("size"), "2"))
        return view

    def _textarea(self, node: dict, view: dict, _: str) -> dict:
        view.update(kind="textarea", name=str(node.get("name") or ""), value=str(node.get("defaultValue") or ""),
                    placeholder=str(node.get("placeholder") or ""), required=bool(node.get("required")),
                    rows=int(node.get("rows") or 3), disabled=bool(node.get("disabled")),
                    aria=str(node.get("placeholder") or node.get("name") or ""))
        return view

    def _select(self, node: dict, view: dict, _: str) -> dict:
        options = [
            {"value": str(o.get("value", "")), "label": str(o.get("label", o.get("value", "")))}
            for o in node.get("options") or [] if isinstance(o, dict)
        ]
        view.update(kind="select", name=str(node.get("name") or ""), value=str(node.get("defaultValue") or ""),
                    placeholder=str(node.get("placeholder") or "Choose…"), options=options,
                    disabled=bool(node.get("disabled")), aria=str(node.get("placeholder") or node.get("name") or ""))
        if isinstance(node.get("onChangeAction"), dict):
            view.update(self._action(node["onChangeAction"]))
        return view

    # Drawn as a select: same values, one control fewer in the renderer.
    _radiogroup = _select

    def _datepicker(self, node: dict, view: dict, _: str) -> dict:
        def day(value: Any) -> str:
            return value[:10] if isinstance(value, str) else ""

        view.update(kind="date", name=str(node.get("name") or ""), value=day(node.get("defaultValue")),
                    min=day(node.get("min")), max=day(node.get("max")), disabled=bool(node.get("disabled")),
                    aria=str(node.get("placeholder") or node.get("name") or "Date"))
        if isinstance(node.get("onChangeAction"), dict):
            view.update(self._action(node["onChangeAction"]))
        return view

    def _divider(self, node: dict, view: dict, _: str) -> dict:
        gap = space(node.get("spacing")) or "8px"
        view.update(kind="divider", css={"margin": f"{gap} 0"} if not node.get("flush") else {})
        return view

    def _spacer(self, node: dict, view: dict, _: str) -> dict:
        view.update(kind="spacer", css={"flex": "1", "minWidth": space(node.get("minSize")) or "0"})
        return view

    def _icon(self, node: dict, view: dict, _: str) -> dict:
        view.update(kind="icon", icon=icon_name(node.get("name")),
                    css={"color": color_of(node.get("color"), TEXT_COLORS) or "currentColor"})
        return view

    def _image(self, node: dict, view: dict, _: str) -> dict:
        src = node.get("src") if isinstance(node.get("src"), str) else ""
        # Only our own files and inline data: an image must not call out to other hosts.
        if not (src.startswith("/") and not src.startswith("//")) and not src.startswith("data:image/"):
            view.update(kind="unknown", text=str(node.get("alt") or ""))
            return view
        css: dict[str, Any] = {"objectFit": node.get("fit") or "cover"}
        for key in ("width", "height", "size"):
            value = node.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                css["width" if key == "size" else key] = f"{value}px"
        if node.get("radius") in RADII:
            css["borderRadius"] = RADII[node["radius"]]
        view.update(kind="image", src=src, text=str(node.get("alt") or ""), css=css)
        return view

    def _action(self, action: dict) -> dict:
        handler = "client" if action.get("handler") == "client" else "server"
        loading = action.get("loadingBehavior") if action.get("loadingBehavior") in ("self", "container", "none") else "auto"
        payload = {"item_id": self.item_id, "action": {k: v for k, v in action.items() if k in ("type", "payload")}}
        return {"action": json.dumps(payload, separators=(",", ":")), "handler": handler, "loading": loading}


def widget_view(item_id: str, widget: Any) -> dict:
    """The view tree of one widget item (what the renderer draws)."""
    return ViewBuilder(item_id).build(widget)

