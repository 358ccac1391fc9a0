"""What every tool has to hand: its run context, its progress line, the repeat-rule argument."""

from __future__ import annotations

from typing import Annotated

from agents import RunContextWrapper
from chatkit.agents import AgentContext
from chatkit.types import ProgressUpdateEvent
from pydantic import AfterValidator, Field

from todochat import recurrence as repeat_rules
from todochat.chat.context import RequestContext
from todochat.tasks import RECURRENCE_DESCRIPTION

Ctx = RunContextWrapper[AgentContext[RequestContext]]
# A repeat rule as the model sends it: the API's, without maxLength in the tool schema
# (strict tool schemas may not allow it); parse() refuses an over-long rule in words.
ToolRecurrence = Annotated[str, Field(description=RECURRENCE_DESCRIPTION), AfterValidator(repeat_rules.normalize)]


async def progress(ctx: Ctx, icon: str, text: str) -> None:
    """A progress line both chat clients show while the tool works."""
    await ctx.context.stream(ProgressUpdateEvent(icon=icon, text=text))
