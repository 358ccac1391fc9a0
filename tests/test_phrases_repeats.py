"""Issue 11, repeats: what the offline model reads from "add <text>" when the text says
how often — every repeat case of the phrase sets (``date_phrases.jsonl`` class "repeat"
and ``phrases/repeats.jsonl``), the adjectives that are not repeats ("the weekly report"),
and every negative written for repeats (no repeat is set and every word stays).

Rules are compared in ``recurrence.normalize`` spelling (``phrase_cases``).
"""

from __future__ import annotations

import pytest

from tests.phrase_cases import case_id, load, problems

# Negatives of the measured set that are about repeats: an adjective before a noun.
_ADJECTIVES = {"review the weekly report", "clean up the daily standup notes"}

CASES = load("repeat") + [
    case for case in load("negative") if case["text"] in _ADJECTIVES or case["where"].startswith("repeats.jsonl")
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_repeat_phrase(case: dict) -> None:
    assert problems(case) == []
