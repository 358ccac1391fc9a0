"""How does the offline model read date phrases nobody on this team wrote? (issue 11)

Scores ``tests/fixtures/corpora/*.jsonl`` (written by ``bench/corpus_cases.py`` from the
test corpora of duckling and chrono) per source and per class: right, WRONG in silence (a
date set that is not the one meant — the worst outcome), missed (no date: the words stay
in the title) and "decision differs" (the corpus wants a reading our product decided
against; the case's ``differs`` field names the decision). A score, not a gate.

``--show wrong|missed|differs`` lists those cases with what the model read.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import phrase_cases  # noqa: E402
from phrase_score import outcome as phrase_outcome  # noqa: E402

CORPORA = ROOT / "tests" / "fixtures" / "corpora"
KINDS = ("right", "wrong", "missed", "differs")


def outcome(case: dict) -> str:
    result = phrase_outcome(case)
    if result != "right" and case.get("differs"):
        return "differs"
    return result


def main(argv: list[str]) -> int:
    show = argv[argv.index("--show") + 1] if "--show" in argv else None
    header = f"{'':<24}{'cases':>6}{'right':>7}{'WRONG':>7}{'missed':>8}{'differs':>9}"
    grand = Counter()
    for path in sorted(CORPORA.glob("*.jsonl")):
        cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        by_class: dict[str, Counter] = {}
        for case in cases:
            result = outcome(case)
            by_class.setdefault(case["class"], Counter())[result] += 1
            if show == result:
                got = phrase_cases.read(case["text"], dt.datetime.fromisoformat(case["now"]))
                print(f"  {result}: {case['text']!r} now={case['now']} want={case['due']} got={got.due}"
                      f" title={got.title!r} {case.get('differs', '')}")
        total = sum(by_class.values(), Counter())
        grand += total
        print(f"\n{path.stem}: {header}")
        for name, counts in sorted(by_class.items()):
            print(f"  {name:<22}{counts.total():>6}" + "".join(f"{counts[k]:>{w}}" for k, w in zip(KINDS, (7, 7, 8, 9))))
        print(f"  {'all':<22}{total.total():>6}" + "".join(f"{total[k]:>{w}}" for k, w in zip(KINDS, (7, 7, 8, 9))))
    n = grand.total()
    print(f"\nall corpora: {grand['right']}/{n} ({100 * grand['right'] / n:.1f}%) right, {grand['wrong']} WRONG in silence,"
          f" {grand['missed']} missed, {grand['differs']} decision differs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
