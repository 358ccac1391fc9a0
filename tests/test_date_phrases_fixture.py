"""The date-phrase set of issue 11 (tests/fixtures/date_phrases.jsonl) is well formed.

It is scored, not passed, by bench/date_libraries.py; this only keeps the file readable:
every case has its clock, an ISO due date or null, an RRULE that dateutil reads, a title.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dateutil.rrule import rrulestr

CASES = Path(__file__).parent / "fixtures" / "date_phrases.jsonl"
CLASSES = {
    "basic", "minutes_words", "spelled_time", "relative", "compound", "explicit",
    "weekday_start", "holiday", "repeat", "leftover", "negative",
}


def test_date_phrases_are_well_formed() -> None:
    cases = [json.loads(line) for line in CASES.read_text().splitlines() if line.strip()]
    assert len(cases) >= 300
    assert len({c["text"] for c in cases}) == len(cases)
    for case in cases:
        assert set(case) <= {"class", "text", "now", "tz", "due", "repeat", "title", "ambiguous"}, case
        assert case["class"] in CLASSES, case
        assert case["tz"] == "UTC"
        now = dt.datetime.fromisoformat(case["now"])
        if case["due"] is not None:
            assert len(case["due"]) in (10, 16), case
            assert dt.datetime.fromisoformat(case["due"]) >= now.replace(hour=0, minute=0), case
        if case.get("ambiguous") or case["class"] == "negative":
            assert case["due"] is None and case["repeat"] is None, case
        if case["repeat"] is not None:
            assert case["due"] is not None, case
            start = dt.datetime.fromisoformat(case["due"])
            assert rrulestr(case["repeat"], dtstart=start)[0] == start, case  # due is the first occurrence
        assert case["title"] and case["title"] == case["title"].strip(), case
