"""Issue 11: `tasks` and `seed` start fast because they never import the agent stack
(openai-agents, chatkit's server, the offline model): about 5 s of imports they do not use.
Checked by what is imported, not by a clock; bench/cli_start.py prints the time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("agents", "chatkit.server", "openai", "todochat.chat.local_model", "dateparser")


def imported_after(args: list[str], db_url: str) -> tuple[set[str], str]:
    probe = (
        "import io, json, sys\n"
        "from todochat import cli\n"
        "out = io.StringIO()\n"
        f"code = cli.main({['--db', db_url, '--user', 'ada@example.com', *args]!r}, out=out)\n"
        f"print(json.dumps([code, out.getvalue(), [m for m in {list(HEAVY)!r} if m in sys.modules]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    code, printed, heavy = json.loads(done.stdout.splitlines()[-1])
    assert code == 0, done.stderr
    return set(heavy), printed


def test_tasks_and_seed_never_import_the_agent_stack(tmp_path):
    db_url = f"sqlite:///{tmp_path}/cli.db"
    tasks_file = tmp_path / "tasks.json"
    tasks_file.write_text(json.dumps([{"title": "pay rent", "due": "2026-12-01"}]))
    heavy, printed = imported_after(["seed", str(tasks_file)], db_url)
    assert heavy == set() and "Seeded 1 task" in printed
    heavy, printed = imported_after(["tasks"], db_url)
    assert heavy == set() and "pay rent" in printed


def test_say_still_answers(tmp_path):
    db_url = f"sqlite:///{tmp_path}/cli.db"
    heavy, printed = imported_after(["say", "add buy milk"], db_url)
    assert "agents" in heavy and "buy milk" in printed
