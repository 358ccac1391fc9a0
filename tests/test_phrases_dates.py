"""Calendar dates in what people type, read the way the offline model reads "add <text>":
issue 11's classes basic, compound, explicit, weekday_start, holiday and negative (from
``fixtures/date_phrases.jsonl``) and every case of ``fixtures/phrases/dates.jsonl``.

Each case says the due date, repeat and title a user would see; ``"ambiguous": true``
cases must set no date and keep their words in the title.
"""

from __future__ import annotations

import pytest

from tests.phrase_cases import FIXTURES, case_id, load, problems

# Read by other sets: the recurrence adjectives are the repeat set's ("weekly" in "review
# the weekly report" is no repeat: slots.py), and a spelled clock time is the times set's.
ELSEWHERE = {
    "review the weekly report",
    "clean up the daily standup notes",
    "call the vet this thursday at half past nine",
}

OWN_SET = FIXTURES / "phrases" / "dates.jsonl"
# Only issue 11's set and this one: the other sets in phrases/ use these class names too,
# for the phrases their own tests read.
CASES = [
    case
    for case in load("basic", "compound", "explicit", "weekday_start", "holiday", "negative")
    if case["where"].split(":")[0] in ("date_phrases.jsonl", OWN_SET.name) and case["text"] not in ELSEWHERE
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_date_phrase(case: dict) -> None:
    assert problems(case) == []


def test_the_dates_set_is_broad() -> None:
    """The own set keeps its breadth: many phrasings, clocks and title words that are no date."""
    own = [c for c in CASES if c["where"].startswith(OWN_SET.name)]
    assert len(own) >= 170
    assert len({c["text"] for c in own}) == len(own)
    no_date = [c for c in own if c["due"] is None or c.get("ambiguous")]
    assert len(no_date) >= 40
    assert all(c["due"] is None for c in own if c.get("ambiguous") or c["class"] == "negative")
    assert len({c["now"][:10] for c in own}) >= 5
