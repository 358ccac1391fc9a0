"""Phrases from public test corpora (duckling, chrono) that the offline model once read
wrong: each now reads as the case says (tests/fixtures/phrases/corpora_regressions.jsonl).

A case with ``"ambiguous": true`` was a wrong date set in silence ("15 minutes past 3pm"
read as 15:00): now no date is set and every word stays in the title. The whole corpora
are scored, not passed, by bench/corpus_score.py.
"""

from __future__ import annotations

import json

import pytest

from phrase_cases import FIXTURES, case_id, problems

REGRESSIONS = FIXTURES / "phrases" / "corpora_regressions.jsonl"
CASES = [
    {**json.loads(line), "where": f"{REGRESSIONS.name}:{number}"}
    for number, line in enumerate(REGRESSIONS.read_text().splitlines(), 1)
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corpus_phrase_reads_as_meant(case: dict) -> None:
    assert problems(case) == []
