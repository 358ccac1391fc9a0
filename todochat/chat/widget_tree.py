"""Walking ChatKit widget JSON: the one place that knows a tree is components with ``children``.

A widget tree is a dict (a component) whose ``children``, when it has them, is a list of
components; anything else in that list (a stray string, a number) is no component and is
left where it is. Every reader and rewriter of cards — the builders' helpers, the live
cards, the view builder, the native chat's stream updates — goes through these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def children_of(node: dict) -> list[Any]:
    """A component's children as stored (non-components included); [] when it has none."""
    children = node.get("children")
    return children if isinstance(children, list) else []


def walk(tree: Any) -> Iterator[dict]:
    """Every component of ``tree``, depth first, each before its children, in order.

    ``tree`` may be one component or a list of them. Iterative, so a deep tree cannot
    exhaust the interpreter's stack.
    """
    stack: list[Any] = list(reversed(tree)) if isinstance(tree, list) else [tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield node
        stack.extend(child for child in reversed(children_of(node)) if isinstance(child, dict))


def find(tree: Any, component_id: str) -> dict | None:
    """The first component whose ``id`` is ``component_id``, or None."""
    return next((node for node in walk(tree) if node.get("id") == component_id), None)


def replace(tree: Any, change: Callable[[dict], dict | None]) -> Any:
    """A copy of ``tree`` in which each component ``change`` returns a new one for is
    replaced by it (and not looked into); ``change`` returns None to keep a component,
    whose children are then looked at the same way."""
    if not isinstance(tree, dict):
        return tree
    new = change(tree)
    if new is not None:
        return new
    out = dict(tree)
    if isinstance(tree.get("children"), list):
        out["children"] = [replace(child, change) for child in tree["children"]]
    return out


def replace_id(tree: Any, component_id: str, component: dict) -> Any:
    """A copy of ``tree`` with the component ``component_id`` swapped for ``component``."""
    return replace(tree, lambda node: component if node.get("id") == component_id else None)


def remove(tree: Any, unwanted: Callable[[dict], bool]) -> Any:
    """A copy of ``tree`` without the components ``unwanted`` picks (the root always stays)."""
    if not isinstance(tree, dict):
        return tree
    out = dict(tree)
    if isinstance(tree.get("children"), list):
        out["children"] = [
            remove(child, unwanted) for child in tree["children"] if not (isinstance(child, dict) and unwanted(child))
        ]
    return out


def remove_id(tree: Any, component_id: str) -> Any:
    """A copy of ``tree`` without the component ``component_id`` (e.g. a used "Show more" button)."""
    return remove(tree, lambda node: node.get("id") == component_id)
