"""The HTTP API (DESIGN §6): /api/auth/*, /api/tasks, /health; mounted into Reflex."""

from todochat.api.app import create_api

__all__ = ["create_api"]
