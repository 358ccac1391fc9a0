"""A directory of commands of a test's own, to run a setup script (tools/ensure-*.sh) with
PATH set to it: bash, and fakes of what the case has (apt-get, chromium, nginx)."""

from __future__ import annotations

import shutil
from pathlib import Path


def fake_bin(tmp_path: Path) -> Path:
    directory = tmp_path / "bin"
    directory.mkdir()
    (directory / "bash").symlink_to(shutil.which("bash"))
    return directory


def executable(path: Path, body: str) -> None:
    path.write_text(f"#!/usr/bin/env bash\n{body}\n")
    path.chmod(0o755)
