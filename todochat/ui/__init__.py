"""Reflex states, components and pages (DESIGN §7). The UI never touches SQL: it calls TaskService."""
