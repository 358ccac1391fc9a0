"""How well does the offline model read dates, times and repeats? (issue 11)

Reads every case of the project's phrase sets (tests/fixtures/date_phrases.jsonl and
tests/fixtures/phrases/*.jsonl) the way a message "add <text>" is read, and prints per
class how many come out right, how many set a WRONG date or repeat in silence (the worst
outcome), and how many miss one (the words stay in the title). A score, not a gate: the
tests (tests/test_phrases_*.py) are the gate; exit 0 whatever it is.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import phrase_cases  # noqa: E402


def outcome(case: dict) -> str:
    """right, wrong (a date or repeat set that is not the one meant) or missed."""
    if not phrase_cases.problems(case):
        return "right"
    got = phrase_cases.read(case["text"], dt.datetime.fromisoformat(case["now"]))
    expected_due = None if case.get("ambiguous") else case["due"]
    wrong_due = got.due is not None and got.due != expected_due
    wrong_repeat = got.repeat is not None and phrase_cases.rule_spelling(got.repeat) != phrase_cases.rule_spelling(
        case["repeat"]
    )
    return "wrong" if wrong_due or wrong_repeat else "missed"


def main() -> int:
    cases = phrase_cases.load()
    by_class: dict[str, Counter] = {}
    for case in cases:
        by_class.setdefault(case["class"], Counter())[outcome(case)] += 1
    total = sum(by_class.values(), Counter())
    print(f"{'class':<15}{'cases':>6}{'right':>7}{'WRONG':>7}{'missed':>8}   (WRONG = a wrong date or repeat, set in silence)")
    for name, counts in sorted(by_class.items()):
        print(f"{name:<15}{counts.total():>6}{counts['right']:>7}{counts['wrong']:>7}{counts['missed']:>8}")
    sets = ", ".join(path.relative_to(ROOT).as_posix() for path in phrase_cases.SETS)
    print(
        f"offline model: {total['right']}/{len(cases)} ({100 * total['right'] / len(cases):.1f}%) right,"
        f" {total['wrong']} wrong in silence, on the project's phrase sets ({sets})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
