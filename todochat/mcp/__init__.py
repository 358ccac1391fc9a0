"""todochat's MCP server (README, "Use your tasks from another assistant (MCP)"): the
user's tasks as Model Context Protocol tools, for other assistants and IDE agents.

- ``arguments``: what each tool accepts (its input schema, written for a model);
- ``tools``: what each tool does, through ``TaskService``, and what it answers;
- ``server``: the tools as an MCP server for one acting user (``Caller``);
- ``http``: ``/mcp`` on the app's port, each request authenticated by its bearer token;
- ``__main__``: the same tools over stdio for a local user (``python -m todochat.mcp``).

The package is ``todochat.mcp``; the SDK is the top-level ``mcp``. Every import here is
absolute, so ``import mcp`` always means the SDK.
"""
