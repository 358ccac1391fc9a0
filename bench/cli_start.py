"""How long until the CLI has answered? (issue 11: `tasks` well under a second; `say` pays
for the agent stack and the offline model only when it is used)

Runs each command 5 times as a user would (a fresh `python -m todochat.cli` process, on a
SQLite file already migrated) and prints the best and the median wall time.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {"tasks": ["tasks"], "say": ["say", "show my tasks"]}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = [sys.executable, "-m", "todochat.cli", "--db", f"sqlite:///{tmp}/bench.db", "--user", "b@example.com"]
        subprocess.run([*base, "tasks"], cwd=ROOT, check=True, capture_output=True)  # migrate once
        for name, args in COMMANDS.items():
            times = []
            for _ in range(5):
                start = time.perf_counter()
                subprocess.run([*base, *args], cwd=ROOT, check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            print(f"cli {name:<6} best {min(times):.2f} s   median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
