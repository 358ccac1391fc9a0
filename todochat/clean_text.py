"""Text people and models send, made safe to store and print.

- NUL cannot be stored in PostgreSQL text at all: input that holds one is refused (4xx)
  by the validators that call ``refuse_nul``, never passed to the database.
- Other control characters (ESC, BEL, ...) and the bidirectional overrides that reorder
  what a terminal or a page shows are removed by ``strip_controls``: a task title can
  then never inject terminal escapes into the CLI or disguise itself in the UI.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides,
# isolates and marks (U+061C, U+200E/F, U+202A-E, U+2066-9).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def refuse_nul(text: str, what: str) -> str:
    if "\x00" in text:
        raise ValueError(f"{what} cannot contain NUL characters")
    return text


def strip_controls(text: str) -> str:
    return _CONTROLS.sub("", text)


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None
