"""Reflex configuration: values come from todochat.settings (the environment)."""

import os
from pathlib import Path

import reflex as rx

from todochat.settings import settings

# `reflex run` in dev mode restarts the backend when a watched file changes. Left alone it
# watches every entry of the project directory, the SQLite database's -wal and -shm files
# among them, so each write the app made restarted it (and cut off the chat turn writing).
# Watch the source only: the app's package, this file, and the assets a compile copies.
# A colon-separated list (Reflex's format); set the variable yourself to watch other paths.
_ROOT = Path(__file__).resolve().parent
os.environ.setdefault(
    "REFLEX_HOT_RELOAD_OVERRIDE_PATHS",
    ":".join(str(_ROOT / name) for name in ("todochat", "rxconfig.py", "assets")),
)

config = rx.Config(
    app_name="todochat",
    db_url=settings.DATABASE_URL,
    redis_url=settings.REDIS_URL,
    telemetry_enabled=False,
    # Reflex applies this to its websocket and to the mounted API alike.
    cors_allowed_origins=settings.cors_origins,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
