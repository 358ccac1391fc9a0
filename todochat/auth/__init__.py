"""Sign-up, sign-in and token checks compatible with Better Auth (docs/architecture.md, "Layers")."""
