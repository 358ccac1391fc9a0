"""Times of day and offsets from now, read as a user types them ("add <text>" at a fixed
clock): issue 11's classes minutes_words, spelled_time, relative and leftover, from
tests/fixtures/date_phrases.jsonl and tests/fixtures/phrases/*.jsonl (times.jsonl adds
British and American phrasings at other clocks, and titles whose numbers are no time)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.phrase_cases import case_id, load, problems

CASES = load("minutes_words", "spelled_time", "relative", "leftover")
NEGATIVES = [case for case in load("negative") if case["where"].startswith("times.jsonl")]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_time_or_offset_is_read_and_leaves_the_title(case: dict) -> None:
    assert problems(case) == []


@pytest.mark.parametrize("case", NEGATIVES, ids=case_id)
def test_numbers_that_are_no_time_stay_in_the_title(case: dict) -> None:
    assert problems(case) == []


def test_the_sets_hold_what_they_promise() -> None:
    """times.jsonl is read (130+ cases, 30+ negatives) next to issue 11's own set, and is
    written as that set is: a clock, a due date not before today or none, no repeat."""
    ours = [case for case in load() if case["where"].startswith("times.jsonl")]
    assert len(ours) >= 130
    assert len(NEGATIVES) >= 30
    assert len({case["text"] for case in ours}) == len(ours)
    for case in ours:
        assert case["class"] in ("minutes_words", "spelled_time", "relative", "leftover", "negative"), case
        assert case["tz"] == "UTC" and case["repeat"] is None, case
        now = dt.datetime.fromisoformat(case["now"])
        if case.get("ambiguous") or case["class"] == "negative":
            assert case["due"] is None, case
        elif case["due"] is not None:
            assert dt.datetime.fromisoformat(case["due"]) >= now.replace(hour=0, minute=0), case
        assert case["title"] and case["title"] == case["title"].strip(), case
