"""The data layer, the tasks package and the API run without the UI framework: importing
them must not import Reflex (it is the app module, todochat/todochat.py, that tells Reflex
about the tables)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_models_tasks_and_api_do_not_import_reflex():
    script = (
        "import sys\n"
        "import todochat.models, todochat.tasks, todochat.api\n"
        "print(sorted(m for m in sys.modules if m == 'reflex' or m.startswith('reflex.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_app_module_registers_every_table_with_reflex():
    # ``reflex db ...`` loads the app module and would drop a table it was not told about.
    script = (
        "import reflex as rx\n"
        "from sqlmodel import SQLModel\n"
        "import todochat.todochat\n"
        "known = {m.__tablename__ for m in rx.ModelRegistry.models if hasattr(m, '__tablename__')}\n"
        "print(sorted(set(SQLModel.metadata.tables) - known))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
