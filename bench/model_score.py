"""How well does the offline model understand what people say? (the `cli eval` of TODOCHAT_MODEL=local)

Runs every case of the shared set, tests/fixtures/nl_commands.jsonl, each on a fresh
SQLite database at the fixture's clock (2026-11-23T10:00 UTC), and prints the failures
and a line like ``offline model: 41/41 (100.0%) on nl_commands.jsonl``. A score, not a
gate: exit 0 whatever it is. ``python -m todochat.cli eval`` scores any other model.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from todochat.chat import evaluation  # noqa: E402
from todochat.settings import Settings  # noqa: E402


def main() -> int:
    cases = evaluation.load_cases(evaluation.DEFAULT_CASES)
    # Pinned to the offline model: this measures the one shipped here, whatever the environment names.
    report = asyncio.run(evaluation.evaluate(cases, Settings(TODOCHAT_MODEL="local")))
    for failure in report.failures:
        print(evaluation.outcome_line(failure))
    print(f"offline model: {report.fraction()} on {evaluation.DEFAULT_CASES.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
