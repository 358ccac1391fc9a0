"""What a person is told when the model fails mid-turn, and the one log line that says why.

The user's message is already saved when the model runs, so every answer says so; a
retry is offered only where trying again can help (not for a refused API key).
"""

from __future__ import annotations

import json
import logging

import openai
from agents.exceptions import MaxTurnsExceeded, ModelBehaviorError

logger = logging.getLogger(__name__)

SAVED = "Your message is saved"


def explain(exc: BaseException, thread_id: str) -> tuple[str, bool]:
    """(message for the user, whether a retry may help); logs the reason once."""
    if isinstance(exc, TimeoutError | openai.APITimeoutError):
        _log(thread_id, "the model timed out", exc)
        return f"The assistant took too long to answer. {SAVED}; try again.", True
    if isinstance(exc, MaxTurnsExceeded):
        _log(thread_id, "the model kept calling tools without answering", exc)
        return f"I couldn't finish that request. {SAVED}; try saying it another way.", True
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        _log(thread_id, "the model provider refused the API key", exc)
        return "The assistant's model provider refused its API key. Ask whoever runs todochat to check it.", False
    if isinstance(exc, openai.NotFoundError):
        _log(thread_id, "the model provider does not know the model or URL", exc)
        return "The assistant's model is not available at its provider. Ask whoever runs todochat to check it.", False
    if isinstance(exc, openai.RateLimitError):
        _log(thread_id, "the model provider is rate limiting us", exc)
        return f"The assistant is busy right now. {SAVED}; try again in a moment.", True
    if isinstance(exc, openai.BadRequestError):
        # Trying again sends the same request: a context too long for the model, a setting it lacks.
        _log(thread_id, "the model provider refused the request", exc)
        return (
            "The assistant's model refused this conversation (it may be too long for the model). "
            "Start a new conversation, or ask whoever runs todochat to check the model settings.",
            False,
        )
    if isinstance(exc, openai.APIError | ModelBehaviorError | json.JSONDecodeError):
        # JSONDecodeError: the provider streamed something that is not JSON.
        _log(thread_id, "the model provider failed", exc)
        return f"The assistant is unavailable right now. {SAVED}; try again in a moment.", True
    logger.exception("The model failed during a chat turn in thread %s", thread_id, exc_info=exc)
    return f"The assistant is unavailable right now. {SAVED}; try again in a moment.", True


def _log(thread_id: str, reason: str, exc: BaseException) -> None:
    # One line: the reason, and the provider's own words, never the conversation.
    detail = " ".join(str(exc).split())[:300]
    log_reason(thread_id, f"{reason} ({type(exc).__name__}: {detail})")


def log_reason(thread_id: str, reason: str) -> None:
    logger.warning("chat turn failed in thread %s: %s", thread_id, reason)
