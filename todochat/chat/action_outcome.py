"""What a widget button produced, and the errors that stop one before anything changes."""

from __future__ import annotations

from dataclasses import dataclass

from chatkit.widgets import DynamicWidgetRoot

from todochat.chat.context import RequestContext
from todochat.chat.db_work import in_db
from todochat.chat.live_cards import refresh_trees


class ActionError(Exception):
    """``not_found``: the task is gone; ``refused``: doing it would lose later work.
    Either way nothing changed, and a card that sent it is shown as it now is."""

    def __init__(self, message: str, *, not_found: bool = False, refused: bool = False):
        super().__init__(message)
        self.message = message
        self.not_found = not_found
        self.refused = refused


@dataclass
class Outcome:
    """The card's new tree (None: leave it), a sentence, and maybe a new card with its copy text."""

    tree: dict | None
    note: str
    extra_card: DynamicWidgetRoot | None = None
    extra_copy: str | None = None


async def show_as_now(ctx: RequestContext, tree: dict | None, note: str = "That task no longer exists.") -> Outcome:
    """The task a button names was deleted elsewhere (or can't be undone): say so, and show
    the card as it now is."""
    if tree is None:
        raise ActionError(note, not_found=True)
    new_tree = await in_db(ctx, lambda tasks: refresh_trees([tree], tasks)[0])
    return Outcome(new_tree, note)
