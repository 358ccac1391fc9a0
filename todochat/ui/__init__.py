"""Reflex states, components and pages (docs/architecture.md, "Layers"). The UI never touches SQL: it opens a user's tasks with todochat.tasks.open_tasks."""
