"""Times of day and offsets from now, read as a user types them ("add <text>" at a fixed
clock): issue 11's classes minutes_words, spelled_time, relative and leftover, from
tests/fixtures/date_phrases.jsonl and tests/fixtures/phrases/*.jsonl (times.jsonl adds
British and American phrasings at other clocks, and titles whose numbers are no time)."""

from __future__ import annotations

import datetime as dt
import re

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


VAGUE = ["in a few days", "in a couple of days", "in a week and a half", "in an hour or two", "in 2-3 weeks",
         "soon", "in a while", "at some point next week", "6ish", "noon-ish", "late afternoon", "at 3 or 4",
         "at 9am and 5pm", "between 2 and 4", "3-4pm"]
READ = ["in a couple of hours", "in 2 days", "at 20 to 5", "quarter to six", "at 5", "at 3pm", "as soon as possible"]


@pytest.mark.parametrize("phrase", VAGUE + READ)
def test_vague_patterns_name_the_loose_phrases_and_only_them(phrase: str) -> None:
    """What vague.py reads from the ``VAGUE_PATTERNS`` of offsets and times_of_day to keep a phrase in the title and say so."""
    from todochat.chat.local_model import offsets, times_of_day

    patterns = (*offsets.VAGUE_PATTERNS, *times_of_day.VAGUE_PATTERNS)
    assert any(re.fullmatch(pattern, phrase, re.I) for pattern in patterns) == (phrase in VAGUE)


@pytest.mark.parametrize("text", ["push pay rent back a few days", "move pay rent to in a few days"])
def test_a_vague_postponement_sets_no_date(text: str) -> None:
    from todochat.chat.local_model import parse_command

    plan = parse_command(text, dt.datetime(2026, 11, 23, 10, 0))
    assert not [call for call in plan.calls if call.name == "update_task" and "due" in call.arguments]
