"""The Undo buttons on a stored card: their tokens, the card's own one, and pointing it elsewhere.

A card carries Undo in two places: its own button at its foot (the add's, the change's)
and, on a row whose task was deleted, that delete's. Each sends only a token (see
``undo``); these read and rewrite the buttons, never what the token stands for.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from todochat.chat import widget_tree
from todochat.chat.card_ids import undo_button_id
from todochat.chat.widgets import action


def undo_token(node: dict) -> str | None:
    """The token of an Undo button ("" if it has none); None for any other component."""
    click = node.get("onClickAction")
    if node.get("type") == "Button" and isinstance(click, dict) and click.get("type") == "task.undo":
        token = (click.get("payload") or {}).get("token")
        return token if isinstance(token, str) else ""
    return None


def undo_tokens_in(tree: Any) -> list[str]:
    """The tokens of every Undo button a card shows."""
    return [token for node in widget_tree.walk(tree) if (token := undo_token(node))]


class OwnUndo(NamedTuple):
    button_id: str
    token: str


def own_undo_id(tree: dict) -> str:
    """The id the card's own Undo button has (or would have)."""
    return undo_button_id(str(tree.get("id", "")))


def own_undo(tree: dict) -> OwnUndo | None:
    """The card's own Undo button and its token ("" if it carries none), if it has one."""
    button = widget_tree.find(tree, own_undo_id(tree))
    if button is None:
        return None
    token = ((button.get("onClickAction") or {}).get("payload") or {}).get("token")
    return OwnUndo(str(button["id"]), str(token or ""))


def without_own_undo(tree: dict) -> dict:
    """The card without its own Undo button (it has done its job, or was withdrawn)."""
    return widget_tree.remove_id(tree, own_undo_id(tree))


def with_undo(tree: Any, button_id: str, undo: dict) -> Any:
    """A copy of a card whose Undo button ``button_id`` now runs ``undo`` (a newer change)."""
    return widget_tree.replace(
        tree, lambda node: {**node, "onClickAction": action("task.undo", undo)} if node.get("id") == button_id else None
    )


def keep_undo_buttons(tree: Any, usable: set[str]) -> Any:
    """A copy of a card without the Undo buttons whose token is not in ``usable``.

    An Undo that can no longer run (used, expired, or its task changed since) must not
    be offered: pressing it would either fail or throw away later work.
    """
    return widget_tree.remove(tree, lambda node: undo_token(node) is not None and undo_token(node) not in usable)
