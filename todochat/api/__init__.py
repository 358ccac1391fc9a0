"""The HTTP API (README, "REST API"): /api/auth/*, /api/tasks, /health; mounted into Reflex."""

from todochat.api.app import create_api

__all__ = ["create_api"]
