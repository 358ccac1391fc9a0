"""ChatKit's style vocabulary in CSS and Radix terms, for the widget view builder.

ChatKit names colours, sizes, spacing steps and icons its own way ("secondary", "md",
``gap: 2``, "check-circle"); the Reflex renderer draws with Radix colour scales, inline
CSS and lucide icons. The tables and helpers here translate one into the other, on the
server, so the renderer only ever reads finished values.
"""

from __future__ import annotations

import re
from typing import Any

# ChatKit spacing numbers are steps of 4px.
SPACING_UNIT_PX = 4

# ChatKit colour names -> Radix colour scales (badges, buttons) and text colours.
TONES = {
    "primary": "indigo",
    "secondary": "gray",
    "success": "green",
    "danger": "red",
    "warning": "amber",
    "caution": "orange",
    "info": "blue",
    "discovery": "purple",
}
TEXT_COLORS = {
    "prose": "var(--gray-12)",
    "primary": "var(--gray-12)",
    "emphasis": "var(--gray-12)",
    "secondary": "var(--gray-11)",
    "tertiary": "var(--gray-10)",
    "success": "var(--green-11)",
    "danger": "var(--red-11)",
    "warning": "var(--amber-11)",
    "caution": "var(--orange-11)",
    "info": "var(--blue-11)",
    "discovery": "var(--purple-11)",
}
SURFACES = {
    "surface": "var(--color-panel-solid)",
    "surface-secondary": "var(--gray-2)",
    "surface-tertiary": "var(--gray-3)",
    "surface-elevated": "var(--color-panel-solid)",
}
CONTROL_SIZES = {"3xs": "1", "2xs": "1", "xs": "1", "sm": "1", "md": "2", "lg": "3", "xl": "3", "2xl": "4", "3xl": "4"}
VARIANTS = {"solid": "solid", "soft": "soft", "outline": "outline", "ghost": "ghost"}
TEXT_SIZES = {"xs": "0.75rem", "sm": "0.875rem", "md": "1rem", "lg": "1.125rem", "xl": "1.25rem"}
TITLE_SIZES = {
    "sm": "1rem", "md": "1.125rem", "lg": "1.25rem", "xl": "1.5rem",
    "2xl": "1.75rem", "3xl": "2rem", "4xl": "2.25rem", "5xl": "2.5rem",
}
WEIGHTS = {"normal": 400, "medium": 500, "semibold": 600, "bold": 700}
ALIGN = {"start": "flex-start", "center": "center", "end": "flex-end", "baseline": "baseline", "stretch": "stretch"}
JUSTIFY = {
    "start": "flex-start", "center": "center", "end": "flex-end", "stretch": "stretch",
    "between": "space-between", "around": "space-around", "evenly": "space-evenly",
}
RADII = {
    "2xs": "2px", "xs": "4px", "sm": "6px", "md": "8px", "lg": "12px", "xl": "16px",
    "2xl": "20px", "3xl": "24px", "4xl": "32px", "full": "9999px", "100%": "100%", "none": "0",
}

# ChatKit icon names -> lucide names the renderer knows (``ICONS`` must list every value).
CHATKIT_ICONS = {
    "agent": "bot", "analytics": "chart-line", "atom": "atom", "batch": "layers", "bolt": "zap",
    "book-open": "book-open", "book-closed": "book", "book-clock": "book-marked", "bug": "bug",
    "calendar": "calendar", "chart": "chart-bar", "check": "check", "check-circle": "circle-check",
    "check-circle-filled": "circle-check-big", "chevron-left": "chevron-left",
    "chevron-right": "chevron-right", "circle-question": "circle-help", "clock": "clock",
    "compass": "compass", "confetti": "party-popper", "cube": "box", "desktop": "monitor",
    "document": "file-text", "dot": "dot", "dots-horizontal": "ellipsis",
    "dots-vertical": "ellipsis-vertical", "empty-circle": "circle", "external-link": "external-link",
    "globe": "globe", "keys": "key", "lab": "flask-conical", "images": "images", "info": "info",
    "lifesaver": "life-buoy", "lightbulb": "lightbulb", "mail": "mail", "map-pin": "map-pin",
    "maps": "map", "mobile": "smartphone", "name": "id-card", "notebook": "notebook",
    "notebook-pencil": "notebook-pen", "page-blank": "file", "phone": "phone", "play": "play",
    "plus": "plus", "profile": "circle-user", "profile-card": "contact", "reload": "refresh-cw",
    "star": "star", "star-filled": "star", "search": "search", "sparkle": "sparkle",
    "sparkle-double": "sparkles", "square-code": "square-code", "square-image": "image",
    "square-text": "square-pen", "suitcase": "briefcase", "settings-slider": "sliders-horizontal",
    "user": "user", "wreath": "award", "write": "pencil", "write-alt": "pen-line", "write-alt2": "pen-tool",
}
EXTRA_LUCIDE = ("trash-2", "trash", "x", "undo-2", "pencil", "calendar-clock", "flag", "tag", "list-todo", "repeat")
ICONS = sorted(set(CHATKIT_ICONS.values()) | set(EXTRA_LUCIDE))

def icon_name(name: Any) -> str:
    """A lucide icon the renderer has, or "" (the icon is then left out)."""
    if not isinstance(name, str):
        return ""
    lucide = CHATKIT_ICONS.get(name) or (name.removeprefix("lucide:") if name.startswith("lucide:") else "")
    return lucide if lucide in ICONS else ""


def space(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return f"{value * SPACING_UNIT_PX:g}px"
    if isinstance(value, str) and value:
        return value
    return None


def spacing_css(prefix: str, value: Any, css: dict) -> None:
    """padding/margin: a number, a CSS string, or {top,right,bottom,left,x,y}."""
    if isinstance(value, dict):
        sides = {
            "Top": value.get("top", value.get("y")),
            "Bottom": value.get("bottom", value.get("y")),
            "Left": value.get("left", value.get("x")),
            "Right": value.get("right", value.get("x")),
        }
        for side, v in sides.items():
            if space(v) is not None:
                css[f"{prefix}{side}"] = space(v)
    elif space(value) is not None:
        css[prefix] = space(value)


def color_of(value: Any, table: dict[str, str]) -> str | None:
    if isinstance(value, dict):  # {light, dark}: our themes follow the page, take light
        value = value.get("light")
    if not isinstance(value, str) or not value:
        return None
    if value in table:
        return table[value]
    if re.fullmatch(r"[a-z]+-\d{2,3}", value):  # e.g. "blue-500": a palette step
        name, step = value.split("-")
        return f"var(--{name}-{min(12, max(1, int(step) // 100 + 3))})"
    return value if re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-z]+", value) else None


def border_css(value: Any, css: dict) -> None:
    def one(v: Any) -> str | None:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f"{v}px solid var(--gray-6)"
        if isinstance(v, dict) and isinstance(v.get("size"), (int, float)):
            color = color_of(v.get("color"), TEXT_COLORS) or "var(--gray-6)"
            return f"{v['size']}px {v.get('style') or 'solid'} {color}"
        return None

    if isinstance(value, dict) and "size" not in value:
        for key, sides in (("x", ("Left", "Right")), ("y", ("Top", "Bottom")), ("top", ("Top",)),
                           ("bottom", ("Bottom",)), ("left", ("Left",)), ("right", ("Right",))):
            if one(value.get(key)):
                for side in sides:
                    css[f"border{side}"] = one(value.get(key))
    elif one(value):
        css["border"] = one(value)


def box_css(node: dict) -> dict:
    css: dict[str, Any] = {}
    kind = node.get("type")
    direction = node.get("direction")
    css["flexDirection"] = "row" if kind == "Row" or direction == "row" else "column"
    if kind == "Row":
        css["alignItems"] = "center"
    if node.get("align") in ALIGN:
        css["alignItems"] = ALIGN[node["align"]]
    if node.get("justify") in JUSTIFY:
        css["justifyContent"] = JUSTIFY[node["justify"]]
    if node.get("wrap") in ("nowrap", "wrap", "wrap-reverse"):
        css["flexWrap"] = node["wrap"]
    if space(node.get("gap")):
        css["gap"] = space(node.get("gap"))
    flex = node.get("flex")
    if isinstance(flex, (int, float, str)) and not isinstance(flex, bool) and flex != "":
        css["flex"] = str(flex)
        css["minWidth"] = "0"
    for key, prop in (("width", "width"), ("height", "height"), ("minWidth", "minWidth"),
                      ("maxWidth", "maxWidth"), ("minHeight", "minHeight"), ("maxHeight", "maxHeight")):
        value = node.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            css[prop] = f"{value}px"
        elif isinstance(value, str) and value:
            css[prop] = value
    spacing_css("padding", node.get("padding"), css)
    spacing_css("margin", node.get("margin"), css)
    border_css(node.get("border"), css)
    if node.get("radius") in RADII:
        css["borderRadius"] = RADII[node["radius"]]
    background = color_of(node.get("background"), SURFACES)
    if background:
        css["background"] = background
    return css


def text_css(node: dict, sizes: dict[str, str]) -> dict:
    css: dict[str, Any] = {}
    color = color_of(node.get("color"), TEXT_COLORS)
    if color:
        css["color"] = color
    if node.get("weight") in WEIGHTS:
        css["fontWeight"] = WEIGHTS[node["weight"]]
    if node.get("size") in sizes:
        css["fontSize"] = sizes[node["size"]]
    if node.get("textAlign") in ("start", "center", "end"):
        css["textAlign"] = node["textAlign"]
    if node.get("italic"):
        css["fontStyle"] = "italic"
    if node.get("lineThrough"):
        css["textDecoration"] = "line-through"
    if node.get("truncate"):
        css.update(overflow="hidden", textOverflow="ellipsis", whiteSpace="nowrap")
    return css
