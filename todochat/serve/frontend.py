"""The UI `make serve` serves: built once, as static files, for the public address.

Reflex writes the backend's address into the build (.web/env.json): its websocket, the
event channel, connects there. ``reflex run`` writes its own backend port; behind nginx
it must be the public URL (APP_URL), or browsers would try to reach a port that only
nginx may. REFLEX_API_URL is Reflex's setting for that address.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reflex.utils.prerequisites import get_web_dir
from reflex_base import constants


def static_ui_dir(project: Path) -> Path:
    """Where the build puts the UI: what nginx serves."""
    return project / get_web_dir() / constants.Dirs.STATIC


def build_static_ui(app_url: str, project: Path) -> None:
    """``reflex export`` of the UI alone, unzipped, into ``static_ui_dir(project)``."""
    subprocess.run(
        [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
        cwd=project, env={**os.environ, "REFLEX_API_URL": app_url}, check=True,
    )
