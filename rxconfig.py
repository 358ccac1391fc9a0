"""Reflex configuration: values come from todochat.settings (the environment)."""

import reflex as rx

from todochat.settings import settings

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
